"""LksTermijnen (seed 002 art. 7, 13, 20) and JobcoachSubsidie (seed 002 art. 6, 28)."""

from __future__ import annotations

import pytest


def test_lks_termijnen(decide):
    # art. 7 D: "De loonwaardemeting vindt uiterlijk binnen 6 maanden plaats na starten op de werkplek";
    # "binnen 8 week na de datum van ontvangst afgehandeld"; "De beschikking ... binnen 5 weken nadat de
    # loonwaarde
    # is vastgesteld"; art. 20: forfaitair "tot een maximum van 50 %" "maximaal voor een periode van 6
    # maanden"
    out = decide(
        "LksTermijnen",
        startWerkplek="2024-01-31",
        ontvangstAanvraag="2024-02-01",
        loonwaardeVastgesteld="2024-03-01",
    )
    assert out == {
        "loonwaardemetingUiterlijk": "2024-07-31",
        "besluitAanvraagUiterlijk": "2024-03-28",
        "beschikkingUiterlijk": "2024-04-05",
        "forfaitairMaxPercentage": 50,
        "forfaitairUiterlijk": "2024-07-31",
    }


def test_lks_beschikking_deadline_is_null_until_loonwaarde_is_set(decide):
    out = decide("LksTermijnen", startWerkplek="2024-08-31", ontvangstAanvraag="2024-09-02")
    assert out["beschikkingUiterlijk"] is None
    assert out["loonwaardemetingUiterlijk"] == "2025-02-28"  # calendar months clip to the month's end


def test_no_forfaitaire_lks_after_a_proefplaats(decide):
    # art. 13: "Een proefplaatsing kan na indiensttreding niet gevolgd worden door forfaitaire
    # loonkostensubsidie."
    out = decide(
        "LksTermijnen", startWerkplek="2024-01-01", ontvangstAanvraag="2024-01-01", viaProefplaats=True
    )
    assert out["forfaitairMaxPercentage"] == 0 and out["forfaitairUiterlijk"] is None
    assert out["besluitAanvraagUiterlijk"] == "2024-02-26"


REGULIER = dict(context="regulier", urenPerWeek=12, contractduurMaanden=6, lksDoelgroep=True)


@pytest.mark.parametrize(("jaar", "bedrag", "uren"), [(1, 3300, 36), (2, 1600, 18), (3, 1600, 18)])
def test_jobcoach_subsidy_table_full_year(decide, jaar, bedrag, uren):
    # art. 28 subsidietabel: jaar 1 36 uur € 3.300, jaar 2 en 3 18 uur € 1.600; "als voorschot ... (100%)";
    # art. 6: contract "minimaal 6 maanden" en "minimaal 12 uur per week" (both boundaries exact here)
    assert decide("JobcoachSubsidie", subsidiejaar=jaar, **REGULIER) == {
        "toegestaan": True,
        "bedrag": bedrag,
        "maxUren": uren,
        "betaling": "voorschot 100%",
    }


def test_jobcoach_naar_rato_half_up_to_cents(decide):
    # art. 28: "Indien er sprake is van een arbeidscontract korter dan een jaar, wordt het bedrag naar rato
    # uitbetaald" (months / 12, AMB-5): 1600 * 7 / 12 = 933.333.. -> 933.33; 3300 * 5 / 12 = 1375
    assert decide("JobcoachSubsidie", subsidiejaar=2, maandenInSubsidiejaar=7, **REGULIER)["bedrag"] == 933.33
    assert decide("JobcoachSubsidie", subsidiejaar=1, maandenInSubsidiejaar=5, **REGULIER)["bedrag"] == 1375
    assert decide("JobcoachSubsidie", subsidiejaar=1, maandenInSubsidiejaar=14, **REGULIER)["bedrag"] == 3300


def test_jobcoach_indefinite_contract_and_beperking(decide):
    # contractduurMaanden null = indefinite; access via lksDoelgroep or beperkingNoodzaak (art. 6)
    out = decide(
        "JobcoachSubsidie", context="regulier", subsidiejaar=1, urenPerWeek=20, beperkingNoodzaak=True
    )
    assert out["toegestaan"] is True and out["bedrag"] == 3300


def test_jobcoach_refusals(decide):
    refused = {"toegestaan": False, "bedrag": 0, "maxUren": 0, "betaling": "niet toegestaan"}
    assert decide("JobcoachSubsidie", subsidiejaar=1, **{**REGULIER, "urenPerWeek": 11.5}) == refused
    assert decide("JobcoachSubsidie", subsidiejaar=1, **{**REGULIER, "contractduurMaanden": 5}) == refused
    assert decide("JobcoachSubsidie", subsidiejaar=1, **{**REGULIER, "lksDoelgroep": False}) == refused
    # art. 28: "verlengd worden tot maximaal 3 jaar"; daarna "zijn de kosten voor de werkgever"
    assert decide("JobcoachSubsidie", subsidiejaar=4, **REGULIER) == {
        "toegestaan": False,
        "bedrag": 0,
        "maxUren": 0,
        "betaling": "kosten werkgever",
    }


def test_jobcoach_proefplaats(decide):
    # art. 28: "tijdens een proefplaatsing ... een vast bedrag van € 300,- per maand"; only when the employer
    # intends
    # to employ "direct aansluitend ... voor minimaal 26 weken"; urenPerWeek is not needed in this context
    out = decide(
        "JobcoachSubsidie",
        context="proefplaats",
        werkgeverIntentieWeken=26,
        proefplaatsMaanden=3,
        lksDoelgroep=True,
    )
    assert out == {"toegestaan": True, "bedrag": 900, "maxUren": None, "betaling": "achteraf, in één keer"}
    out = decide(
        "JobcoachSubsidie",
        context="proefplaats",
        werkgeverIntentieWeken=25,
        proefplaatsMaanden=3,
        lksDoelgroep=True,
    )
    assert out["toegestaan"] is False and out["bedrag"] == 0


def test_jobcoach_regular_grant_needs_hours(decide):
    out = decide("JobcoachSubsidie", context="regulier", subsidiejaar=1, lksDoelgroep=True)
    assert out == {"toegestaan": None, "bedrag": None, "maxUren": None, "betaling": None}
