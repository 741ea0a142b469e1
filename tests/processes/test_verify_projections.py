"""Issue 16 item 1: every fact with legal or financial weight is in the chain, and verify names a
stored row that no longer follows from it (table, key, column, stored vs expected).

The facts: a beschikking with its letter (Awb 3:46, 4:32, 6:8; seed 000 werkplek-aanbod), a bezwaar
and its decision (Awb 6:9, 7:10, 7:12), a document with its bytes, a legal deadline set, suspended
and extended (Awb 4:14-4:15), the case's closure with its result (Archiefwet, selectielijst), the
money booked and approved under four eyes (seed 002 art 15 uitstroompremie). Each edit is made
directly in the database, as an auditor trying trede would.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from engine.storage.db import cases, deadlines, events, instances
from processes import beschikking, documents, ledger
from processes.tables import beschikkingen, bezwaren, ledger_lines
from processes.tables import documents as documents_table
from tests.processes.helpers import make_engine, on_day
from tests.processes.test_beschikking import offer_decided
from tests.processes.test_ledger import FIN, FINANCIEN_2, paid_premium

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def facts(db):
    """One case with a beschikking, a decided bezwaar, a document, a deadline and its closure; one
    with a ledger line approved under four eyes."""
    engine = make_engine(db)
    case, _ = offer_decided(engine)
    service = beschikking.BezwaarService(engine)
    (letter,), _ = service.list(case.id)
    on_day(engine, date(2025, 4, 14))
    bezwaar = service.register(letter.id, date(2025, 4, 14), "De ingangsdatum is onjuist.", "jz.smit")
    service.decide(bezwaar.id, "ongegrond", "De ingangsdatum volgt uit het aanbod.", "jz.smit")
    documents.Documents(engine).upload(case.id, "bewijsstuk", "verzekering.png", PNG, "cm.devries")
    term = engine.add_deadline(case.id, "Beslistermijn aanvraag", date(2025, 3, 3), "P8W", "cm.devries",
                               legal_basis="Awb 4:13")
    engine.suspend_deadline(term.id, date(2025, 3, 10), "cm.devries", "Wachten op gegevens (Awb 4:15)")
    engine.extend_deadline(term.id, "P2W", "cm.devries", "Advies nodig (Awb 4:14 lid 3)")
    engine.close_case(case.id, "toegekend", "P5Y", "cm.devries")
    money, _, _ = paid_premium(engine)
    with db.connect() as conn:
        (line,) = ledger.lines(conn, case_id=money.id)
    ledger.Ledger(engine).approve(line.id, FINANCIEN_2, FIN)
    ledger.Ledger(engine).export_csv("ooststellingwerf", FINANCIEN_2)
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    assert engine.verify(money.id).ok, engine.verify(money.id).problems
    return engine, case, money


def _one(conn, table, case_id: int, **where):
    query = select(table).where(table.c.case_id == case_id)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return conn.execute(query).mappings().first()


# (table, case: "case" or "money", a row filter, column, new value)
ROW_EDITS = [
    (beschikkingen, "case", {}, "besluit", "afwijzen"),
    (beschikkingen, "case", {}, "bedrag_centen", 99900),
    (beschikkingen, "case", {}, "verzonden_op", date(2025, 2, 1)),
    (beschikkingen, "case", {}, "regel", "Seed 999"),
    (beschikkingen, "case", {}, "motivering", "Iets anders"),
    (beschikkingen, "case", {}, "adres", "Elders 1\n9999 ZZ Nergens"),  # the addressee (Awb 3:41)
    (beschikkingen, "case", {}, "gecontroleerd_door", "iemand"),  # the review step (issue 18 item 9)
    (bezwaren, "case", {}, "status", "gegrond"),
    (bezwaren, "case", {}, "decided_by", "iemand"),
    (bezwaren, "case", {}, "deadline_id", None),  # its decision term (Awb 7:10)
    (bezwaren, "case", {}, "ontvangen_op", date(2025, 5, 30)),
    (bezwaren, "case", {}, "beslissing", "Anders besloten"),
    (documents_table, "case", {"soort": "bewijsstuk"}, "sha256", "0" * 64),
    (documents_table, "case", {"soort": "bewijsstuk"}, "uploaded_by", "iemand"),
    (documents_table, "case", {"soort": "beschikking"}, "size", 1),
    (deadlines, "case", {"name": "Beslistermijn aanvraag"}, "due_date", date(2025, 12, 31)),
    (deadlines, "case", {"name": "Beslistermijn aanvraag"}, "suspended_since", None),
    (deadlines, "case", {"name": "Beslistermijn aanvraag"}, "status", "voldaan"),
    (instances, "case", {}, "status", "completed"),  # which processes still run
    (instances, "case", {}, "process_id", "ander_proces"),
    (instances, "case", {}, "id_counter", 99999),
    (ledger_lines, "money", {}, "bedrag_centen", 6000000),
    (ledger_lines, "money", {}, "approved_by", "fa.jansen"),
    (ledger_lines, "money", {}, "ontvanger", "Iemand Anders"),
    (ledger_lines, "money", {}, "exported_at", None),
    (ledger_lines, "money", {}, "gemeente", "woerden"),  # into another gemeente's payment export
    (ledger_lines, "money", {}, "case_number", "Z2026-009999"),
]


@pytest.mark.parametrize("table, which, where, column, value", ROW_EDITS,
                         ids=[f"{e[0].name}.{e[3]}" for e in ROW_EDITS])
def test_an_edited_row_is_named_with_table_key_column_and_values(facts, table, which, where, column, value):
    engine, case, money = facts
    case_id = (case if which == "case" else money).id
    with engine.db.begin() as conn:
        row = _one(conn, table, case_id, **where)
        conn.execute(update(table).where(table.c.id == row["id"]).values(**{column: value}))
    problems = engine.verify(case_id).problems
    named = f"{table.name} {row['id']}, kolom {column}: opgeslagen "
    assert any(p.startswith(named) and "volgens de historie" in p for p in problems), problems


def test_a_replaced_document_content_is_named(facts):
    engine, case, _ = facts
    with engine.db.begin() as conn:
        row = _one(conn, documents_table, case.id, soort="bewijsstuk")
        conn.execute(update(documents_table).where(documents_table.c.id == row["id"])
                     .values(content=PNG + b"!"))
    problems = engine.verify(case.id).problems
    assert any(p.startswith(f"documents {row['id']} (verzekering.png), de inhoud") for p in problems), \
        problems


def test_a_deleted_deadline_and_a_deleted_beschikking_are_named(facts):
    engine, case, _ = facts
    with engine.db.begin() as conn:
        term = _one(conn, deadlines, case.id, name="Beslistermijn aanvraag")
        conn.execute(deadlines.delete().where(deadlines.c.id == term["id"]))
    problems = engine.verify(case.id).problems
    assert any(p.startswith(f"deadlines {term['id']}: ontbreekt") for p in problems), problems


def test_a_case_set_to_closed_behind_trede_s_back_is_named(db):
    engine = make_engine(db)
    case, _ = offer_decided(engine)
    with engine.db.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == case.id)
                     .values(status="closed", resultaat="afgewezen"))
    problems = engine.verify(case.id).problems
    assert any(p.startswith(f"cases {case.id}, kolom status: opgeslagen 'closed', volgens de historie 'open'")
               for p in problems), problems
    assert any("kolom resultaat: opgeslagen 'afgewezen', volgens de historie leeg" in p for p in problems)


def test_a_renumbered_case_is_named(db):
    """The zaaknummer is what letters, the worklist and the processing log call the case by: a
    number changed behind trede's back is named (its case_opened event records it)."""
    engine = make_engine(db)
    case, _ = offer_decided(engine)
    with engine.db.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == case.id).values(case_number="Z2025-999999"))
    verdict = engine.verify(case.id)
    assert any(p.startswith(f"cases {case.id}, kolom case_number: opgeslagen 'Z2025-999999', volgens de "
                            f"historie '{case.case_number}'") for p in verdict.problems), verdict.problems


