"""Werknemersvoorziening (seed 002 art. 30, 32, 33), ScholingToegang and ScholingTerugvordering (art. 4)."""

from __future__ import annotations

import pytest

BASIS = dict(
    woonachtigInGemeente=True, pwDoelgroep=True, lksDoelgroep=True, contractMaanden=6, urenPerWeek=12
)


def _wv(decide, **inputs):
    return decide("Werknemersvoorziening", **{**BASIS, **inputs})


def test_werkplekaanpassing_capped_at_half_the_yearly_lks(decide):
    # art. 33: "Als bindende richtlijn geldt dat de kosten voor een werkplekaanpassing maximaal 50 procent
    # mogen
    # bedragen van de toegekende loonkostensubsidie (per jaar)" -> cap, toegestaan stays true (AMB-18)
    out = _wv(decide, soort="werkplekaanpassing", kosten=8000, toegekendeLksPerJaar=12000.01)
    assert out["toegestaan"] is True and out["vergoeding"] == 6000.01  # 6000.005 half-up
    assert (
        _wv(decide, soort="werkplekaanpassing", kosten=5999, toegekendeLksPerJaar=12000)["vergoeding"] == 5999
    )


def test_meeneembaar_pays_the_costs(decide):
    # art. 32: verstrekt "om niet"
    assert _wv(decide, soort="meeneembaar", kosten=1234.5) == {
        "toegestaan": True,
        "reden": "meeneembare voorziening",
        "vergoeding": 1234.5,
    }


def test_vervoer_pays_only_the_extra_costs(decide):
    # art. 30: "Alleen de meerkosten boven de kosten voor het gebruik van regulier openbaar vervoer worden
    # vergoed";
    # "Een eventuele vervoersvergoeding van de werkgever wordt in mindering gebracht" (AMB-17)
    out = _wv(decide, soort="vervoer", kosten=500, kostenRegulierOV=120, vervoersvergoedingWerkgever=80)
    assert out["toegestaan"] is True and out["vergoeding"] == 300
    assert (
        _wv(decide, soort="vervoer", kosten=100, kostenRegulierOV=120, vervoersvergoedingWerkgever=0)[
            "vergoeding"
        ]
        == 0
    )
    # vervoer needs the extra inputs
    assert _wv(decide, soort="vervoer", kosten=500)["toegestaan"] is None


@pytest.mark.parametrize(
    ("change", "reden"),
    [
        ({"woonachtigInGemeente": False}, "niet woonachtig in de gemeente"),
        ({"pwDoelgroep": False}, "geen doelgroep Participatiewet"),
        ({"lksDoelgroep": False}, "geen doelgroep loonkostensubsidie"),
        ({"voorliggendeVoorziening": True}, "er is een voorliggende voorziening"),
        ({"contractMaanden": 5.9}, "contract korter dan 6 maanden"),
        ({"urenPerWeek": 11}, "minder dan 12 uur per week"),
        ({"algemeenGebruikelijk": True}, "algemeen gebruikelijke voorziening"),
    ],
)
def test_werknemersvoorziening_refusals_pay_nothing(decide, change, reden):
    # art. 30/32/33: woonachtig, Pw-doelgroep, "doelgroep loonkostensubsidie", "ten minste zes maanden en voor
    # minimaal 12 uur per week", geen voorliggende voorziening; art. 32/33 niet algemeen gebruikelijk
    assert _wv(decide, soort="meeneembaar", kosten=100, **change) == {
        "toegestaan": False,
        "reden": reden,
        "vergoeding": 0,
    }


