"""The leerwerkplek's fee to the employer (seed 002 art 8 E; issue 19 item 4): "€ 100,-- per maand voor
een leerwerkplek van vijftien uur per week of meer" and "€ 50,-- ... minder dan vijftien uur", when the
whole traject takes 30 hours a week; paid to the werkgever after the fiat, through LeerwerkplekVergoeding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from processes import ledger
from tests.processes.helpers import FINANCIEN, TEAMLEIDER, advance_to, data, do, make_engine, processes, task
from tests.processes.test_voorziening import afronding, overeenkomst, profiel

BSN = "999990020"


def placement(engine, uren: int, traject: int):
    case, inst = engine.start_case("ooststellingwerf", BSN, "Ilse Kooistra", "voorziening",
                                   profiel("leerwerkplek"))
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    afspraak = overeenkomst(date(2025, 4, 1), urenPerWeek=uren, urenTotaalTraject=traject,
                            geplandeEinddatum=date(2025, 10, 1))
    do(engine, case.id, "overeenkomst", afspraak)
    advance_to(engine, date(2025, 10, 1))
    do(engine, case.id, "verlenging_beoordelen", {"verlengen": False})
    do(engine, case.id, "afronding", afronding(date(2025, 10, 1)))
    return case, inst


def booked(engine, case_id):
    with engine.db.connect() as conn:
        return [(x.soort, x.bedrag, x.ontvanger) for x in ledger.lines(conn, case_id=case_id)]


def test_six_months_of_leerwerkplek_at_24_hours_pay_the_employer_600(db):
    engine = make_engine(db)
    case, inst = placement(engine, uren=24, traject=32)
    seen = data(engine, inst)
    fee = (seen["vergoedingPerMaand"], seen["leerwerkplekMaanden"], seen["leerwerkplekBedrag"])
    assert fee == (100, 6, 600)  # six started months of € 100
    assert task(engine, case.id, "lwp_fiatteren").lane == "financiële administratie"
    do(engine, case.id, "lwp_fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert booked(engine, case.id) == [("vergoeding", Decimal("600.00"), "Bouwbedrijf Hoekstra B.V.")]
    assert processes(engine, case.id)[0][2] == "completed"


def test_under_fifteen_hours_is_50_a_month_and_a_short_traject_pays_nothing(db):
    engine = make_engine(db)
    case, inst = placement(engine, uren=12, traject=30)
    assert data(engine, inst)["leerwerkplekBedrag"] == 300  # 6 x € 50
    do(engine, case.id, "lwp_fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert booked(engine, case.id) == [("vergoeding", Decimal("300.00"), "Bouwbedrijf Hoekstra B.V.")]

    other, _ = placement(engine, uren=24, traject=28)  # art 8 E: the traject must take 30 hours
    assert booked(engine, other.id) == []
    assert processes(engine, other.id)[0][2] == "completed"
