"""The client dossier: one inwoner with all their cases, voorzieningen, tasks, history and notes.

Everything is read within the user's gemeente; a client of another gemeente is NotFound.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from casework.accounts.service import User
from casework.intake import process_names
from casework.tables import case_notes
from casework.team.case_team import KIND as TEAM_KIND
from casework.team.case_team import team_names, teams_of_cases
from casework.visibility import may_see_case
from engine.errors import NotFound
from engine.scheduling.deadlines import Deadline
from engine.service import CaseEngine, WorkItem
from engine.storage.db import cases, clients, instances, read_only
from web import special_category
from web.dossier.present import datum

EVENT_LABELS = {
    "case_opened": "Dossier geopend",
    "instance_started": "Voorziening of proces gestart",
    "task_completed": "Taak afgerond",
    "task_claimed": "Taak geclaimd",
    "task_unclaimed": "Taak vrijgegeven",
    "task_reassigned": "Taak toegewezen",
    "casemanager_overgedragen": "Casemanager gewijzigd",  # handover or the dossier (issue 18 item 5)
    "partij_gekoppeld": "Zaak van een aanbieder of werkgever",  # issue 18 item 2
    "task_corrected": "Taak gecorrigeerd",
    "correctie_nagaan": "Na correctie nagaan",
    "deadline_set": "Termijn gezet",
    "deadline_suspended": "Termijn opgeschort",
    "deadline_resumed": "Opschorting beëindigd",
    "deadline_extended": "Termijn verlengd",
    "deadline_closed": "Termijn afgesloten",
    "deadline_escalated": "Termijn verstreken: geëscaleerd naar de teamleider",
    "destruction_listed": "Op vernietigingslijst geplaatst",
    "destruction_approved": "Vernietigingslijst goedgekeurd",
    "case_team_renamed": "Team van de zaak hernoemd",
    "case_closed": "Zaak afgesloten",
    "instance_migrated": "Naar nieuwe procesversie",
    "message_delivered": "Bericht ontvangen",
    "signal_delivered": "Signaal ontvangen",
    "timer_fired": "Termijn verstreken",
    TEAM_KIND: "Zaak naar ander team",
    "schedule_set": "Herhaling ingesteld",
    "document_added": "Document toegevoegd",
    "beschikking_issued": "Beschikking opgesteld (concept)",
    "beschikking_gecontroleerd": "Brief gecontroleerd",
    "beschikking_verzonden": "Beschikking verzonden",
    "beschikking_revised": "Beschikking herzien na bezwaar",
    "beschikking_ingetrokken": "Brief ingetrokken: besluit heropend",
    "beschikking_heropend": "Verzonden beschikking: besluit heropend",
    "bezwaar_registered": "Bezwaar ontvangen",
    "bezwaar_decided": "Op bezwaar beslist",
    "heroverweging_nodig": "Nieuw besluit nodig na bezwaar",
    "ledger_line_booked": "Boeking vastgelegd",
    "note_added": "Notitie toegevoegd",
    "ledger_lines_exported": "Boekingen naar de financiële administratie",
    "ledger_line_approved": "Betaling goedgekeurd",
    "ledger_line_paid": "Betaling uitgevoerd",
    "ledger_line_withdrawn": "Boeking vervallen",
}
INSTANCE_STATUS = {"running": "Loopt", "completed": "Afgerond", "error": "Fout"}


@dataclass
class TimelineEntry:
    at: datetime
    label: str
    actor: str
    case_number: str
    detail: str | None = None


@dataclass
class Decision:
    at: datetime
    name: str
    outputs: dict[str, Any]
    rule: Any
    version: str | None
    peildatum: str | None
    inputs: dict[str, Any]
    case_number: str
    explanation: str | None = None  # the hit policy's reasoning (``uitleg``), when recorded


@dataclass
class HumanDecision:
    """What a person decided in a task (a ``besluit`` field) and why."""

    at: datetime
    task_name: str | None
    actor: str
    besluit: Any
    motivering: str | None
    case_number: str


@dataclass
class Dossier:
    client: dict[str, Any]
    cases: list[dict[str, Any]]
    instances: list[dict[str, Any]]
    tasks: list[WorkItem]
    timeline: list[TimelineEntry] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    besluiten: list[HumanDecision] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    notes_hidden: int = 0  # notes this user may not read (they can hold health data)
    deadlines: list[tuple[str, Deadline]] = field(default_factory=list)  # (case number, deadline)
    teams: list[str] = field(default_factory=list)  # the gemeente's teams (moving a case)


def client_in_gemeente(db: Engine, user: User, client_id: int) -> dict[str, Any]:
    with read_only(db).connect() as conn:
        row = conn.execute(select(clients).where(clients.c.id == client_id,
                                                 clients.c.gemeente == user.gemeente)).mappings().first()
    if row is None:
        raise NotFound("cliënt niet gevonden")
    return dict(row)


def client_of_case(db: Engine, user: User, case_id: int) -> int:
    with read_only(db).connect() as conn:
        found = conn.execute(select(cases.c.client_id).where(
            cases.c.id == case_id, cases.c.gemeente == user.gemeente)).scalar()
        if found is not None and not may_see_case(conn, user, case_id):
            found = None  # another team's case, in a gemeente that chose team-only visibility
    if found is None:
        raise NotFound("zaak niet gevonden")
    return found


def dossier(engine: CaseEngine, user: User, client_id: int, people: dict[str, str] | None = None) -> Dossier:
    """``people`` (username -> full name) names the people in the timeline's details."""
    client = client_in_gemeente(engine.db, user, client_id)
    with engine.reader.connect() as conn:
        case_rows = [dict(r) for r in conn.execute(
            select(cases).where(cases.c.client_id == client_id).order_by(cases.c.id)).mappings()]
        # Team-only visibility (issue 8.1): only the cases this user may see; none at all: not found.
        visible = [c for c in case_rows if may_see_case(conn, user, c["id"])]
        if case_rows and not visible:
            raise NotFound("cliënt niet gevonden")
        case_rows = visible
        numbers = {c["id"]: c["case_number"] for c in case_rows}
        names = process_names(conn, user.gemeente)
        inst_rows = [{**dict(r), "name": names.get(r["process_id"], r["process_id"]),
                      "case_number": numbers[r["case_id"]], "status_label": INSTANCE_STATUS.get(r["status"],
                                                                                                 r["status"])}
                     for r in conn.execute(select(instances.c.id, instances.c.case_id, instances.c.process_id,
                                                  instances.c.status, instances.c.created_at,
                                                  instances.c.completed_at, instances.c.parent_instance_id)
                                           .where(instances.c.case_id.in_(numbers)).order_by(instances.c.id))
                     .mappings()]
        notes = [dict(r) for r in conn.execute(
            select(case_notes).where(case_notes.c.case_id.in_(numbers))
            .order_by(case_notes.c.created_at.desc(), case_notes.c.id.desc())).mappings()]
        case_team = teams_of_cases(conn, list(numbers))
        for c in case_rows:
            c["team"] = case_team.get(c["id"])
        team_list = team_names(conn, user.gemeente)
    hidden = 0
    if not special_category.may_read(user.roles):  # free text can hold health data (AVG art. 9)
        notes, hidden = [], len(notes)
    result = Dossier(client, case_rows, inst_rows, [], notes=notes, teams=team_list, notes_hidden=hidden)
    for case_id, number in numbers.items():
        result.tasks += engine.ready_tasks(gemeente=user.gemeente, case_id=case_id)
        result.deadlines += [(number, d) for d in engine.case_deadlines(case_id)]
        _read_history(engine, case_id, number, result, names, people or {})
    result.timeline.sort(key=lambda e: e.at, reverse=True)
    return result