def test_a_closed_case_s_result_edited_is_named(facts):
    engine, case, _ = facts
    with engine.db.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == case.id).values(resultaat="afgewezen"))
    problems = engine.verify(case.id).problems
    assert any(p.startswith(f"cases {case.id}, kolom resultaat: opgeslagen 'afgewezen', volgens de historie "
                            "'toegekend'") for p in problems), problems


def test_a_row_added_behind_trede_s_back_is_named(facts):
    engine, case, _ = facts
    with engine.db.begin() as conn:
        row = dict(_one(conn, beschikkingen, case.id))
        row.pop("id")
        new_id = conn.execute(beschikkingen.insert().values(**row)).inserted_primary_key[0]
    problems = engine.verify(case.id).problems
    assert any(p.startswith(f"beschikkingen {new_id}: staat niet in de historie") for p in problems), problems


@pytest.mark.parametrize("kind, old, new", [
    ("beschikking_issued", '"besluit":"toekennen"', '"besluit":"afwijzen"'),
    ("bezwaar_decided", '"uitkomst":"ongegrond"', '"uitkomst":"gegrond"'),
    ("document_added", '"size":40', '"size":41'),
    ("deadline_extended", '"extension":"P2W"', '"extension":"P8W"'),
    ("case_closed", '"resultaat":"toegekend"', '"resultaat":"afgewezen"'),
])
def test_an_edited_fact_event_is_named_by_its_sequence_number(facts, kind, old, new):
    engine, case, _ = facts
    with engine.db.begin() as conn:
        event = conn.execute(select(events).where(events.c.case_id == case.id, events.c.kind == kind)
                             .order_by(events.c.seq)).mappings().first()
        assert old in event["payload"], event["payload"]
        conn.execute(update(events).where(events.c.id == event["id"])
                     .values(payload=event["payload"].replace(old, new)))
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == event["seq"], verdict.problems
    assert verdict.problems[0].startswith(f"gebeurtenis {event['seq']} ({kind} door "), verdict.problems


