"""Destruction of closed cases whose retention period has passed (Archiefwet; Selectielijst 2020),
from the beheer screen: one beheerder proposes a list, another approves it and the cases are
destroyed (engine/retention/destruction.py; four eyes, a record of each destruction stays).

The page shows case numbers, results and dates only: a beheerder has no access to case content.
Both steps get a line in the beheer log.
"""
from __future__ import annotations

from typing import Any

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.accounts.service import User
from casework.errors import NotAllowed
from engine.errors import ConflictError, InvalidInput
from engine.service import CaseEngine
from processes.retention import RESULTATEN


def overview(engine: CaseEngine, gemeente: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(cases due for destruction, the gemeente's destruction lists)."""
    due = engine.due_for_destruction(gemeente)
    return [{**row, "resultaat_label": _label(row["resultaat"])} for row in due], \
        engine.destruction_lists(gemeente)


def _beheerder(actor: User) -> None:
    if not actor.has("beheerder"):
        raise NotAllowed("alleen een beheerder stelt vernietigingslijsten op en keurt ze goed")


def propose(engine: CaseEngine, actor: User, case_numbers: list[str]) -> int:
    _beheerder(actor)
    if not case_numbers:
        raise FormErrors({"zaak": "Zaken: kies minstens één zaak voor de vernietigingslijst."})
    try:
        list_id = engine.create_destruction_list(actor.gemeente, case_numbers, actor.username)
    except (ConflictError, InvalidInput) as exc:
        raise FormErrors({"zaak": f"Zaken: {exc}."}) from exc
    with engine.db.begin() as conn:
        record(conn, actor.gemeente, actor.username, "vernietigingslijst_opgesteld", f"lijst {list_id}",
               f"{len(case_numbers)} zaken: {', '.join(case_numbers)}")
    return list_id


def approve(engine: CaseEngine, actor: User, list_id: int) -> int:
    """Raises NotFound (not a list of this gemeente) or ConflictError (four eyes, already done)."""
    _beheerder(actor)
    count = engine.approve_destruction_list(list_id, actor.gemeente, actor.username)
    with engine.db.begin() as conn:
        record(conn, actor.gemeente, actor.username, "vernietigingslijst_goedgekeurd", f"lijst {list_id}",
               f"{count} zaken vernietigd")
    return count


def _label(resultaat: str | None) -> str:
    rule = RESULTATEN.get(resultaat or "")
    if rule is None:
        return resultaat or "—"
    return f"{rule.omschrijving} ({rule.selectielijstklasse}, {rule.bewaartermijn})"
