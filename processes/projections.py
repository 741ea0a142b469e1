"""The domain's projections checked by ``verify`` (issue 16): beschikkingen, bezwaren, documents and
ledger lines follow from their case's chained events, and a document's bytes from its hash.

Each fold maps one event kind to the row it implies (engine/audit/projections.py). Legal basis of
what is checked: a beschikking's besluit, amount, date and motivation (Awb 3:46, 4:32, 6:8); a
bezwaar's receipt, admissibility and decision (Awb 6:9, 6:11, 7:12); the money (Participatiewet
art. 58 recovery, AWR art. 52 retention of the administration).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine.audit.projections import Projection, register
from engine.audit.row_differences import Difference
from processes.beschikking import BEZWAAR_TERM_NAME
from processes.tables import beschikkingen, bezwaren, documents, ledger_lines, party_cases

BEZWAAR_TERM = re.compile(re.escape(BEZWAAR_TERM_NAME).replace(r"\{\}", r"(\d+)"))


def cents(amount: Any) -> int | None:
    return None if amount is None else int(Decimal(str(amount)) * 100)


def _issued(payload: Mapping[str, Any], event: Mapping[str, Any]):
    values = {"besluit": payload["besluit"], "onderwerp": payload["onderwerp"], "status": "geldig",
              "instance_id": event["instance_id"], "event_seq": payload.get("decision_event"),
              "bedrag_centen": cents(payload.get("bedrag")), "created_by": event["actor"],
              "created_at": event["at"],
              # letters issued before the review step (issue 18 item 9) went out when made
              "brief_status": payload.get("brief_status", "verzonden"),
              # checked and sent are later events of their own (or, before the review step, never
              # recorded): a name or address in these columns without its event is an edit
              "gecontroleerd_door": None, "gecontroleerd_op": None, "verzonden_door": None, "adres": None,
              "heropend": None}
    if "brief_status" in payload:
        values["verzonden_op"] = None
    values.update({k: payload[k] for k in ("motivering", "regel", "verzonden_op", "document_id")
                   if k in payload})
    return payload["beschikking_id"], values


def _checked(payload: Mapping[str, Any], event: Mapping[str, Any]):
    return payload["beschikking_id"], {"brief_status": payload["brief_status"],
                                       "gecontroleerd_door": event["actor"], "gecontroleerd_op": event["at"]}


def _sent(payload: Mapping[str, Any], event: Mapping[str, Any]):
    """Sent: the date the Awb terms run from (3:41, 6:8), to whom, and the letter that went out."""
    return payload["beschikking_id"], {
        "brief_status": payload["brief_status"], "verzonden_op": payload["verzonden_op"],
        "verzonden_door": event["actor"], "adres": payload["adres"], "document_id": payload["document_id"]}


def _withdrawn(payload: Mapping[str, Any], event: Mapping[str, Any]):
    """The decision behind an unsent letter was reopened: the letter does not go out."""
    return payload["beschikking_id"], {"brief_status": payload["brief_status"], "heropend": payload["reden"]}


def _flagged(payload: Mapping[str, Any], event: Mapping[str, Any]):
    """The decision behind a sent letter was reopened: the letter stands, flagged with the reason."""
    return payload["beschikking_id"], {"heropend": payload["reden"]}


def _revised(payload: Mapping[str, Any], event: Mapping[str, Any]):
    return payload["beschikking_id"], {"status": "herzien"}


def _registered(payload: Mapping[str, Any], event: Mapping[str, Any]):
    values = {k: payload[k] for k in ("beschikking_id", "ontvangen_op", "tijdig", "verschoonbaar", "status",
                                      "gronden", "adviescommissie", "beslissing") if k in payload}
    values.update(registered_by=event["actor"], registered_at=event["at"], decided_by=None, decided_at=None)
    if payload.get("status") == "niet-ontvankelijk":  # decided when registered (Awb 6:11)
        values.update(decided_by=event["actor"], decided_at=event["at"])
    return payload["bezwaar_id"], values


def _bezwaar_term(payload: Mapping[str, Any], event: Mapping[str, Any]):
    """The decision term of an admissible bezwaar (Awb 7:10), set right after its registration: the
    bezwaar's row points at it."""
    found = BEZWAAR_TERM.fullmatch(str(payload.get("name", "")))
    return None if found is None else (int(found.group(1)), {"deadline_id": payload["deadline_id"]})


