"""The dossier's summary: what a case manager reads first about a client (issue 18 item 7).

Current trede and since when (the ladder measurements, on their meetdatum), the voorzieningen that
run with their provider, hours and dates, the next deadline, the money still open in the ledger,
the casemanager, and every username shown in the dossier as the person's full name. Read within
the user's gemeente and only from the cases they may see (``casework.visibility``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from casework.intake import process_names
from casework.people import User
from casework.tables import users
from casework.team.successors import successors
from casework.visibility import may_see_case
from engine.errors import NotFound
from engine.scheduling.deadlines import Deadline
from engine.scheduling.termijnen import legal_date
from engine.service import CaseEngine
from engine.storage.db import cases, clients, instances, read_only
from processes import beschikking, dossier_story, ledger
from processes.dossier_story import LadderMeting, LopendeVoorziening

OPEN_MONEY = ("concept", "goedgekeurd")  # booked, not yet paid or withdrawn


@dataclass(frozen=True)
class Payment:
    """One ledger line of the dossier, as its money section shows it (issue 18 item 1)."""
    case_number: str
    soort: str  # in words (ledger.SOORTEN)
    omschrijving: str
    ontvanger: str
    bedrag: Decimal
    stand: str  # where the money is, in words
    booked_on: date


def _stand(line: ledger.LedgerLine) -> str:
    if line.status == "concept":
        return "geboekt, wacht op goedkeuring door de financiële administratie"
    if line.status == "goedgekeurd":
        if line.exported_at is None:
            return "goedgekeurd, gaat mee in de volgende export naar het financiële systeem"
        return f"naar het financiële systeem op {legal_date(line.exported_at):%d-%m-%Y}, nog niet betaald"
    if line.status == "betaald":
        return "betaald" + (f" op {legal_date(line.paid_at):%d-%m-%Y}" if line.paid_at else "")
    return "vervallen (niet betaald)"


@dataclass(frozen=True)
class NextDeadline:
    name: str
    due_date: date
    fatal: bool
    case_number: str
    legal_basis: str | None


@dataclass
class Summary:
    ladder: list[LadderMeting] = field(default_factory=list)  # in date order
    voorzieningen: list[LopendeVoorziening] = field(default_factory=list)
    next_deadline: NextDeadline | None = None
    open_money: Decimal = Decimal(0)
    open_lines: int = 0
    payments: list[Payment] = field(default_factory=list)  # every ledger line, oldest first
    unsent_letters: int = 0  # beschikkingen still in their review step (not yet sent, Awb 3:41)
    casemanagers: list[str] = field(default_factory=list)  # full names, one per casemanager
    names: dict[str, str] = field(default_factory=dict)  # username -> full name (the gemeente's people)

    @property
    def trede(self) -> tuple[int, date] | None:
        """The current trede and the date since which it holds."""
        return dossier_story.current_trede(self.ladder)

    def naam(self, username: str | None) -> str:
        """A username as the person's full name (an unknown name, e.g. a system, as it is)."""
        if not username:
            return ""
        return self.names.get(username, username)


def full_names(conn: Connection, gemeente: str) -> dict[str, str]:
    """Every account of the gemeente, deactivated ones too: history keeps naming them."""
    query = select(users.c.username, users.c.naam).where(users.c.gemeente == gemeente)
    return {u: n for u, n in conn.execute(query)}


def names(db: Engine, gemeente: str) -> dict[str, str]:
    """username -> full name for the gemeente's people (pages that name people)."""
    with read_only(db).connect() as conn:
        return full_names(conn, gemeente)


def _casemanager(history: list[Any], handed: dict[str, tuple[str, str]]) -> str | None:
    """The case's casemanager: the latest one its data named (intake or a later task), followed
    through handovers; else the person who opened the case."""
    named, opener = None, None
    for event in history:
        data = event.payload.get("data") if isinstance(event.payload, dict) else None
        if isinstance(data, dict) and isinstance(data.get("casemanager"), str) and data["casemanager"]:
            named = data["casemanager"]
        if event.kind == "case_opened" and opener is None:
            opener = event.actor
    found = named or opener
    if found in handed:
        found = handed[found][0]
    return found


def summary(engine: CaseEngine, user: User, client_id: int) -> Summary:
    """The summary of one client's dossier as ``user`` may see it (NotFound: not theirs to see)."""
    result = Summary()
    with engine.reader.connect() as conn:
        if conn.execute(select(clients.c.id).where(clients.c.id == client_id,
                                                   clients.c.gemeente == user.gemeente)).first() is None:
            raise NotFound("cliënt niet gevonden")
        rows = [dict(r) for r in conn.execute(select(cases).where(
            cases.c.client_id == client_id, cases.c.gemeente == user.gemeente)
            .order_by(cases.c.id)).mappings()]
        visible = [r for r in rows if may_see_case(conn, user, r["id"])]
        if rows and not visible:
            raise NotFound("cliënt niet gevonden")
        result.names = full_names(conn, user.gemeente)
        names = process_names(conn, user.gemeente)
        query = select(instances.c.id, instances.c.case_id, instances.c.process_id).where(
            instances.c.case_id.in_([c["id"] for c in visible]), instances.c.status == "running")
        running = {r["id"]: (r["case_id"], names.get(r["process_id"], r["process_id"]))
                   for r in conn.execute(query).mappings()}
        handed = {c["id"]: successors(conn, c["id"]) for c in visible}
        for c in visible:
            result.unsent_letters += sum(1 for b in beschikking.beschikkingen_of(conn, c["id"])
                                         if b.status == "geldig" and not b.verzonden)
            for line in ledger.lines(conn, case_id=c["id"]):
                result.payments.append(Payment(
                    line.case_number, ledger.SOORTEN.get(line.soort, line.soort), line.omschrijving,
                    line.ontvanger, line.bedrag, _stand(line), legal_date(line.created_at)))
                if line.status in OPEN_MONEY:
                    result.open_money += line.bedrag
                    result.open_lines += 1
    deadlines: list[tuple[Deadline, str]] = []
    for c in visible:
        history = engine.history(c["id"])
        story = dossier_story.case_events(c["id"], c["case_number"], c["client_id"], history)
        result.ladder += dossier_story.ladder_history(c["case_number"], story)
        mine = {iid: name for iid, (case_id, name) in running.items() if case_id == c["id"]}
        result.voorzieningen += dossier_story.running_voorzieningen(c["case_number"], story, mine)
        if c["status"] == "open":
            manager = _casemanager(history, handed[c["id"]])
            if manager and result.naam(manager) not in result.casemanagers:
                result.casemanagers.append(result.naam(manager))
        deadlines += [(d, c["case_number"]) for d in engine.case_deadlines(c["id"]) if d.status == "open"]
    result.ladder = dossier_story.sorted_history(result.ladder)
    if deadlines:
        first, number = min(deadlines, key=lambda pair: (pair[0].due_date, pair[0].kind != "fatale_termijn"))
        result.next_deadline = NextDeadline(first.name, first.due_date, first.kind == "fatale_termijn",
                                            number, first.legal_basis)
    return result
