"""Werkplek-aanbod of a provider in Zeeuws-Vlaanderen (seed 000)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from processes import ledger
from tests.processes.helpers import (
    FINANCIEN,
    TEAMLEIDER,
    advance_to,
    data,
    do,
    instance_of,
    make_engine,
    processes,
    task_names,
)

BSN = "999990105"
TOETS = {
    "aanbieder": "Zorgboerderij De Vlinder, Oostburg",
    "werkzaamheden": "Dierverzorging en tuinwerk.",
    "regioZeeuwsVlaanderen": True,
    "begeleiderHbo": True,
    "verzekeringGeregeld": True,
    "werkruimteVoldoet": True,
    "aansprakelijkheidAanbieder": True,
    "toezeggingMaanden": 12,
    "urenPerWeek": 24,
    "bewijsstukkenOntvangen": True,
}


def test_offer_approved_then_two_advances_of_500_per_werkplek_year(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "zeeuws-vlaanderen", BSN, "Joyce Cappon", "werkplek_aanbod", {"gemeente": "zeeuws-vlaanderen"}
    )
    do(engine, case.id, "toetsen", TOETS)
    # seed 000 "Kwaliteitseisen": all six met, "minimaal voor de periode van een jaar"
    assert data(engine, inst)["goedgekeurd"] is True
    do(
        engine,
        case.id,
        "besluiten",
        {"besluit": "toekennen", "ingangsdatum": date(2025, 4, 1)},
        actor=TEAMLEIDER,
    )
    assert data(engine, inst)["werkplekjaarEinde"] == "2026-04-01"

    def gebeurtenis(naam: str) -> None:
        engine.deliver_message("WerkplekGebeurtenis", {"gebeurtenis": naam}, case_id=case.id)

    gebeurtenis("aanmelding")
    # "Bij aanmelding van een kandidaat door de gemeente ontvangt u een voorschot": € 500
    assert data(engine, inst)["bedrag"] == 500
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # the fiat booked the advance to the provider (issue 3 item 5)
    with engine.db.connect() as conn:
        booked = ledger.lines(conn, case_id=case.id)
    assert [(x.soort, x.bedrag, x.ontvanger) for x in booked] == [
        ("voorschot", Decimal("500.00"), TOETS["aanbieder"])
    ]
    gebeurtenis("vertrek")
    gebeurtenis("aanmelding")  # "kan een andere kandidaat instromen voor dezelfde kosten"
    assert data(engine, inst)["bedrag"] == 0 and task_names(engine, case.id) == []
    gebeurtenis("verlenging")  # "na verlenging volgt het tweede voorschot"
    assert data(engine, inst)["bedrag"] == 500
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    gebeurtenis("verlenging")  # "Op jaarbasis ... (maximaal) 2 x € 500"
    assert data(engine, inst)["reedsBetaaldDitWerkplekjaar"] == 1000 and data(engine, inst)["bedrag"] == 0

    assert advance_to(engine, date(2026, 4, 1)) == 1
    do(engine, case.id, "jaar_afsluiten", {"voortzetten": True, "evaluatie": "Goede begeleiding."})
    next_year = instance_of(engine, case.id, "werkplek_aanbod")
    assert next_year != inst
    assert data(engine, next_year)["werkplekjaarEinde"] == "2027-04-01"
    assert data(engine, next_year)["reedsBetaaldDitWerkplekjaar"] == 0  # a new werkplek-year
    assert [s for _, _, s in processes(engine, case.id)] == ["completed", "running"]


def test_offer_outside_the_region_is_refused(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "zeeuws-vlaanderen", BSN, "Joyce Cappon", "werkplek_aanbod", {"gemeente": "zeeuws-vlaanderen"}
    )
    do(engine, case.id, "toetsen", {**TOETS, "regioZeeuwsVlaanderen": False})
    assert data(engine, inst)["goedgekeurd"] is False
    do(engine, case.id, "besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    assert processes(engine, case.id) == [(inst, "werkplek_aanbod", "completed")]


def test_verlenging_without_a_first_advance_pays_nothing(db):
    """Seed 000: "Bij aanmelding van een kandidaat door de gemeente ontvangt u een voorschot, na verlenging
    volgt het tweede voorschot" - the second advance follows a first; a verlenging of a werkplek where no
    candidate was ever registered pays the provider nothing."""
    engine = make_engine(db)
    case, inst = engine.start_case(
        "zeeuws-vlaanderen", BSN, "Joyce Cappon", "werkplek_aanbod", {"gemeente": "zeeuws-vlaanderen"}
    )
    do(engine, case.id, "toetsen", TOETS)
    besluit = {"besluit": "toekennen", "ingangsdatum": date(2025, 4, 1)}
    do(engine, case.id, "besluiten", besluit, actor=TEAMLEIDER)

    def gebeurtenis(naam: str) -> None:
        engine.deliver_message("WerkplekGebeurtenis", {"gebeurtenis": naam}, case_id=case.id)

    gebeurtenis("verlenging")
    # no advance: financiën gets nothing to fiat and the ledger stays empty
    assert data(engine, inst)["bedrag"] == 0 and task_names(engine, case.id) == []
    with engine.db.connect() as conn:
        assert ledger.lines(conn, case_id=case.id) == []
    # once a candidate is registered the first advance is paid, and a verlenging after it the second
    gebeurtenis("aanmelding")
    assert data(engine, inst)["bedrag"] == 500
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    gebeurtenis("verlenging")
    assert data(engine, inst)["bedrag"] == 500
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    with engine.db.connect() as conn:
        booked = ledger.lines(conn, case_id=case.id)
    assert [(x.soort, x.bedrag) for x in booked] == [("voorschot", Decimal("500.00"))] * 2
