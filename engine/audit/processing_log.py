"""Processing log following the Logboek Dataverwerkingen (LDV) standard.

Every read or write of a data subject's personal data gets one log line (one span) with the
trace it belongs to, the processing activity (a versioned URI into trede's register of processing
activities, AVG art. 30) and the data subject as a keyed pseudonym. The BSN itself never reaches
the log: the pseudonym is an HMAC with a key kept outside the database, scoped per gemeente so
logs of two gemeenten cannot be linked on it. Lines are written synchronously and the write is
confirmed (an exception fails the caller), as LDV requires; there is no sampling.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from engine.audit import log_chain
from engine.audit.seal import Sealer
from engine.storage.db import processing_log, read_only, utcnow
from engine.storage.key_files import read_or_create_hex_key

STATUS_UNSET, STATUS_OK, STATUS_ERROR = 0, 1, 2
SUBJECT_TYPE = "BSN-pseudoniem"  # what data_subject_id identifies: a BSN, pseudonymised
DEFAULT_KEY_FILE = Path("instance") / "pseudonym.key"
DEFAULT_REGISTER_BASE = "urn:trede:verwerkingsregister:"  # the settings' TREDE_REGISTER_BASE


@dataclass(frozen=True)
class Activity:
    """One entry of the register of processing activities; a change gets a new version."""

    key: str
    name: str
    purpose: str
    legal_basis: str
    version: int = 1

    def uri(self, base: str = DEFAULT_REGISTER_BASE) -> str:
        """Its URI in the register published at ``base`` (the gemeente's, or trede's own)."""
        return f"{base}{self.key}:v{self.version}"


_PW = "Participatiewet art. 7 lid 1 onder a; AVG art. 6 lid 1 onder e"
_ACCOUNT = "AVG art. 5 lid 2 en art. 30 (verantwoording); BIO 8.15"
REGISTER: dict[str, Activity] = {a.key: a for a in (
    Activity("dossier-raadplegen", "Re-integratiedossier raadplegen",
             "Ondersteuning bij arbeidsinschakeling: de casemanager bekijkt het dossier", _PW),
    Activity("zaak-starten", "Re-integratiezaak starten (intake)",
             "Ondersteuning bij arbeidsinschakeling: een nieuwe zaak voor een inwoner", _PW),
    Activity("taak-afhandelen", "Taak in een re-integratiezaak afhandelen",
             "Ondersteuning bij arbeidsinschakeling: gegevens vastleggen en besluiten", _PW),
    Activity("api-raadplegen", "Zaakgegevens via de API raadplegen",
             "Gegevensuitwisseling met gekoppelde systemen van de gemeente", _PW),
    Activity("api-muteren", "Zaakgegevens via de API wijzigen",
             "Gegevensuitwisseling met gekoppelde systemen van de gemeente", _PW),
    Activity("audit-zaakhistorie", "Zaakhistorie controleren (audit)",
             "Verantwoording: controle of een zaak rechtmatig en juist is behandeld", _ACCOUNT),
    Activity("audit-export", "Zaakhistorie exporteren (audit)",
             "Verantwoording: de historie van een zaak overdragen aan een controleur", _ACCOUNT),
    Activity("logboek-doorzoeken", "Verwerkingenlogboek doorzoeken (audit)",
             "Verantwoording: nagaan wie wanneer gegevens van een inwoner verwerkte", _ACCOUNT),
    Activity("bsn-inzien", "Volledig BSN van een inwoner tonen",
             "Ondersteuning bij arbeidsinschakeling: het BSN nodig voor contact met andere instanties", _PW),
    Activity("incident-afhandelen", "Vastgelopen stap in een zaak bekijken en afhandelen (beheer)",
             "Ondersteuning bij arbeidsinschakeling: een zaak die de verwerking niet verder kon brengen "
             "opnieuw laten verwerken of haar proces beëindigen", _PW),
    Activity("inzage-export", "Inzageverzoek beantwoorden (export van alle gegevens)",
             "Recht op inzage van de betrokkene", "AVG art. 15; AVG art. 12 lid 3"),
)}


def activity(key: str) -> Activity:
    try:
        return REGISTER[key]
    except KeyError:
        raise ValueError(f"verwerkingsactiviteit {key!r} staat niet in het register") from None


def activity_by_uri(uri: str, base: str = DEFAULT_REGISTER_BASE) -> Activity | None:
    return next((a for a in REGISTER.values() if a.uri(base) == uri), None)


class Pseudonymizer:
    """Keyed pseudonyms of BSNs: stable per gemeente, not reversible without the key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must be at least 16 bytes")
        self._key = key

    def pseudonym(self, gemeente: str, bsn: str) -> str:
        message = f"{gemeente}:{bsn.strip()}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def load_pseudonymizer(key_file: Path | None = None) -> Pseudonymizer:
    """Key from a file outside the database (default ``instance/pseudonym.key``), created on first use;
    the settings give the key itself instead when TREDE_PSEUDONYM_KEY is set."""
    return Pseudonymizer(read_or_create_hex_key(key_file or DEFAULT_KEY_FILE))