def test_during_a_proefplaats(decide):
    # art. 32/33: during a proefplaatsing only with certainty of a contract of at least 6 months after it;
    # art. 30: "Reiskosten kunnen ook worden vergoed tijdens een proefplaatsing"
    proef = dict(woonachtigInGemeente=True, pwDoelgroep=True, lksDoelgroep=True, tijdensProefplaats=True)
    assert decide("Werknemersvoorziening", soort="meeneembaar", kosten=50, **proef)["toegestaan"] is False
    assert (
        decide(
            "Werknemersvoorziening",
            soort="meeneembaar",
            kosten=50,
            zekerheidContract6mNaProefplaats=True,
            **proef,
        )["vergoeding"]
        == 50
    )
    assert (
        decide(
            "Werknemersvoorziening",
            soort="vervoer",
            kosten=50,
            kostenRegulierOV=10,
            vervoersvergoedingWerkgever=0,
            **proef,
        )["vergoeding"]
        == 40
    )


def _st(decide, **inputs):
    base = dict(leeftijd=30, doelOpleiding="beroepsgericht")
    return decide("ScholingToegang", **{**base, **inputs})


def test_scholing_access_at_exactly_27_without_diploma(decide):
    # art. 4: "Doelgroep jongeren zijn uitgezonderd"; art. 1: jongeren "18 t/m 26 jaar";
    # hoogsteAfgerondeOpleiding
    # null = no diploma
    assert _st(decide, leeftijd=27) == {"toegang": True, "reden": "toegang tot scholing"}
    assert _st(decide, leeftijd=26) == {
        "toegang": False,
        "reden": "jongeren (18 tot en met 26 jaar) zijn uitgezonderd",
    }


@pytest.mark.parametrize(
    ("opleiding", "toegang"), [("MBO4", True), ("VWO", True), ("HBO", False), ("WO", False)]
)
def test_scholing_only_hbo_and_wo_count_as_higher_than_mbo4(decide, opleiding, toegang):
    # art. 4: "Op het moment van aanvraag heeft de persoon geen afgeronde opleiding hoger dan MBO-4 niveau."
    assert _st(decide, hoogsteAfgerondeOpleiding=opleiding)["toegang"] is toegang


def test_scholing_college_exception_and_exclusions(decide):
    # art. 4: "In afwijking kan worden besloten eerder scholing in te zetten"; not "primair gericht op
    # individuele
    # zelfontplooiing" or "algemene vorming"; not with a voorliggende voorziening
    assert _st(decide, hoogsteAfgerondeOpleiding="HBO", uitzonderingCollege=True)["toegang"] is True
    assert _st(decide, doelOpleiding="zelfontplooiing")["toegang"] is False
    assert _st(decide, doelOpleiding="algemene vorming")["toegang"] is False
    assert _st(decide, voorliggendeVoorziening=True)["toegang"] is False
    # "Jongeren die onder de 27 jaar zijn en uit 's Rijks kas bekostigd onderwijs kunnen volgen zijn
    # uitgesloten"
    assert _st(decide, leeftijd=17, kanRijksbekostigdOnderwijsVolgen=True)["toegang"] is False


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"uitkomst": "met goed gevolg"}, {"terugvorderen": False, "bedrag": 0}),
        ({"uitkomst": "niet succesvol", "ingespannen": True}, {"terugvorderen": False, "bedrag": 0}),
        ({"uitkomst": "gestaakt", "verwijtbaarGestaakt": True}, {"terugvorderen": True, "bedrag": 2500.5}),
        # AMB-4: bovenmatig verzuim or no effort counts as culpable: the full granted amount
        (
            {"uitkomst": "niet succesvol", "ingespannen": True, "bovenmatigVerzuim": True},
            {"terugvorderen": True, "bedrag": 2500.5},
        ),
        ({"uitkomst": "niet succesvol"}, {"terugvorderen": True, "bedrag": 2500.5}),
    ],
)
def test_scholing_terugvordering(decide, inputs, expected):
    # art. 4: "met goed gevolg afrondt" -> none; "niet succesvol afrondt, maar zich wel heeft ingespannen en
    # geen
    # bovenmatig verzuim heeft gehad" -> none; "door verwijtbare handelingen de scholing moet staken" -> "het
    # toegekende bedrag [wordt] teruggevorderd"
    assert decide("ScholingTerugvordering", toegekendBedrag=2500.50, **inputs) == expected