def _decided(payload: Mapping[str, Any], event: Mapping[str, Any]):
    return payload["bezwaar_id"], {"status": payload["uitkomst"], "beslissing": payload["motivering"],
                                   "decided_by": event["actor"], "decided_at": event["at"]}


def _document(payload: Mapping[str, Any], event: Mapping[str, Any]):
    values = {k: payload[k] for k in ("soort", "filename", "sha256", "size", "content_type") if k in payload}
    values.update(uploaded_by=event["actor"], uploaded_at=event["at"])
    return payload["document_id"], values


def _letter(payload: Mapping[str, Any], event: Mapping[str, Any]):
    """The letter of a beschikking or of a beslissing op bezwaar, stored with it (its event names it
    since issue 16; Awb 7:12 for the beslissing op bezwaar)."""
    if "document_id" not in payload:
        return None
    return payload["document_id"], {**payload.get("document", {}), "uploaded_by": event["actor"],
                                    "uploaded_at": event["at"]}


def _ledger(status_columns: tuple[str, str] | None):
    def fold(payload: Mapping[str, Any], event: Mapping[str, Any]):
        values: dict[str, Any] = {k: payload[k] for k in ("soort", "ontvanger", "omschrijving")
                                  if k in payload}
        if "bedrag" in payload:
            values["bedrag_centen"] = cents(payload["bedrag"])
        values["status"] = payload.get("status", "vervallen")
        if event["kind"] == "ledger_line_booked":
            values.update(created_by=event["actor"], created_at=event["at"],
                          beslissing=payload.get("beslissing"), event_seq=payload.get("event_seq"),
                          # approval, payment and export are events of their own: a name or time in
                          # these columns without its event is an edit (four eyes, seed 002 art 15)
                          approved_by=None, approved_at=None, paid_by=None, paid_at=None, exported_at=None)
        if status_columns is not None:
            by, at = status_columns
            values.update({by: event["actor"], at: event["at"]})
        return payload["line_id"], values
    return fold


def _exported(payload: Mapping[str, Any], event: Mapping[str, Any]):
    return [(line_id, {"exported_at": event["at"]}) for line_id in payload["line_ids"]]


def document_bytes(conn: Connection, stored: Mapping[Any, Mapping[str, Any]]) -> list[Difference]:
    """The stored bytes of each document against the hash and size its row (and event) record."""
    if not stored:
        return []
    found = []
    for doc_id, content in conn.execute(select(documents.c.id, documents.c.content)
                                        .where(documents.c.id.in_(list(stored)))).all():
        row = stored[doc_id]
        digest = hashlib.sha256(content).hexdigest()
        if digest != row["sha256"] or len(content) != row["size"]:
            was = f"sha256 {digest[:12]}, {len(content)} bytes"
            should = f"sha256 {row['sha256'][:12]}, {row['size']} bytes"
            found.append(Difference(
                "documents", doc_id, "content", was, should,
                f"documents {doc_id} ({row['filename']}), de inhoud: de opgeslagen bytes hebben {was}, "
                f"vastgelegd is {should}"))
    return found


register(Projection(beschikkingen, {"beschikking_issued": _issued, "beschikking_revised": _revised,
                                    "beschikking_gecontroleerd": _checked, "beschikking_verzonden": _sent,
                                    "beschikking_ingetrokken": _withdrawn, "beschikking_heropend": _flagged}))
register(Projection(bezwaren, {"bezwaar_registered": _registered, "bezwaar_decided": _decided,
                               "deadline_set": _bezwaar_term}))
register(Projection(documents, {"document_added": _document, "beschikking_issued": _letter,
                                "beschikking_verzonden": _letter, "bezwaar_decided": _letter},
                    extra=document_bytes, skip_columns=frozenset({"content"}), created_column="uploaded_at"))
register(Projection(ledger_lines, {
    "ledger_line_booked": _ledger(None),
    "ledger_line_approved": _ledger(("approved_by", "approved_at")),
    "ledger_line_paid": _ledger(("paid_by", "paid_at")),
    "ledger_line_withdrawn": _ledger(None),
    "ledger_lines_exported": _exported,
}, created_column="created_at", from_case=("case_number", "gemeente")))  # whose export it is in


def _linked(payload: Mapping[str, Any], event: Mapping[str, Any]):
    return event["case_id"], {"party_id": payload["party_id"]}


register(Projection(party_cases, {"partij_gekoppeld": _linked}, key="case_id"))