def test_a_ledger_event_edit_is_named(facts):
    engine, _, money = facts
    with engine.db.begin() as conn:
        event = conn.execute(select(events).where(events.c.case_id == money.id,
                                                  events.c.kind == "ledger_line_approved")).mappings().first()
        assert '"bedrag":"600"' in event["payload"], event["payload"]
        conn.execute(update(events).where(events.c.id == event["id"])
                     .values(payload=event["payload"].replace('"bedrag":"600"', '"bedrag":"60000.00"')))
    verdict = engine.verify(money.id)
    assert verdict.first_bad_seq == event["seq"], verdict.problems


def test_a_value_that_cannot_be_read_is_named_with_its_table_not_an_exception(facts):
    """SQLite keeps any text in a date column; verify says where, in Dutch, and goes on with the
    other cases (`trede verify --all` gave "ValueError: Invalid isoformat string" before)."""
    engine, case, money = facts
    if engine.db.dialect.name != "sqlite":
        pytest.skip("PostgreSQL refuses text in a timestamp column itself")
    with engine.db.begin() as conn:
        conn.exec_driver_sql("UPDATE instances SET completed_at = 'gisteren' WHERE case_id = ?", (case.id,))
    verdicts = engine.verify_many([case.id, money.id])
    assert verdicts[0].problems == ["de waarde 'gisteren' in tabel instances is niet te lezen als het type "
                                    "van haar kolom (datum, tijd, getal of gegevens): de rij is buiten trede "
                                    "om gewijzigd"]
    assert verdicts[0].case_number == case.case_number
    assert verdicts[1].ok, verdicts[1].problems
