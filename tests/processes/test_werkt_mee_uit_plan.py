"""Werkt mee chosen in the plan van aanpak starts the werkt_mee process (Apeldoorn, seed 001 par. 7 and
10; issue 19 item 1): the settlement on result, the provider's fiat and the behoud-van-uitkering
approval (par. 11) come with it, not the generic voorziening."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from processes import ledger
from tests.processes.helpers import FINANCIEN, advance_to, data, do, instance_of, make_engine, processes, task
from tests.processes.test_klant_in_beeld import PERSOONLIJK, klantschets
from tests.processes.test_werkt_mee import toewijzing

BSN = "999990081"


def plan_tot(engine, instrument: str, aanvullend: str = "geen"):
    case, _ = engine.start_case("apeldoorn", BSN, "Esther Willems", "klant_in_beeld",
                                {"gemeente": "apeldoorn"})
    do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False})
    do(engine, case.id, "klantschets", klantschets())
    do(engine, case.id, "plan", {"doelen": "Vaste dagstructuur.", "instrument": instrument,
                                 "aanvullendInstrument": aanvullend})
    do(engine, case.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 10)})
    return case


def test_werkt_mee_in_the_plan_starts_werkt_mee_and_pays_the_provider_on_result(db):
    engine = make_engine(db)
    case = plan_tot(engine, "werkt_mee_ontwikkeling_naar_3")
    started = [p for _, p, _ in processes(engine, case.id)]
    assert started == ["klant_in_beeld", "ladder_jaarlijks", "werkt_mee"]  # no generic voorziening
    werkt_mee = instance_of(engine, case.id, "werkt_mee")
    assert data(engine, werkt_mee)["instrument"] == "werkt_mee_ontwikkeling_naar_3"
    assert task(engine, case.id, "toewijzing").process_id == "werkt_mee"
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 2))
    # par. 11: the uitkerende instantie approves keeping the benefit
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True, "uitkerendeInstantie": "UWV"})
    advance_to(engine, date(2025, 10, 1))
    do(engine, case.id, "resultaat", {"behaaldeTrede": 3, "verlengen": False})
    # par. 10: "€ 1.600,00 per traject" when the agreed trede is reached, after the fiat
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    with engine.db.connect() as conn:
        booked = ledger.lines(conn, case_id=case.id)
    assert [(x.soort, x.bedrag, x.beslissing) for x in booked] == [
        ("vergoeding", Decimal("1600.00"), "WerktMeeAfrekening")
    ]


def test_orientatiefase_as_aanvullende_voorziening_starts_werkt_mee_too(db):
    engine = make_engine(db)
    case = plan_tot(engine, "werkstage", aanvullend="orientatiefase")
    assert sorted(p for _, p, _ in processes(engine, case.id)) == [
        "klant_in_beeld", "ladder_jaarlijks", "voorziening", "werkt_mee"
    ]
    assert data(engine, instance_of(engine, case.id, "werkt_mee"))["instrument"] == "orientatiefase"
