"""Bezwaar against a beschikking: register it, decide on it (Awb chapters 6 and 7).

The domain rules (terms, ontvankelijkheid, what an upheld bezwaar undoes) are in
processes/beschikking.py; here the actor's rules: who may, on which case, and the processing-log
line, written in the same transaction as the bezwaar itself.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.accounts.admin import FormErrors
from casework.cases import CaseRef, visible_case
from casework.context import Context
from casework.errors import FormRefused, NotAllowed
from casework.letter_templates import letter_settings
from casework.roles import CASEWORK_ROLES
from engine.errors import InvalidInput, NotFound
from engine.storage.db import events, utcnow, work_items
from processes import beschikking
from processes.beschikking import Bezwaar
from processes.system_models import HEROVERWEGING
from processes.tables import beschikkingen, bezwaren

DECIDING_ROLES = frozenset({"casemanager", "teamleider"})


def register(ctx: Context, case_id: int, form: Mapping[str, str]) -> Bezwaar:
    """Register a bezwaar from the dossier's form (beschikking_id, ontvangen_op, gepost_op: the postmark,
    optional, Awb 6:9 lid 2; gronden, adviescommissie, verschoonbaar). FormErrors by field; NotFound for
    a case or beschikking the actor cannot see."""
    if not ctx.user.roles & CASEWORK_ROLES:
        raise NotAllowed("alleen wie aan zaken werkt kan een bezwaar registreren")
    start = utcnow()
    received = _date(form.get("ontvangen_op", ""))
    with ctx.engine.transaction() as tx:
        case = visible_case(tx.conn, ctx.user, case_id)
        letters = {b.id for b in beschikking.beschikkingen_of(tx.conn, case_id)}
        if _int(form.get("beschikking_id")) not in letters:
            raise FormErrors({"beschikking_id": "Beschikking: kies de beschikking waartegen bezwaar is "
                                                "gemaakt."})
        if received is None:
            raise FormErrors({"ontvangen_op": "Ontvangen op: vul een datum in (jjjj-mm-dd)."})
        posted_text = (form.get("gepost_op") or "").strip()
        posted = _date(posted_text) if posted_text else None
        if posted_text and posted is None:
            raise FormErrors({"gepost_op": "Gepost op: vul een datum in (jjjj-mm-dd) of laat het leeg."})
        try:
            found = beschikking.register_bezwaar(
                tx, int(form["beschikking_id"]), received, form.get("gronden", ""), ctx.user.username,
                adviescommissie=form.get("adviescommissie") == "ja", verschoonbaar=form.get("verschoonbaar"),
                gepost_op=posted)
        except InvalidInput as exc:
            raise _field_error(exc) from exc
        _log(ctx, tx.conn, case, f"bezwaar {found.id} geregistreerd ({found.status})", start)
        return found


def decide(ctx: Context, case_id: int, bezwaar_id: int, uitkomst: str, motivering: str,
           horen: str = "") -> Bezwaar:
    """Decide on a registered bezwaar; an upheld one revokes the beschikking in the same
    transaction (processes/beschikking.decide_bezwaar). ``horen``: the hearing (Awb 7:2) or the 7:3
    ground for leaving it out, required. ConflictError when decided meanwhile."""
    if not ctx.user.roles & DECIDING_ROLES:
        raise NotAllowed("alleen een casemanager of teamleider beslist op een bezwaar")
    if not horen:
        raise FormErrors({"horen": "Horen: kies of de indiener is gehoord of waarom dat niet hoefde "
                                   "(Awb 7:2, 7:3)."})
    start = utcnow()
    with ctx.engine.transaction() as tx:
        case = visible_case(tx.conn, ctx.user, case_id)
        if bezwaar_id not in {b.id for b in beschikking.bezwaren_of(tx.conn, case_id)}:
            raise NotFound(f"bezwaar {bezwaar_id} niet gevonden")
        hoofd = letter_settings(tx.conn, ctx.user.gemeente).hoofd  # the letter in the gemeente's template
        try:
            found = beschikking.decide_bezwaar(tx, bezwaar_id, uitkomst, motivering, ctx.user.username,
                                               horen=horen, hoofd=hoofd)
        except InvalidInput as exc:
            raise _field_error(exc) from exc
        except NotFound as exc:  # an upheld bezwaar needs the heroverweging process, not deployed here
            raise FormErrors({"": f"De beslissing is niet opgeslagen: {exc}. Vraag de beheerder om trede "
                                  "bij te werken (trede db upgrade)."}) from exc
        _log(ctx, tx.conn, case, f"op bezwaar {bezwaar_id} beslist: {found.status}", start)
        return found


def first_decision_by(conn: Connection, task_id: str) -> str | None:
    """Who took the decision that a gegrond bezwaar revoked, when ``task_id`` is the task that takes
    it anew (the reopened decision task, or the task of the heroverweging process); else None."""
    item = conn.execute(select(work_items.c.instance_id, work_items.c.case_id, work_items.c.process_id)
                        .where(work_items.c.task_id == task_id)).first()
    if item is None:
        return None
    revised = select(beschikkingen.c.created_by).where(beschikkingen.c.case_id == item.case_id,
                                                       beschikkingen.c.status == "herzien")
    if item.process_id == HEROVERWEGING:  # started for the bezwaar its start event names
        started = conn.execute(select(events.c.payload).where(
            events.c.case_id == item.case_id, events.c.instance_id == item.instance_id,
            events.c.kind == "instance_started")).scalar()
        bezwaar_id = _bezwaar_in(started)
        if bezwaar_id is None:
            return None
        return conn.execute(revised.join_from(beschikkingen, bezwaren,
                                              bezwaren.c.beschikking_id == beschikkingen.c.id)
                            .where(bezwaren.c.id == bezwaar_id)).scalar()
    decided_in = select(events.c.seq).where(events.c.case_id == item.case_id, events.c.task_id == task_id,
                                            events.c.kind == "task_completed")
    return conn.execute(revised.where(beschikkingen.c.instance_id == item.instance_id,
                                      beschikkingen.c.event_seq.in_(decided_in))).scalar()


def check_new_decision(ctx: Context, task_id: str) -> None:
    """Awb 7:5 (issue 19 item 15): after a gegrond bezwaar the new decision is taken by someone other
    than who took the revoked one. FormRefused (nothing written) when the actor took it."""
    with ctx.engine.reader.connect() as conn:
        first = first_decision_by(conn, task_id)
    if first is not None and first == ctx.user.username:
        raise FormRefused({"": "U nam het besluit dat na het gegronde bezwaar is herroepen; een collega "
                              "neemt het nieuwe besluit (Awb 7:5). Geef de taak vrij of vraag de "
                              "teamleider haar toe te wijzen."})


def _bezwaar_in(payload: object) -> int | None:
    """The bezwaar a heroverweging was started for, from its start event's payload."""
    data = json.loads(payload) if isinstance(payload, str) else payload
    found = data.get("data", data) if isinstance(data, dict) else None
    value = found.get("bezwaar_id") if isinstance(found, dict) else None
    return value if isinstance(value, int) else None


def _log(ctx: Context, conn: Connection, case: CaseRef, result: str, start: datetime) -> None:
    ctx.log(ctx.write_activity(), case.bsn, case.number, result, True, start, conn)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _field_error(exc: InvalidInput) -> FormErrors:
    """The domain's "field: message" as an error on that field."""
    field, _, message = str(exc).partition(": ")
    if not message:
        field, message = "", str(exc)
    return FormErrors({field: message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")})
