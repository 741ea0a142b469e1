"""The dossier's summary (issue 18 item 7) on SQLite and PostgreSQL, with the real models and rule packs.

A placement as the demo makes it (processes/demo.py ``uitvoering``): intake with the klantschets
today, a voorziening granted and started two months ago. Seed 002 (../shared/domain/rules-from-the-seeds.md
a.3): the trede is recorded at instroom and at the start of the voorziening, so two measurements.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from casework.dossier_summary import summary
from casework.people import user_from_row
from casework.tables import users
from engine.errors import NotFound
from engine.scheduling.termijnen import legal_date
from engine.storage.db import cases
from processes import demo as demo_cases
from processes import ledger
from tests.processes.helpers import make_engine

PROFILE = {"instrument": "sociale_activering", "trede": 2, "leeftijd": 48, "uren": 16,
           "werkgever": "Kringloopcentrum De Schakel", "vast": True}


def _user(engine, username: str, naam: str, gemeente: str):
    create_user(engine.db, username, "x", naam, gemeente, ["casemanager"],
                password_hash=generate_password_hash("x"))
    with engine.db.connect() as conn:
        return user_from_row(conn.execute(select(users).where(users.c.username == username)).mappings().one())


def _client(engine, d) -> int:
    with engine.db.connect() as conn:
        return conn.execute(select(cases.c.client_id).where(cases.c.id == d.case.id)).scalar_one()


@pytest.fixture
def placed(db):
    engine = make_engine(db)
    today = legal_date(engine.clock.now())
    d = demo_cases.uitvoering(engine, "ooststellingwerf", "999990020", "Aaltje Mulder", PROFILE, today)
    return engine, d, today


def test_summary_tells_trede_since_voorziening_deadline_and_casemanager(placed):
    engine, d, today = placed
    reader = _user(engine, "casemanager.ooststellingwerf", "Sanne de Jong", "ooststellingwerf")
    found = summary(engine, reader, _client(engine, d))
    start = today + relativedelta(months=-2)
    # one row per measurement, on its date: the start of the placement, then the diagnosis today
    assert [(m.gemeten_op, m.trede, m.label) for m in found.ladder] == [
        (start, 2, "Begin voorziening"), (today, 2, "Diagnose (instroom)")]
    assert found.trede == (2, start)
    (v,) = found.voorzieningen
    assert (v.aanbieder, v.uren_per_week, v.startdatum, v.einddatum) == (
        "Kringloopcentrum De Schakel", 16.0, start, today + relativedelta(months=4))
    assert found.casemanagers == ["Sanne de Jong"]  # the full name, not casemanager.ooststellingwerf
    assert found.naam("casemanager.ooststellingwerf") == "Sanne de Jong"
    open_dates = [dl.due_date for dl in engine.case_deadlines(d.case.id) if dl.status == "open"]
    if open_dates:
        assert found.next_deadline is not None and found.next_deadline.due_date == min(open_dates)
    assert (found.open_money, found.open_lines) == (Decimal(0), 0)


def test_open_money_counts_booked_lines_not_yet_paid(placed):
    engine, d, _ = placed
    with engine.transaction() as tx:
        case = tx.case(d.case.id)
        ledger.add_line(case.conn, case.row, soort="premie", ontvanger="Aaltje Mulder",
                        omschrijving="Premie", bedrag=Decimal("250.00"), actor="demo", now=case.now)
    reader = _user(engine, "cm.x", "Carla Casemanager", "ooststellingwerf")
    found = summary(engine, reader, _client(engine, d))
    assert (found.open_money, found.open_lines) == (Decimal("250.00"), 1)


def test_the_money_section_lists_each_line_and_says_where_the_money_is(placed):
    """Issue 18 item 1 (premium → fiat → payment → export): the dossier shows what was booked for
    the client and how far it got: approval (four eyes), the export, the payment."""
    engine, d, today = placed
    with engine.transaction() as tx:
        case = tx.case(d.case.id)
        line_id = ledger.add_line(case.conn, case.row, soort="premie", ontvanger="Aaltje Mulder",
                                  omschrijving="Trajectpremie", bedrag=Decimal("250.00"), actor="fa.een",
                                  now=case.now)
    reader = _user(engine, "cm.x", "Carla Casemanager", "ooststellingwerf")
    book = ledger.Ledger(engine)

    def stand() -> list[tuple[str, str, Decimal, str]]:
        return [(p.soort, p.omschrijving, p.bedrag, p.stand)
                for p in summary(engine, reader, _client(engine, d)).payments]

    assert stand() == [("Premie aan de inwoner", "Trajectpremie", Decimal("250.00"),
                        "geboekt, wacht op goedkeuring door de financiële administratie")]
    book.approve(line_id, "fa.twee", frozenset({"financien"}))
    assert stand()[0][3] == "goedgekeurd, gaat mee in de volgende export naar het financiële systeem"
    book.export_csv("ooststellingwerf", "fa.twee")
    assert stand()[0][3] == f"naar het financiële systeem op {today:%d-%m-%Y}, nog niet betaald"
    book.mark_paid(line_id, "fa.twee", frozenset({"financien"}))
    assert stand()[0][3] == f"betaald op {today:%d-%m-%Y}"
    found = summary(engine, reader, _client(engine, d))
    assert (found.open_money, found.open_lines) == (Decimal(0), 0)


def test_another_gemeente_reads_no_summary(placed):
    engine, d, _ = placed
    other = _user(engine, "cm.apeldoorn", "Anna Apeldoorn", "apeldoorn")
    with pytest.raises(NotFound):
        summary(engine, other, _client(engine, d))


def test_a_measurement_entered_for_an_earlier_day_is_shown_on_that_day(db):
    """The diagnosis recorded today for a conversation three weeks ago: the meetdatum entered counts."""
    engine = make_engine(db)
    today = legal_date(engine.clock.now())
    measured = today - timedelta(days=21)
    d = demo_cases.Dossier(engine, "apeldoorn", "999990032", "Pieter Bos", "klant_in_beeld", {})
    demo_cases.intake(d, {**PROFILE, "trede": 3}, measured, "plan")  # klantschets: meetdatum = measured
    reader = _user(engine, "cm.apel", "Anna Apeldoorn", "apeldoorn")
    found = summary(engine, reader, _client(engine, d))
    assert [(m.gemeten_op, m.trede) for m in found.ladder] == [(measured, 3)]
    assert found.trede == (3, measured)
