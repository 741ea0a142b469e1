"""Auditor service functions: finding a case in the auditor's gemeente, the "as of" moment, exports.

Everything is read only and scoped to the signed-in user's gemeente: a case of another gemeente
is NotFound, exactly like a case that does not exist.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from casework.accounts.service import User
from engine.audit.journal import GENESIS, hash_format
from engine.audit.replay import Verdict
from engine.errors import InvalidInput, NotFound
from engine.models import versions
from engine.service import CaseEngine
from engine.storage.db import cases, clients, instances
from web import special_category
from web.audit import zgw_trail
from web.audit.diagram import process_xml
from web.audit.history import CaseHistory, case_history, load_events
from web.audit.plain import plain

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")  # an auditor's "date" is a date in the Netherlands


@dataclass
class AuditCase:
    case: dict[str, Any]  # the cases row
    bsn: str  # only for the processing log; never rendered
    verdict: Verdict
    history: CaseHistory
    as_of: datetime | None
    as_of_text: str | None


def find_case(engine: CaseEngine, user: User, case_number: str) -> tuple[dict[str, Any], str]:
    """The case row and its client's BSN, if the case belongs to the user's gemeente."""
    with engine.reader.connect() as conn:
        row = conn.execute(select(cases, clients.c.bsn).outerjoin(clients, clients.c.id == cases.c.client_id)
                           .where(cases.c.case_number == case_number.strip().upper(),
                                  cases.c.gemeente == user.gemeente)).mappings().first()
    if row is None:
        raise NotFound("zaak niet gevonden")
    case = {k: v for k, v in row.items() if k != "bsn"}
    return case, row["bsn"]


def parse_as_of(text: str | None) -> datetime | None:
    """``YYYY-MM-DD`` means the end of that day in the Netherlands; ``YYYY-MM-DDTHH:MM`` that minute."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=LOCAL_TZ)
            if moment.second == 0 and moment.microsecond == 0:
                moment += timedelta(seconds=59, microseconds=999999)  # the whole minute counts
            return moment.astimezone(LOCAL_TZ)
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Datum: vul een datum in als JJJJ-MM-DD.") from None
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=LOCAL_TZ)


def audit_case(engine: CaseEngine, user: User, case_number: str, as_of_text: str | None = None) -> AuditCase:
    case, bsn = find_case(engine, user, case_number)
    as_of = parse_as_of(as_of_text)
    history = case_history(engine, case, as_of)
    if not special_category.may_read(user.roles):  # auditors: health data hidden on pages and PDF
        special_category.redact_history(history, special_category.special_fields(engine.db, case["gemeente"]))
    return AuditCase(case, bsn, engine.verify(case["id"]), history, as_of,
                     (as_of_text or "").strip() or None)


