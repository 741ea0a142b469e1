"""Werkt mee and the oriëntatiefase (Apeldoorn, seed 001)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.errors import StepFailed
from processes import beschikking, ledger
from tests.processes.helpers import (
    FINANCIEN,
    TEAMLEIDER,
    advance_to,
    data,
    do,
    make_engine,
    processes,
    task_names,
)

BSN = "999990081"


def toewijzing(instrument: str, trede: int, **changes) -> dict:
    return {
        "instrument": instrument,
        "trede": trede,
        "geboortedatum": date(1984, 2, 10),
        "aanbieder": "Stichting Werkt Mee Apeldoorn",
        "startdatum": date(2025, 4, 1),
        "urenPerWeek": 12,
        "doelen": "Vaste dagstructuur.",
        **changes,
    }


def start(engine):
    return engine.start_case("apeldoorn", BSN, "Esther Willems", "werkt_mee", {"gemeente": "apeldoorn"})


def test_ontwikkeling_naar_trede_3_extended_once_and_paid_on_result(db):
    engine = make_engine(db)
    case, inst = start(engine)
    # seed 001 par. 7 (AMB-29): the goal must be a higher rung than the current one
    with pytest.raises(StepFailed, match="lagere huidige trede"):
        do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 3))
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 2))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True, "uitkerendeInstantie": "UWV"})
    # par. 7: "Het duurt maximaal zes maanden (en kan één keer worden verlengd)"
    assert data(engine, inst)["geplandeEinddatum"] == "2025-10-01"
    assert advance_to(engine, date(2025, 10, 1)) == 1
    do(engine, case.id, "resultaat", {"behaaldeTrede": 2, "verlengen": True, "verlengingMaanden": 3})
    assert data(engine, inst)["toegestaan"] is True
    do(engine, case.id, "verlenging_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert data(engine, inst)["geplandeEinddatum"] == "2026-01-01"
    assert advance_to(engine, date(2026, 1, 1)) == 1
    do(engine, case.id, "resultaat", {"behaaldeTrede": 3, "verlengen": False})
    # par. 10: "€ 1.600,00 per traject", settled on "realisatie van het ... afgesproken doel"
    assert data(engine, inst)["bedrag"] == 1600
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert processes(engine, case.id) == [(inst, "werkt_mee", "completed")]
    # the fiat booked the settlement to the provider (issue 3 item 5)
    with engine.db.connect() as conn:
        booked = ledger.lines(conn, case_id=case.id)
    assert [(x.soort, x.bedrag, x.beslissing) for x in booked] == [
        ("vergoeding", Decimal("1600.00"), "WerktMeeAfrekening")
    ]


def test_ontwikkeling_not_reaching_the_goal_is_not_paid(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_4", 3))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True})
    advance_to(engine, date(2025, 10, 1))
    do(engine, case.id, "resultaat", {"behaaldeTrede": 3, "verlengen": False})
    assert data(engine, inst)["bedrag"] == 0  # AMB-28: no partial payment
    assert processes(engine, case.id) == [(inst, "werkt_mee", "completed")]


def test_op_trede_4_is_paid_per_declared_hour_each_month(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_op_trede_4", 4))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True})
    assert data(engine, inst)["geplandeEinddatum"] == "2027-04-01"  # par. 7: "maximaal 2 jaar"
    assert task_names(engine, case.id) == []
    assert advance_to(engine, date(2025, 5, 1)) == 1
    do(engine, case.id, "declaratie", {"uren": 48})
    assert data(engine, inst)["bedrag"] == 316.8  # par. 10: € 6,60 per uur
    do(engine, case.id, "uren_fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert advance_to(engine, date(2025, 6, 1)) == 1
    do(engine, case.id, "declaratie", {"uren": 40, "laatsteDeclaratie": True})
    do(engine, case.id, "uren_fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert processes(engine, case.id) == [(inst, "werkt_mee", "completed")]
    # each fiatted month is booked for the provider, for the financiële administratie to approve
    # and pay (issue 18 item 1: the fiat booked nothing, so the provider was never paid)
    with engine.db.connect() as conn:
        booked = [(x.soort, x.bedrag, x.status, x.beslissing) for x in ledger.lines(conn, case_id=case.id)]
    assert booked == [("vergoeding", Decimal("316.80"), "concept", "WerktMeeAfrekening"),
                      ("vergoeding", Decimal("264.00"), "concept", "WerktMeeAfrekening")]  # 40 x € 6,60
    assert engine.verify(case.id).ok


def test_orientatiefase_ends_with_a_written_advice_and_needs_approval_first(db):
    engine = make_engine(db)
    case, inst = start(engine)
    with pytest.raises(StepFailed, match="trede 2 tot en met 4"):  # par. 9
        do(engine, case.id, "toewijzing", toewijzing("orientatiefase", 5))
    do(engine, case.id, "toewijzing", toewijzing("orientatiefase", 3))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True})
    do(
        engine,
        case.id,
        "advies",
        {
            "adviesWerkplek": "Groenvoorziening",
            "adviesOpleiding": "Entree-opleiding",
            "vervolgstappen": "Werkstage bij de gemeentelijke groendienst.",
        },
    )
    assert processes(engine, case.id) == [(inst, "werkt_mee", "completed")]

    other, refused = engine.start_case(
        "apeldoorn", "999990093", "Ahmed Benali", "werkt_mee", {"gemeente": "apeldoorn"}
    )
    do(engine, other.id, "toewijzing", toewijzing("orientatiefase", 2))
    # par. 11: "met behoud van uitkering (mits goedkeuring van uitkerende instantie)"
    do(engine, other.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": False})
    assert processes(engine, other.id) == [(refused, "werkt_mee", "completed")]


@pytest.mark.parametrize(
    ("geboortedatum", "toegelaten"),
    [
        (date(1958, 3, 31), False),  # 67 on 2025-03-31, the AOW age for 1958 (Aow art 7a): before the start
        (date(1958, 4, 2), True),  # reaches 67 the day after the startdatum: still in the target group
        (date(1962, 3, 1), True),  # 63 on the start
        (date(1954, 1, 1), False),  # 71: the case issue 19 found accepted
        (date(2007, 4, 2), False),  # 17 on the startdatum (turns 18 the next day)
        (date(2007, 4, 1), True),  # 18 on the startdatum
    ],
)
def test_werkt_mee_target_group_is_18_up_to_the_aow_age_by_birth_date(db, geboortedatum, toegelaten):
    """Seed 001 par. 6: Werkt mee is for inwoners "van 18 jaar tot de pensioengerechtigde leeftijd"; the
    pensioengerechtigde leeftijd is the AOW age of the person's birth date (Algemene Ouderdomswet art 7a)."""
    engine = make_engine(db)
    case, inst = start(engine)
    assignment = toewijzing("werkt_mee_op_trede_3", 3, geboortedatum=geboortedatum)
    if toegelaten:
        do(engine, case.id, "toewijzing", assignment)
        assert task_names(engine, case.id) == ["goedkeuring"]
    else:
        with pytest.raises(StepFailed, match="van 18 jaar tot de pensioenleeftijd"):
            do(engine, case.id, "toewijzing", assignment)
        assert task_names(engine, case.id) == ["toewijzing"]  # nothing written: the form stays open


