"""The yearly ladder measurement and the six-monthly evaluation as small processes of their own."""

from __future__ import annotations

from datetime import date

from tests.processes.helpers import advance_to, data, do, instance_of, make_engine, processes, task_names

BSN = "999990044"


def test_yearly_measurement_plans_the_next_one_until_uitstroom(db):
    engine = make_engine(db)
    case, first = engine.start_case(
        "woerden",
        BSN,
        "Kees Brouwer",
        "ladder_jaarlijks",
        {"gemeente": "woerden", "trede": 2, "volgendeMeting": "2026-03-03"},
    )
    # seed 002 a.3: "tenminste één keer per jaar"
    assert advance_to(engine, date(2026, 3, 2)) == 0 and task_names(engine, case.id) == []
    assert advance_to(engine, date(2026, 3, 3)) == 1
    do(engine, case.id, "meten", {"trede": 3, "groeipotentieel": "groot", "meetdatum": date(2026, 3, 5)})
    assert data(engine, first)["laatsteLadderMeting"] == {
        "moment": "jaarlijks",
        "trede": 3,
        "groeipotentieel": "groot",
        "datum": "2026-03-05",
    }
    second = instance_of(engine, case.id, "ladder_jaarlijks")
    assert second != first and data(engine, second)["volgendeMeting"] == "2027-03-05"

    assert advance_to(engine, date(2027, 3, 5)) == 1
    do(
        engine,
        case.id,
        "meten",
        {"trede": 6, "groeipotentieel": "geen", "meetdatum": date(2027, 3, 8), "uitgestroomd": True},
    )
    assert data(engine, second)["laatsteLadderMeting"]["moment"] == "uitstroom"
    assert [s for _, _, s in processes(engine, case.id)] == ["completed", "completed"]


def test_wassenaar_evaluation_re_categorises_and_stops_at_the_end_of_the_voorziening(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "wassenaar",
        BSN,
        "Noor Jacobs",
        "evaluatie",
        {
            "gemeente": "wassenaar",
            "instrument": "sociale_activering",
            "uitkeringsmaanden": 14,
            "trede": 2,
            "evaluatiedatum": "2025-09-01",
            "evaluatieNummer": 1,
            "einddatumVoorziening": "2026-03-01",
        },
    )
    assert advance_to(engine, date(2025, 9, 1)) == 1
    do(
        engine,
        case.id,
        "gesprek",
        {
            "voortgang": "Gaat goed, zoekt vrijwilligerswerk.",
            "voldoendeInzet": True,
            "maandenTotBemiddelbaar": 30,
            "vervolgEvaluatie": True,
        },
    )
    seen = data(engine, inst)
    # seed 004 Tabel 3 (made "o.b.v. tussentijdse gesprekken"): 24-48 months without banenafspraak is 2A
    assert (seen["categorie"], seen["unit"]) == ("2A", "Participatie")
    # the next evaluation (2026-03-01) would not fall before the end of the voorziening
    assert seen["volgendeEvaluatie"] == "2026-03-01" and seen["doorgaan"] is False
    assert processes(engine, case.id) == [(inst, "evaluatie", "completed")]