_default_pseudonymizer: list[Pseudonymizer] = []


def default_pseudonymizer() -> Pseudonymizer:
    if not _default_pseudonymizer:
        _default_pseudonymizer.append(load_pseudonymizer())
    return _default_pseudonymizer[0]


def new_trace_id() -> str:
    return secrets.token_hex(16)


def new_span_id() -> str:
    return secrets.token_hex(8)


@dataclass
class Trace:
    """One trace: a new one per processing, or the caller's when it sent W3C trace context."""

    trace_id: str = field(default_factory=new_trace_id)
    parent_span_id: str | None = None
    foreign: dict[str, Any] | None = None  # the caller's {trace_id, span_id} when it came from outside

    @classmethod
    def from_traceparent(cls, header: str | None) -> Trace:
        """Continue a W3C ``traceparent`` (00-<trace>-<span>-<flags>); a bad one starts anew."""
        parts = (header or "").strip().split("-")
        if (len(parts) == 4 and len(parts[1]) == 32 and len(parts[2]) == 16
                and _is_hex(parts[1] + parts[2]) and parts[1] != "0" * 32 and parts[2] != "0" * 16):
            return cls(parts[1], parts[2], {"trace_id": parts[1], "span_id": parts[2]})
        return cls()


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


@dataclass(frozen=True)
class LogLine:
    trace_id: str
    span_id: str


def log_processing(target: Connection | Engine, activity_key: str, actor: str, data_subject_bsn: str | None,
                   result: str, *, gemeente: str, name: str | None = None, trace: Trace | None = None,
                   start: datetime | None = None, end: datetime | None = None,
                   status_code: int = STATUS_OK, object_ref: str | None = None, origin: str | None = None,
                   pseudonymizer: Pseudonymizer | None = None, sealer: Sealer | None = None,
                   register_base: str = DEFAULT_REGISTER_BASE) -> LogLine:
    """Write one log line (one span) for one data subject; ``data_subject_bsn`` None = no subject.

    Pass a Connection to log inside the caller's transaction (a write and its log line commit or
    roll back together), or an Engine to log in a transaction of its own (reads).
    """
    entry = activity(activity_key)
    trace = trace or Trace()
    now = utcnow()
    subject = None
    if data_subject_bsn:
        subject = (pseudonymizer or default_pseudonymizer()).pseudonym(gemeente, data_subject_bsn)
    line = LogLine(trace.trace_id, new_span_id())
    row = dict(
        trace_id=line.trace_id, span_id=line.span_id, parent_span_id=trace.parent_span_id,
        name=name or entry.name, start_time=start or now, end_time=end or now, status_code=status_code,
        processing_activity_id=entry.uri(register_base), data_subject_id=subject,
        data_subject_id_type=SUBJECT_TYPE if subject else None, gemeente=gemeente, actor=actor,
        origin=origin, object_ref=object_ref, result=result[:255],
        foreign_operation=json.dumps(trace.foreign) if trace.foreign else None, at=now,
    )
    if isinstance(target, Engine):
        with target.begin() as conn:
            log_chain.append(conn, row, sealer)
    else:
        log_chain.append(target, row, sealer)
    return line


@dataclass(frozen=True)
class LogQuery:
    gemeente: str
    subject_bsn: str | None = None
    actor: str | None = None
    activity_key: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500


def search(db: Engine, query: LogQuery, pseudonymizer: Pseudonymizer | None = None,
           register_base: str = DEFAULT_REGISTER_BASE) -> list[dict[str, Any]]:
    """Log lines of one gemeente, newest first; a BSN is searched by its pseudonym, never stored."""
    stmt = select(processing_log).where(processing_log.c.gemeente == query.gemeente)
    if query.subject_bsn:
        pseudonym = (pseudonymizer or default_pseudonymizer()).pseudonym(query.gemeente, query.subject_bsn)
        stmt = stmt.where(processing_log.c.data_subject_id == pseudonym)
    if query.actor:
        stmt = stmt.where(processing_log.c.actor == query.actor)
    if query.activity_key:
        uri = activity(query.activity_key).uri(register_base)
        stmt = stmt.where(processing_log.c.processing_activity_id == uri)
    if query.since:
        stmt = stmt.where(processing_log.c.at >= query.since)
    if query.until:
        stmt = stmt.where(processing_log.c.at < query.until)
    stmt = stmt.order_by(processing_log.c.at.desc(), processing_log.c.id.desc()).limit(query.limit)
    with read_only(db).connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]
