"""The Participatiewet domain's tables: money, beschikkingen, bezwaren, case documents, public
offers, published reports and deployed rule versions (issues 3, 10, 20), migrated in
processes/migrations/.

case_id has an index but no foreign key on purpose: the ledger must outlive the destruction of a
case (fiscal retention, AWR art. 52), and the engine destroys its own case rows without having to
know this package's tables. Retention calls ``destroy_case_rows`` (registered below) for the rest.
Amounts are whole cents (Integer): exact on SQLite too, where Numeric is a float.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
)
from sqlalchemy.engine import Connection

from engine.retention import destruction
from engine.storage.db import UTCDateTime, register_tables
from engine.storage.field_crypto import ProtectedBlob

MIGRATIONS = Path(__file__).parent / "migrations"

metadata = MetaData()

# Owned by processes/ledger.py, processes/documents.py, processes/beschikking.py and processes/aanbod.py.

ledger_lines = Table(
    "ledger_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("case_number", String(32), nullable=False),
    Column("gemeente", String(64), nullable=False, index=True),
    Column("instance_id", Integer),  # the process instance whose fiat produced the line
    Column("event_seq", Integer),  # the case event of the step (the fiat) that produced it
    Column("beslissing", String(255)),  # the decision (DMN id / task) the amount comes from
    Column("soort", String(32), nullable=False),  # premie|vergoeding|voorschot|subsidie|terugvordering
    Column("ontvanger", String(255), nullable=False),
    Column("omschrijving", Text, nullable=False),
    Column("bedrag_centen", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # concept | goedgekeurd | betaald
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("approved_by", String(128)),
    Column("approved_at", UTCDateTime),
    Column("exported_at", UTCDateTime),
    Column("paid_by", String(128)),
    Column("paid_at", UTCDateTime),
    Index("ix_ledger_lines_status", "gemeente", "status"),
)


documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("soort", String(64), nullable=False),  # e.g. plan van aanpak, uwv-advies, bewijsstuk, beschikking
    Column("filename", String(255), nullable=False),
    Column("content_type", String(64), nullable=False),  # from the magic bytes, not the name
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", ProtectedBlob, nullable=False),  # encrypted at rest (engine/storage/field_crypto.py)
    Column("uploaded_by", String(128), nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
)


beschikkingen = Table(
    "beschikkingen", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("instance_id", Integer),
    Column("event_seq", Integer),  # the case event of the decision
    Column("onderwerp", String(255), nullable=False),
    Column("besluit", String(32), nullable=False),  # toekennen | afwijzen | terugvorderen | beeindigen
    Column("bedrag_centen", Integer),  # the amount the letter names, if any (a terugvordering always)
    Column("motivering", Text, nullable=False),
    Column("regel", Text, nullable=False),  # the rule that fired (seed + article, DMN id)
    Column("verzonden_op", Date),  # Awb 6:8: the objection term starts the day after; None: not sent
    Column("document_id", Integer),  # the letter: the concept until it is sent, then the sent letter
    Column("status", String(16), nullable=False),  # geldig | herzien
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # the review step (issue 18 item 9): concept -> gecontroleerd -> verzonden, each a case event
    Column("brief_status", String(16), nullable=False, server_default="verzonden"),
    Column("gecontroleerd_door", String(128)),
    Column("gecontroleerd_op", UTCDateTime),
    Column("verzonden_door", String(128)),
    Column("adres", Text),  # the addressee's postal address, as written on the sent letter
    # the decision was reopened (a task correction, casework/correction.py): the reason; an unsent
    # letter is then withdrawn (brief_status ingetrokken), a sent one only flagged
    Column("heropend", Text),
)


bezwaren = Table(
    "bezwaren", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("beschikking_id", Integer, ForeignKey("beschikkingen.id"), nullable=False),
    Column("ontvangen_op", Date, nullable=False),
    Column("tijdig", Boolean, nullable=False),
    Column("verschoonbaar", Text),  # Awb 6:11: why a late objection is still admissible
    Column("adviescommissie", Boolean, nullable=False),
    Column("gronden", Text, nullable=False),
    Column("deadline_id", Integer),  # the Awb 7:10 term in the deadlines table
    Column("status", String(24), nullable=False),  # ingediend | gegrond | ongegrond | niet-ontvankelijk
    Column("beslissing", Text),
    Column("registered_by", String(128), nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", UTCDateTime),
)


public_submissions = Table(
    "public_submissions", metadata,  # the rate limit of the public offer form, per address
    Column("id", Integer, primary_key=True),
    Column("address_key", String(64), nullable=False),  # keyed hash of the address, not the address
    Column("at", UTCDateTime, nullable=False),
    Column("case_id", Integer),
    Index("ix_public_submissions_address", "address_key", "at"),
)


# Owned by processes/parties.py (issue 18 item 2): providers and employers are a register of their
# own, not clients. A case about a party (an offer) is linked to it by ``party_cases``, a row that
# follows from the case's chained ``partij_gekoppeld`` event (checked by verify).

parties = Table(
    "parties", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("soort", String(16), nullable=False),  # aanbieder | werkgever
    Column("naam", String(200), nullable=False),
    Column("kvk", String(8), nullable=False),  # 8 digits (Handelsregisterwet 2007 art. 12)
    Column("contactpersoon", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("telefoon", String(20)),
    Column("adres", String(200)),
    Column("plaats", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("postcode", String(7)),  # "1234 AB"; entered by hand (an offer names none)
    Index("ux_parties_gemeente_kvk", "gemeente", "kvk", unique=True),
)


# Every change of a party (issue 18 item 2): who, when, each field old -> new, shown on its page. A
# party is an organisation, not a case: its changes are a register's history, not a case's chain.
party_changes = Table(
    "party_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=False, index=True),
    Column("actor", String(128), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("wat", String(16), nullable=False),  # aangemaakt | gewijzigd
    Column("changes", Text, nullable=False),  # JSON: {field: [old, new]}
)


party_cases = Table(
    "party_cases", metadata,
    Column("case_id", Integer, primary_key=True),  # one party per case; no FK to cases, as above
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=False, index=True),
)


# Owned by processes/reports/store.py. The figures are stored as published (JSON), because the
# destruction of old cases later removes the events they were computed from.

published_reports = Table(
    "published_reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("periode", String(16), nullable=False),  # "2012-K1" or "2012"
    Column("titel", String(255), nullable=False),
    Column("figures", Text, nullable=False),  # JSON: the whole report as it was shown
    Column("published_by", String(128), nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Index("ix_published_reports_gemeente", "gemeente", "published_at"),
)

# Decision tables deployed from the designer (issue 20 item 6), beside the pack files under
# bpmn/rules: one row per version, never updated or deleted, so that a replay finds the table that
# was in force and deployed at each step's recorded time (processes/decisions/deployed.py). Not
# case data: retention leaves them, as it leaves the process versions.
rule_versions = Table(
    "rule_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("decision_id", String(255), nullable=False),
    Column("geldig_vanaf", Date, nullable=False),
    Column("content", Text, nullable=False),  # the DMN text as approved
    Column("content_hash", String(64), nullable=False),  # sha256 of the text, in each decision record
    Column("deployed_at", UTCDateTime, nullable=False),  # from this moment decisions may use it
    Column("submitted_by", String(128), nullable=False),
    Column("approved_by", String(128), nullable=False),
    Column("note", Text),
    Index("ix_rule_versions_decision", "gemeente", "decision_id", "deployed_at"),
)


def destroy_case_rows(conn: Connection, case: Mapping, now: datetime) -> None:
    """Retention: a destroyed case's documents, beschikkingen and bezwaren go with it. The ledger
    lines stay: the financial administration keeps them for the fiscal term (AWR art. 52, seven
    years). The link to a party goes; the party stays in the register."""
    for table in (bezwaren, beschikkingen, documents, party_cases):  # a bezwaar names its beschikking
        conn.execute(delete(table).where(table.c.case_id == case["id"]))


register_tables(metadata)
destruction.on_destroy(destroy_case_rows)

# verify rebuilds these tables from the case events (issue 16); registered with the tables themselves
from processes import projections as _projections  # noqa: E402,F401