def declare_until(engine, case_id, first: date, last: date) -> None:
    """Every month's declaration and its fiat, from ``first`` up to and including ``last``."""
    month = first
    while month <= last:
        assert advance_to(engine, month) == 1
        do(engine, case_id, "declaratie", {"uren": 40})
        do(engine, case_id, "uren_fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def test_op_trede_is_extended_after_two_years(db):
    """Seed 001 par. 7 II: Werkt mee op trede "duurt maximaal 2 jaar en kan worden verlengd"
    (issue 19 item 2): at the end of the two years the casemanager asks for a verlenging, the
    teamleider decides it (a beschikking) and the monthly declarations go on until the new end."""
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_op_trede_3", 3))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True})
    declare_until(engine, case.id, date(2025, 5, 1), date(2027, 4, 1))
    # the two years are over: not silently ended, a verlenging is asked
    assert task_names(engine, case.id) == ["einde_op_trede"]
    do(engine, case.id, "einde_op_trede", {"verlengen": True, "verlengingMaanden": 12})
    assert data(engine, inst)["toegestaan"] is True  # Verlenging.dmn: at most 24 months a time
    do(engine, case.id, "verlenging_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert data(engine, inst)["geplandeEinddatum"] == "2028-04-01"
    letters = beschikking.BezwaarService(engine).list(case.id)[0]
    (letter,) = [b for b in letters if "Verlenging" in b.onderwerp]
    assert letter.besluit == "toekennen" and "2028-04-01" in letter.motivering
    # the declarations go on into the extension
    declare_until(engine, case.id, date(2027, 5, 1), date(2027, 5, 1))
    assert processes(engine, case.id) == [(inst, "werkt_mee", "running")]


def test_op_trede_ends_after_two_years_when_no_extension_is_asked(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_op_trede_3", 3))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True})
    declare_until(engine, case.id, date(2025, 5, 1), date(2027, 4, 1))
    do(engine, case.id, "einde_op_trede", {"verlengen": False})
    assert processes(engine, case.id) == [(inst, "werkt_mee", "completed")]


def test_a_traject_ending_in_paid_work_asks_the_uitstroom_measurement(db):
    """Seed 002 H1 C (a.3), applied to Apeldoorn's Werkt mee as to a voorziening (issue 19 item 7):
    "Bij instroom, uitstroom en tenminste één keer per jaar" the ladder is measured. A traject whose
    result is trede 6 (betaald werk) asks the uitstroom measurement; a lower result does not."""
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 2))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True, "uitkerendeInstantie": "UWV"})
    assert advance_to(engine, date(2025, 10, 1)) == 1
    do(engine, case.id, "resultaat", {"behaaldeTrede": 6, "verlengen": False})
    meting = [t for t in engine.ready_tasks(case_id=case.id) if t.task_name == "meten_uitstroom"]
    assert [t.title for t in meting] == ["Ladderpositie en groeipotentieel bij uitstroom bepalen"]
    assert data(engine, inst)["bedrag"] == 1600  # the goal (trede 3) was reached and passed


def test_a_traject_ending_below_paid_work_asks_no_uitstroom_measurement(db):
    engine = make_engine(db)
    case, _ = start(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 2))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True, "uitkerendeInstantie": "UWV"})
    assert advance_to(engine, date(2025, 10, 1)) == 1
    do(engine, case.id, "resultaat", {"behaaldeTrede": 3, "verlengen": False})
    assert "meten_uitstroom" not in [t.task_name for t in engine.ready_tasks(case_id=case.id)]