def _detail(event, names: dict[str, str], people: dict[str, str]) -> str | None:
    payload = event.payload
    title = payload.get("title") or event.task_name
    if event.kind == "task_reassigned":
        was = f", was van {people.get(payload['from'], payload['from'])}" if payload.get("from") else ""
        return f"‘{title}’ toegewezen aan {people.get(payload.get('user') or '', payload.get('user'))}{was}"
    if event.kind == "task_corrected":
        return f"‘{title}’ heropend: {payload.get('reason')}"
    if event.kind == "beschikking_issued":
        return f"{payload.get('onderwerp')}: {payload.get('besluit')}"
    if event.kind == "beschikking_verzonden":
        return f"verzonden op {datum(payload.get('verzonden_op'))}"
    if event.kind in ("beschikking_ingetrokken", "beschikking_heropend"):
        return f"beschikking {payload.get('beschikking_id')}: {payload.get('reden')}"
    if event.kind == "bezwaar_decided":
        return f"{payload.get('uitkomst')}: {payload.get('motivering')}"
    if event.kind == TEAM_KIND:
        return f"{payload.get('van') or 'geen team'} → {payload.get('naar')}: {payload.get('reden')}"
    if event.kind.startswith("deadline_"):
        return f"{payload.get('name')} (uiterlijk {datum(payload.get('due_date'))})"
    if event.kind.startswith("task_"):
        return title
    process_id = payload.get("process_id")
    return names.get(process_id, process_id) if process_id else None


def _read_history(engine: CaseEngine, case_id: int, number: str, into: Dossier,
                  names: dict[str, str], people: dict[str, str]) -> None:
    for event in engine.history(case_id):
        data = event.payload.get("data") if isinstance(event.payload.get("data"), dict) else {}
        detail = _detail(event, names, people)
        label = EVENT_LABELS.get(event.kind, event.kind)
        if event.kind == "beschikking_issued" and "brief_status" not in event.payload:
            label = "Beschikking verzonden"  # issued before the review step (issue 18 item 9): sent when made
        into.timeline.append(TimelineEntry(event.at, label, event.actor, number, detail))
        if event.kind == "task_completed" and data.get("besluit") is not None:
            into.besluiten.append(HumanDecision(event.at, event.task_name, event.actor, data["besluit"],
                                                data.get("motivering"), number))
        for key, value in data.items():
            if key.startswith("beslissing_") and isinstance(value, dict):
                into.decisions.append(Decision(
                    event.at, key.removeprefix("beslissing_"), value.get("outputs") or {}, value.get("regel"),
                    value.get("versie"), value.get("peildatum"), value.get("inputs") or {}, number,
                    value.get("uitleg")))
