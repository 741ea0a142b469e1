"""casework's projections checked by ``verify`` (issue 16): case notes follow from their
``note_added`` events (author, moment, and the hash of the text, which the chain holds instead of
the text itself); a case's team from its ``case_team_changed`` events (set at intake, moved by a
teamleider) and ``case_team_renamed`` (the team renamed by a beheerder)."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from casework.tables import case_notes, case_teams
from engine.audit.projections import Projection, register

KIND = "note_added"  # here, not in casework.notes: casework.tables imports this module at its end
TEAM_KIND = "case_team_changed"
TEAM_RENAMED = "case_team_renamed"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _note(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    return payload["note_id"], {"author": event["actor"], "created_at": event["at"],
                                "tekst_sha256": payload["tekst_sha256"]}


def _derived(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"tekst_sha256": text_hash(row["text"])}


# Notes written before they had events are not required to have one (created_column).
register(Projection(case_notes, {KIND: _note}, created_column="created_at", derived=_derived))


def _team(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    if "gemeente" not in payload:  # moves recorded before issue 16 item 2: only the team
        return event["case_id"], {"team": payload["naar"]}
    return event["case_id"], {"team": payload["naar"], "gemeente": payload["gemeente"],
                              "set_by": event["actor"], "set_at": event["at"]}


def _renamed(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    return event["case_id"], {"team": payload["naar"]}


# Teams set before they had events are not required to have one (created_column).
register(Projection(case_teams, {TEAM_KIND: _team, TEAM_RENAMED: _renamed}, key="case_id",
                    created_column="set_at"))