def export_json(engine: CaseEngine, found: AuditCase, user: User, now: datetime) -> str:
    """The case's recorded events, exactly as stored, with what is needed to check them offline.

    ``payload`` is the stored JSON (dates and amounts tagged, as trede stores them), so that
    ``json.dumps(payload, separators=(",", ":"))`` gives back the hashed text and every event
    hash can be recomputed with engine.audit.journal.event_hash (``hash_formaat`` 2, over every
    stored column, ``case_id`` included) or ``event_hash_v1`` (format 1, events written before
    issue 16). For a reader who may not see health
    data (an auditor) those values are replaced and the event says ``payload_afgeschermd``: its
    hash cannot be recomputed offline, but the links (``prev_hash``) still can, and the server's
    own verification, with the full data, is in ``verificatie``.
    """
    rows = load_events(engine, found.case["id"], found.as_of)
    formats = hash_formats(rows)
    hidden = (frozenset() if special_category.may_read(user.roles)
              else special_category.special_fields(engine.db, found.case["gemeente"]))
    doc = {
        "format": "trede-zaakhistorie-1",
        "zaak": {"zaaknummer": found.case["case_number"], "gemeente": found.case["gemeente"],
                 "status": found.case["status"], "aangemaakt": found.case["created_at"].isoformat(),
                 "gebeurtenissen_totaal": found.case["event_count"], "kop_hash": found.case["head_hash"]},
        "peilmoment": found.as_of.isoformat() if found.as_of else None,
        "geexporteerd_op": now.isoformat(),
        "geexporteerd_door": user.username,
        "tijdzone": "Tijden in UTC (ISO 8601 met +00:00); wettelijke datums volgen Europe/Amsterdam",
        "keten": {"kop_gebeurtenis": found.case["event_count"], "kop_hash": found.case["head_hash"],
                  "zegel_geldig": seal_valid(engine, found.case)},
        "verificatie": {"ok": found.verdict.ok, "problemen": found.verdict.problems,
                        "eerste_foute_gebeurtenis": found.verdict.first_bad_seq,
                        "uitgevoerd_op": now.isoformat()},
        "gebeurtenissen": [{
            "case_id": r["case_id"], "seq": r["seq"], "kind": r["kind"], "actor": r["actor"],
            "at": r["at"].isoformat(), "hash_formaat": formats[r["seq"]],
            "instance_id": r["instance_id"], "task_id": r["task_id"], "task_name": r["task_name"],
            **_payload(r["payload"], hidden), "state_hash": r["state_hash"],
            "prev_hash": r["prev_hash"], "hash": r["hash"],
        } for r in rows],
        "stappen": [{
            "seq": s.seq, "wat": s.label, "model": s.model_version, "elementen": s.elements,
            "voor": plain(s.before), "na": plain(s.after),
            "beslissingen": [plain(d.__dict__) for d in s.decisions], "probleem": s.problem,
        } for s in found.history.steps],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def audit_trail(engine: CaseEngine, found: AuditCase, user: User) -> list[dict]:
    """The case's changes as a ZGW audit trail (web/audit/zgw_trail.py), health data hidden for
    readers who may not see it."""
    hidden = (frozenset() if special_category.may_read(user.roles)
              else special_category.special_fields(engine.db, found.case["gemeente"]))
    rows = load_events(engine, found.case["id"], found.as_of)
    return zgw_trail.trail(rows, found.case["case_number"], hidden)


def hash_formats(rows: list[dict]) -> dict[int, int | None]:
    """Per event (seq) the format its stored hash is in; None for an event that no longer hashes
    to what it carries (verify names it)."""
    found: dict[int, int | None] = {}
    prev, newest = GENESIS, 0
    for row in rows:
        found[row["seq"]] = hash_format(prev, row, newest)
        newest = max(newest, found[row["seq"]] or 0)
        prev = row["hash"]
    return found


def _payload(text: str, hidden: frozenset[str]) -> dict[str, Any]:
    payload = json.loads(text)
    shown = special_category.redact(payload, hidden) if hidden else payload
    return {"payload": shown, "payload_afgeschermd": shown != payload}


def local(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%d-%m-%Y %H:%M:%S") if moment else ""


def stamp(moment: datetime | None) -> str:
    """A time with its zone, for a document that leaves trede: "06-12-2026 05:00:00 CET (UTC+01:00)"."""
    if moment is None:
        return ""
    here = moment.astimezone(LOCAL_TZ)
    offset = here.strftime("%z")
    return f"{here.strftime('%d-%m-%Y %H:%M:%S %Z')} (UTC{offset[:3]}:{offset[3:]})"


def seal_valid(engine: CaseEngine, case: dict[str, Any]) -> bool:
    """Is the chain head sealed with the key kept outside the database? (verify checks it too)"""
    return bool(case.get("seal")) and engine.sealer.check(case["id"], case["event_count"], case["head_hash"],
                                                          case["seal"])


def diagram_xml(engine: CaseEngine, user: User, case_number: str, instance_id: int) -> bytes:
    """The BPMN file (with a diagram) of the model version an instance of the case runs on."""
    case, _ = find_case(engine, user, case_number)
    with engine.reader.connect() as conn:
        version_id = conn.execute(select(instances.c.process_version_id).where(
            instances.c.id == instance_id, instances.c.case_id == case["id"])).scalar()
        if version_id is None:
            raise NotFound("procesinstantie niet gevonden")
        return process_xml(conn, versions.get_version(conn, version_id))
