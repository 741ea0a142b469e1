"""The engine's own projections: the case row (opened, closed with its result), legal deadlines, and
the retention decisions: a case put on a destruction list (Archiefwet art. 3, Selectielijst 2020).

Instances and worklist rows are checked by the replay itself (engine/audit/replay.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select

from engine.audit.projections import BATCH_CASE, Projection, register
from engine.retention.destruction import LISTED
from engine.storage.db import cases, deadlines, destruction_list_items, destruction_lists

DEADLINE_KINDS = ("deadline_set", "deadline_suspended", "deadline_resumed", "deadline_extended",
                  "deadline_closed", "deadline_escalated")


def _opened(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    return event["case_id"], {"status": "open", "created_at": event["at"], "closed_at": None,
                              "resultaat": None, "archiefactiedatum": None,
                              **{k: payload[k] for k in _OPENED_COLUMNS if k in payload}}


# What case_opened records of the case row; its number since 6 Dec 2026 (before: not compared).
_OPENED_COLUMNS = ("gemeente", "client_id", "case_number")


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
    termijn = payload.get("termijn") or {}
    values.update(termijn)
    if "created_at" in termijn:  # since issue 16 item 3: the whole row, and its event names the instance
        values["instance_id"] = event["instance_id"]
    return payload["deadline_id"], values


register(Projection(cases, {"case_opened": _opened, "case_closed": _closed}, case_column="id",
                    is_case_row=True))
register(Projection(deadlines, dict.fromkeys(DEADLINE_KINDS, _deadline)))


def _listed(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The case's item on the list."""
    return payload["list_id"], {"listed_at": event["at"]}


def _list(payload: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The list as proposed; while the case exists its list is not approved (approval destroys it)."""
    return payload["list_id"], {"gemeente": payload["gemeente"], "status": "concept",
                                "created_by": event["actor"], "created_at": event["at"],
                                "approved_by": None, "approved_at": None}


def _items_of_case() -> Any:
    items = destruction_list_items.c
    return (items.case_number == bindparam("cnum")) & (destruction_lists.c.id == items.list_id)


def _lists_of_case() -> Any:
    items = destruction_list_items.c
    return destruction_lists.c.id.in_(select(items.list_id).where(items.case_number == bindparam("cnum")))


def _items_of_cases() -> Any:
    items = destruction_list_items.c
    return select(*_item_columns(), items.case_number.label(BATCH_CASE)).where(
        items.case_number.in_(bindparam("cnums", expanding=True)), destruction_lists.c.id == items.list_id)


def _item_columns() -> list[Any]:
    return [destruction_list_items.c.list_id, destruction_list_items.c.case_number,
            destruction_lists.c.created_at.label("listed_at")]


def _lists_of_cases() -> Any:
    items = destruction_list_items.c
    return select(destruction_lists, items.case_number.label(BATCH_CASE)).where(
        destruction_lists.c.id == items.list_id, items.case_number.in_(bindparam("cnums", expanding=True)))


# An item is keyed by its list (a case is on one list at most: ``due`` leaves listed cases out);
# lists made before their cases had these events are not required to have one (created_column).
register(Projection(destruction_list_items, {LISTED: _listed}, key="list_id", case_filter=_items_of_case,
                    columns=_item_columns, created_column="listed_at", batch_rows=_items_of_cases))
register(Projection(destruction_lists, {LISTED: _list}, case_filter=_lists_of_case,
                    created_column="created_at", batch_rows=_lists_of_cases))
