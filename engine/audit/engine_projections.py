"""The engine's own projections: the case row (opened, closed with its result) and legal deadlines.

Instances and worklist rows are checked by the replay itself (engine/audit/replay.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.audit.projections import Projection, register
from engine.storage.db import cases, deadlines

DEADLINE_KINDS = ("deadline_set", "deadline_suspended", "deadline_resumed", "deadline_extended",
                  "deadline_closed")


def _opened(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    return event["case_id"], {"status": "open", "created_at": event["at"], "closed_at": None,
                              "resultaat": None, "archiefactiedatum": None,
                              **{k: payload[k] for k in ("gemeente", "client_id") if k in payload}}


def _closed(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    return event["case_id"], {"status": "closed", "closed_at": event["at"], "resultaat": payload["resultaat"],
                              "archiefactiedatum": payload["archiefactiedatum"]}


def _deadline(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Each deadline event carries the deadline as it became (``termijn``, since issue 16); older
    events their name, due date and, when closed, the status."""
    values: dict[str, Any] = {"name": payload["name"], "due_date": payload["due_date"]}
    if event["kind"] == "deadline_set":
        values.update(status="open", term=payload.get("term"))
    if event["kind"] == "deadline_closed":
        values["status"] = payload["status"]
    values.update(payload.get("termijn") or {})
    return payload["deadline_id"], values


register(Projection(cases, {"case_opened": _opened, "case_closed": _closed}, case_column="id",
                    is_case_row=True))
register(Projection(deadlines, dict.fromkeys(DEADLINE_KINDS, _deadline)))
