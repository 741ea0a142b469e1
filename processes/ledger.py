"""The ledger of money: what the gemeente owes (premiums, fees, advances, subsidies) or claims back.

Lines are born in the step that fiats a payment (service task ``ledger_line``), in the same
transaction as that step's event, so every line points at the case, the process instance, the
event (seq) and the decision that produced it. A line starts as ``concept``; a second person with
the role financien approves it (four eyes: never the one who created it), then it is payable and
goes to the financial system in the CSV export; ``betaald`` records the payment. A line whose
decision is revised on bezwaar before it reached the financial system is ``vervallen``; one that
already went out is undone by a counter line (``revoke_for_decision``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from engine.errors import ConflictError, InvalidInput, NotFound, StepFailed
from engine.runtime import StepContext
from engine.service import CaseEngine
from engine.storage.db import cases, clients
from processes.step_event import step_event_seq
from processes.tables import ledger_lines

SOORTEN = {
    "premie": "Premie aan de inwoner",
    "vergoeding": "Vergoeding aan werkgever of aanbieder",
    "voorschot": "Voorschot aan werkgever of aanbieder",
    "subsidie": "Subsidie",
    "terugvordering": "Terugvordering",
}
STATUSES = ("concept", "goedgekeurd", "betaald", "vervallen")
APPROVER_ROLE = "financien"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LedgerLine:
    id: int
    case_id: int
    case_number: str
    gemeente: str
    instance_id: int | None
    event_seq: int | None
    beslissing: str | None
    soort: str
    ontvanger: str
    omschrijving: str
    bedrag: Decimal
    status: str
    created_by: str
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    paid_at: datetime | None
    exported_at: datetime | None = None


def to_amount(value: Any) -> Decimal:
    """An amount in euros, rounded half up to whole cents (never through a float's binary error)."""
    if isinstance(value, float):
        value = repr(value)  # 0.1 stays "0.1", not 0.1000000000000000055...
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidInput(f"bedrag: {value!r} is geen bedrag") from exc
    if not amount.is_finite():
        raise InvalidInput(f"bedrag: {value!r} is geen bedrag")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def euro(amount: Decimal, sign: str = "€") -> str:
    """An amount the Dutch way: € 1.935,50 (a letter in a Latin-1 font writes EUR)."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"{sign} {whole.replace(',', '.')},{cents}"


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _line(row) -> LedgerLine:
    return LedgerLine(
        row["id"],
        row["case_id"],
        row["case_number"],
        row["gemeente"],
        row["instance_id"],
        row["event_seq"],
        row["beslissing"],
        row["soort"],
        row["ontvanger"],
        row["omschrijving"],
        Decimal(row["bedrag_centen"]) / 100,
        row["status"],
        row["created_by"],
        row["created_at"],
        row["approved_by"],
        row["approved_at"],
        row["paid_at"],
        row["exported_at"],
    )


BOOKED = "ledger_line_booked"  # the line's own event, so verify can rebuild the row (issue 16)
EXPORTED = "ledger_lines_exported"  # which lines of the case went to the financial system


def booked(conn: Connection, line_id: int) -> dict:
    """The payload of a line's ``ledger_line_booked`` event: the line as booked."""
    line = get(conn, line_id)
    return {"line_id": line.id, "soort": line.soort, "bedrag": str(line.bedrag), "ontvanger": line.ontvanger,
            "omschrijving": line.omschrijving, "status": line.status, "beslissing": line.beslissing,
            "event_seq": line.event_seq}


def add_line(
    conn: Connection,
    case: dict,
    *,
    soort: str,
    bedrag: Any,
    ontvanger: str,
    omschrijving: str,
    actor: str,
    now: datetime,
    instance_id: int | None = None,
    event_seq: int | None = None,
    beslissing: str | None = None,
) -> int:
    if soort not in SOORTEN:
        raise InvalidInput(f"soort: moet een van {', '.join(SOORTEN)} zijn, niet {soort!r}")
    amount = to_amount(bedrag)
    if amount <= 0:
        raise InvalidInput("bedrag: moet groter dan nul zijn (een terugvordering is een eigen soort)")
    if not (ontvanger or "").strip():
        raise InvalidInput("ontvanger: wie ontvangt (of terugbetaalt) het bedrag?")
    return conn.execute(
        ledger_lines.insert().values(
            case_id=case["id"],
            case_number=case["case_number"],
            gemeente=case["gemeente"],
            instance_id=instance_id,
            event_seq=event_seq,
            beslissing=beslissing,
            soort=soort,
            ontvanger=ontvanger.strip(),
            omschrijving=(omschrijving or SOORTEN[soort]).strip(),
            bedrag_centen=_cents(amount),
            status="concept",
            created_by=actor,
            created_at=now,
        )
    ).inserted_primary_key[0]


def ledger_line_service(ctx: StepContext, task, params: dict) -> dict:
    """Service task ``ledger_line``: book the fiatted amount, written with the step's own event.

    Pure on purpose: it only validates and queues the write, so replaying the case (which runs
    the handler again and discards the queued write) gives the same state.
    """
    soort, ontvanger = params.get("soort"), params.get("ontvanger")
    try:
        amount = to_amount(params.get("bedrag"))
    except InvalidInput as exc:
        raise StepFailed(f"ledger_line: {exc}", task.task_spec.bpmn_name) from exc
    if soort not in SOORTEN or not ontvanger:
        raise StepFailed("ledger_line: 'soort' en 'ontvanger' zijn verplicht", task.task_spec.bpmn_name)
    if amount <= 0:  # nothing is owed (e.g. a replacement candidate): no line
        return {"geboekt": False, "bedrag": "0.00"}

    def write(conn: Connection, case: dict, instance_id: int, actor: str, now: datetime, append) -> dict:
        receiver = str(ontvanger)
        if receiver == "inwoner":  # the model names the role; the financial system needs the person
            receiver = (
                conn.execute(select(clients.c.naam).where(clients.c.id == case["client_id"])).scalar()
                or receiver
            )
        line_id = add_line(
            conn,
            case,
            soort=soort,
            bedrag=amount,
            ontvanger=receiver,
            omschrijving=str(params.get("omschrijving") or ""),
            actor=actor,
            now=now,
            instance_id=instance_id,
            event_seq=step_event_seq(conn, case, instance_id),  # the fiat or decision, not its letter
            beslissing=params.get("beslissing"),
        )
        return append(conn, case, kind=BOOKED, actor=actor, at=now, instance_id=instance_id,
                      payload=booked(conn, line_id))

    ctx.effects.append(write)
    return {"geboekt": True, "bedrag": str(amount)}


def revoke_for_decision(
    conn: Connection, case: dict, instance_id: int | None, event_seq: int | None, reden: str, actor: str,
    now: datetime,
) -> tuple[list[LedgerLine], list[int]]:
    """Undo the money a revised decision booked in its own step (e.g. a recovery), in this transaction.

    A line still with us (concept, or approved but not exported) is withdrawn: ``vervallen``. A line
    the financial system already has (exported or paid) cannot be taken back, so a counter line of
    the opposite direction is booked, in concept: it too needs the second person before it is
    payable. Returns (the withdrawn lines as they were, counter line ids); the caller records the
    withdrawals as events (``ledger_line_withdrawn``) so reports read them like approvals.
    """
    if instance_id is None or event_seq is None:
        return [], []
    rows = conn.execute(
        select(ledger_lines).where(
            ledger_lines.c.case_id == case["id"],
            ledger_lines.c.instance_id == instance_id,
            ledger_lines.c.event_seq == event_seq,
            ledger_lines.c.status != "vervallen",
        ).order_by(ledger_lines.c.id)
    ).mappings().all()
    withdrawn, countered = [], []
    for row in rows:
        line = _line(row)
        if line.status != "betaald" and row["exported_at"] is None:
            conn.execute(update(ledger_lines).where(ledger_lines.c.id == line.id).values(status="vervallen"))
            withdrawn.append(line)
            continue
        countered.append(
            add_line(
                conn,
                case,
                soort="vergoeding" if line.soort == "terugvordering" else "terugvordering",
                bedrag=line.bedrag,
                ontvanger=line.ontvanger,
                omschrijving=f"Tegenboeking van regel {line.id} ({line.omschrijving}): {reden}",
                actor=actor,
                now=now,
                instance_id=instance_id,
                event_seq=event_seq,
                beslissing=line.beslissing,
            )
        )
    return withdrawn, countered


def lines(
    conn: Connection, gemeente: str | None = None, status: str | None = None, case_id: int | None = None,
    exported: bool | None = None,
) -> list[LedgerLine]:
    """The lines, oldest first; ``exported`` True/False: only those that did / did not go out yet."""
    query = select(ledger_lines).order_by(ledger_lines.c.created_at, ledger_lines.c.id)
    if exported is not None:
        column = ledger_lines.c.exported_at
        query = query.where(column.is_not(None) if exported else column.is_(None))
    if gemeente is not None:
        query = query.where(ledger_lines.c.gemeente == gemeente)
    if status is not None:
        query = query.where(ledger_lines.c.status == status)
    if case_id is not None:
        query = query.where(ledger_lines.c.case_id == case_id)
    return [_line(r) for r in conn.execute(query).mappings()]


def get(conn: Connection, line_id: int, lock: bool = False) -> LedgerLine:
    query = select(ledger_lines).where(ledger_lines.c.id == line_id)
    row = conn.execute(query.with_for_update() if lock else query).mappings().first()
    if row is None:
        raise NotFound(f"boekingsregel {line_id} bestaat niet")
    return _line(row)


class Ledger:
    """Approve and pay lines; each change is an event in the case's chain (who, when, which line)."""

    def __init__(self, engine: CaseEngine) -> None:
        self.engine = engine

    def approve(self, line_id: int, user: str, roles: frozenset[str]) -> LedgerLine:
        if APPROVER_ROLE not in roles:
            raise ConflictError("alleen de financiële administratie keurt boekingen goed")
        return self._move(
            line_id,
            user,
            "concept",
            "goedgekeurd",
            "ledger_line_approved",
            lambda line: (
                line.created_by == user
                and "u heeft deze regel zelf aangemaakt: "
                "een ander van de financiële administratie keurt hem goed (vier ogen)"
            ),
            approved_by=user,
            approved_at=self.engine.clock.now(),
        )

    def mark_paid(self, line_id: int, user: str, roles: frozenset[str]) -> LedgerLine:
        if APPROVER_ROLE not in roles:
            raise ConflictError("alleen de financiële administratie legt betalingen vast")
        return self._move(
            line_id,
            user,
            "goedgekeurd",
            "betaald",
            "ledger_line_paid",
            lambda line: None,
            paid_by=user,
            paid_at=self.engine.clock.now(),
        )

    def _move(
        self, line_id: int, user: str, from_status: str, to_status: str, kind: str, refuse, **values
    ) -> LedgerLine:
        with self.engine.transaction() as tx:
            conn = tx.conn
            case = tx.case(get(conn, line_id).case_id)  # the case first: the lock order of steps
            line = get(conn, line_id, lock=True)
            if line.status != from_status:
                raise ConflictError(f"boekingsregel {line_id} is {line.status}, niet {from_status}")
            reason = refuse(line)
            if reason:
                raise ConflictError(reason)
            conn.execute(
                update(ledger_lines).where(ledger_lines.c.id == line_id).values(status=to_status, **values)
            )
            case.append(
                kind,
                user,
                {
                    "line_id": line_id,
                    "soort": line.soort,
                    "bedrag": str(line.bedrag),
                    "ontvanger": line.ontvanger,
                    "status": to_status,
                },
                instance_id=line.instance_id,
            )
            return get(conn, line_id)

    def export_csv(self, gemeente: str, user: str) -> str:
        """The approved (payable) lines not yet exported, for the financial system; marks them
        exported, not paid.

        Semicolon separated with a decimal point and a fixed header: what Dutch financial packages
        import without locale guessing. A line goes out in one batch only: exporting again holds
        only what was approved since, so no payment reaches the financial system twice. Which batch
        held a line is a fact of its case (``ledger_lines_exported``) and the ledger page shows it.
        """
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [
                "regel",
                "zaak",
                "gemeente",
                "soort",
                "ontvanger",
                "omschrijving",
                "bedrag",
                "beslissing",
                "gebeurtenis",
                "aangemaakt_door",
                "goedgekeurd_door",
                "goedgekeurd_op",
            ]
        )
        with self.engine.transaction() as tx:
            conn = tx.conn
            # The cases first, in id order (the lock order of steps, which lock a case before its
            # lines); then the lines again, as they are now that no step can change them.
            seen = {line.case_id for line in lines(conn, gemeente, "goedgekeurd", exported=False)}
            chained = sorted(conn.execute(select(cases.c.id).where(cases.c.id.in_(seen))).scalars())
            held = {case_id: tx.case(case_id) for case_id in chained}
            payable = [line for line in lines(conn, gemeente, "goedgekeurd", exported=False)
                       if line.case_id in seen]
            for line in payable:
                writer.writerow(
                    [
                        line.id,
                        line.case_number,
                        line.gemeente,
                        line.soort,
                        _safe(line.ontvanger),
                        _safe(line.omschrijving),
                        f"{line.bedrag:.2f}",
                        line.beslissing or "",
                        line.event_seq or "",
                        line.created_by,
                        line.approved_by,
                        line.approved_at.date().isoformat() if line.approved_at else "",
                    ]
                )
            if payable:
                conn.execute(
                    update(ledger_lines)
                    .where(ledger_lines.c.id.in_([x.id for x in payable]))
                    .values(exported_at=tx.now)  # the moment of the case events below
                )
            # Each case records which of its lines went to the financial system (issue 16); a
            # destroyed case's lines stay for the fiscal term (AWR art. 52) without a chain.
            per_case: dict[int, list[int]] = {}
            for line in payable:
                per_case.setdefault(line.case_id, []).append(line.id)
            for case_id, work in held.items():
                if case_id in per_case:
                    work.append(EXPORTED, user, {"line_ids": per_case[case_id]})
        return out.getvalue()


def _safe(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with = + - @."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
