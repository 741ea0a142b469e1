"""LadderSpoor and InstrumentGeschiktheid (contract rows 1-2)."""

from __future__ import annotations

import pytest

from tests.decisions.conftest import trede_json

ROLE = "casemanager werk"


@pytest.mark.parametrize(
    ("trede", "spoor"),
    [(1, "activering"), (2, "activering"), (3, "re-integratiebegeleiding"), (6, "re-integratiebegeleiding")],
)
def test_ladder_spoor(decide, trede, spoor):
    # seed 002 (Ooststellingwerf), Doelgroep Participatiewet C: "de casemanager werk verantwoordelijk is voor
    # de
    # activering van personen op de eerste twee treden en voor de re-integratiebegeleiding voor de treden 3
    # tot en met 6"
    assert decide("LadderSpoor", trede=trede) == {"begeleidingsspoor": spoor, "verantwoordelijkeRol": ROLE}


@pytest.mark.parametrize("gemeente", ["apeldoorn", "wassenaar", "woerden", "zeeuws-vlaanderen"])
def test_ladder_spoor_is_adopted_by_the_other_four(decide, gemeente):
    # AMB-2: one role for both tracks; the four other packs adopt ooststellingwerf's table
    assert decide("LadderSpoor", gemeente, trede=2) == {
        "begeleidingsspoor": "activering",
        "verantwoordelijkeRol": ROLE,
    }


def test_ladder_spoor_for_woerden_through_the_cli():
    out = trede_json(
        "decide", "LadderSpoor", "--gemeente", "woerden", "--input", '{"trede": 3}', "--on", "2013-05-23"
    )
    assert out == {"begeleidingsspoor": "re-integratiebegeleiding", "verantwoordelijkeRol": ROLE}


def _ig(decide, gemeente="ooststellingwerf", **inputs):
    out = decide("InstrumentGeschiktheid", gemeente, **inputs)
    assert len(out["instrument"]) == len(out["maxDuurMaanden"])  # parallel lists
    return dict(zip(out["instrument"], out["maxDuurMaanden"], strict=True)), out


def test_instrumenten_trede_3_in_rule_order(decide):
    # seed 002 art. 8 leerwerkplek "trede 3 en 4", max 6 maanden, "maximaal 40 uur per week"; art. 9 werkstage
    # 6
    # maanden; art. 10 sociale activering "maximaal trede 4" and "binnen één jaar niet haalbaar", 12 maanden
    _, out = _ig(decide, trede=3, urenAanbodPerWeek=40)
    assert out == {
        "instrument": ["leerwerkplek", "werkstage", "sociale_activering"],
        "maxDuurMaanden": [6, 6, 12],
    }


def test_leerwerkplek_not_above_40_hours_and_sociale_activering_not_when_work_is_near(decide):
    found, _ = _ig(decide, trede=4, urenAanbodPerWeek=41, arbeidsmarktBinnen1JaarHaalbaar=True)
    assert found == {"werkstage": 6}


def test_detacheringsbaan_trede_5_or_6_without_maximum(decide):
    # seed 002 art. 11: "ingedeeld zijn in trede 5 of 6"; duur volgens de WWZ -> null
    found, _ = _ig(decide, trede=5)
    assert found == {"werkstage": 6, "detacheringsbaan": None}


PARTICIPATIE = dict(trede=2, leeftijd=27, bijstand=True, afstandArbeidsmarktJaren=2, urenAanbodPerWeek=16)


def test_participatieplaats_boundaries(decide):
    # seed 002 art. 14: "bijstandsuitkering van 27 jaar of ouder", "afstand minstens 2 jaar", "trede 1 of 2",
    # "tussen de 16 en 36 uur per week" (inclusive, AMB-15), "maximaal twee jaar"
    assert _ig(decide, **PARTICIPATIE)[0]["participatieplaats"] == 24
    assert "participatieplaats" in _ig(decide, **{**PARTICIPATIE, "urenAanbodPerWeek": 36})[0]
    for change in (
        {"leeftijd": 26},
        {"afstandArbeidsmarktJaren": 1.9},
        {"urenAanbodPerWeek": 15.5},
        {"urenAanbodPerWeek": 37},
        {"trede": 3},
        {"bijstand": False},
    ):
        assert "participatieplaats" not in _ig(decide, **{**PARTICIPATIE, **change})[0], change


def test_beschut_werk_needs_uwv_advice_and_college(decide):
    # seed 002 art. 12: "Het UWV heeft een positief advies beschut werk afgegeven ... en het college heeft ...
    # vastgesteld dat de persoon behoort tot de doelgroep beschut werk"
    assert "beschut_werk" in _ig(decide, uwvPositiefAdviesBeschut=True, collegeVastgesteldBeschut=True)[0]
    assert "beschut_werk" not in _ig(decide, uwvPositiefAdviesBeschut=True)[0]


def test_proefplaats_not_where_work_was_done_unpaid_before(decide):
    # seed 002 art. 13: werkgever verklaart schriftelijk de intentie; "niet al eerder onbeloond ... verricht"
    base = dict(doelgroepProefplaats=True, werkgeverIntentieSchriftelijk=True)
    assert _ig(decide, **base)[0]["proefplaats"] is None
    assert "proefplaats" not in _ig(decide, **base, eerderOnbeloondBijWerkgever=True)[0]


def test_apeldoorn_werkt_mee_products(decide):
    # seed 001 (Apeldoorn) par. 6: "18 jaar tot aan pensioenleeftijd"; par. 7: ontwikkeling "maximaal zes
    # maanden",
    # op trede "maximaal 2 jaar"; par. 9: oriëntatiefase "op trede 2 t/m 4"; AMB-29: naar de volgende trede
    _, out = _ig(decide, "apeldoorn", trede=3, leeftijd=18)
    assert out == {
        "instrument": ["orientatiefase", "werkt_mee_ontwikkeling_naar_4", "werkt_mee_op_trede_3"],
        "maxDuurMaanden": [None, 6, 24],
    }
    assert _ig(decide, "apeldoorn", trede=2, leeftijd=40)[0] == {
        "orientatiefase": None,
        "werkt_mee_ontwikkeling_naar_3": 6,
    }
    assert _ig(decide, "apeldoorn", trede=3, leeftijd=17)[0] == {}
    assert _ig(decide, "apeldoorn", trede=1, leeftijd=40)[0] == {}  # AMB-30: not at rung 1


def test_instrument_geschiktheid_cli_prints_parallel_lists():
    out = trede_json(
        "decide",
        "InstrumentGeschiktheid",
        "--gemeente",
        "ooststellingwerf",
        "--input",
        '{"trede": 6}',
        "--on",
        "2024-01-01",
    )
    assert out == {"instrument": ["werkstage", "detacheringsbaan"], "maxDuurMaanden": [6, None]}
