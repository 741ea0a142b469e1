"""The decisions of Apeldoorn (seed 001), Wassenaar (seed 004) and Zeeuws-Vlaanderen (seed 000)."""

from __future__ import annotations

import pytest

ONTWIKKELING = "werkt_mee_ontwikkeling_naar_5"


def test_werkt_mee_ontwikkeling_pays_only_on_the_agreed_rung(decide):
    # seed 001 (Apeldoorn) par. 10: "rekenen we af op basis van de realisatie van het bij de start van het
    # traject
    # afgesproken doel (te behalen trede ...)"; "Werkt mee ontwikkeling naar trede 5 € 1.600,00 traject";
    # AMB-28: nothing when the rung is not reached
    assert decide("WerktMeeAfrekening", "apeldoorn", product=ONTWIKKELING, doeltrede=5, behaaldeTrede=5) == {
        "bedrag": 1600
    }
    assert decide("WerktMeeAfrekening", "apeldoorn", product=ONTWIKKELING, doeltrede=5, behaaldeTrede=6) == {
        "bedrag": 1600
    }
    assert decide("WerktMeeAfrekening", "apeldoorn", product=ONTWIKKELING, doeltrede=5, behaaldeTrede=4) == {
        "bedrag": 0
    }


@pytest.mark.parametrize(
    ("product", "uren", "bedrag"),
    [
        ("werkt_mee_op_trede_3", 10, 90),
        ("werkt_mee_op_trede_4", 10, 66),
        ("werkt_mee_op_trede_4", 7.5, 49.5),
        ("werkt_mee_op_trede_4", 0.25, 1.65),
    ],
)
def test_werkt_mee_op_trede_pays_per_hour(decide, product, uren, bedrag):
    # seed 001 par. 10: "Werkt mee op trede 3 € 9,00 uur", "Werkt mee op trede 4 € 6,60 uur"; "verantwoording
    # op
    # basis van daadwerkelijk gemaakte uren"
    assert decide("WerktMeeAfrekening", "apeldoorn", product=product, uren=uren) == {"bedrag": bedrag}


def test_werkt_mee_is_unknown_for_ooststellingwerf(service):
    from processes.decisions import DecisionError

    with pytest.raises(DecisionError, match="onbekend voor gemeente 'ooststellingwerf'"):
        service.decide("WerktMeeAfrekening", "ooststellingwerf", {})


@pytest.mark.parametrize(
    ("maanden", "extra", "categorie", "unit"),
    [
        (0, {}, "1A", "Re-integratie"),
        (3, {}, "1A", "Re-integratie"),
        (3.5, {}, "1B", "Re-integratie"),
        (12, {}, "1B", "Re-integratie"),
        (12.5, {}, "1C", "Re-integratie"),
        (24, {}, "1C", "Re-integratie"),
        (24.5, {}, "2A", "Participatie"),
        (47, {"banenafspraakOfBeschut": True}, "2B", "Participatie"),
        (48, {}, "3A", "Participatie"),
        (60, {"ontheffing": True}, "3B", "Participatie"),
    ],
)
def test_wassenaar_categorie_boundaries(decide, maanden, extra, categorie, unit):
    # seed 004 (Wassenaar) Tabel 3: "bemiddelbaar binnen 0-3 maanden", "4-12", "12-24", "24-48", "48 maanden
    # of
    # langer"; re-integratiegroep "maximaal 24 maanden"; overlaps resolved upper-bound inclusive (AMB-33), 48
    # -> 3
    out = decide("WassenaarCategorie", "wassenaar", maandenTotBemiddelbaar=maanden, **extra)
    groep = "re-integratiegroep" if unit == "Re-integratie" else "participatiegroep"
    assert out == {"categorie": categorie, "unit": unit, "groep": groep}


def test_wassenaar_rules_start_on_2024_10_25(decide, service):
    from processes.decisions import DecisionError

    assert (
        decide("WassenaarCategorie", "wassenaar", on="2024-10-25", maandenTotBemiddelbaar=2)["categorie"]
        == "1A"
    )
    with pytest.raises(DecisionError, match="geen regels van kracht op 2024-10-24"):
        decide("WassenaarCategorie", "wassenaar", on="2024-10-24", maandenTotBemiddelbaar=2)


ALLE_EISEN = dict(
    regioZeeuwsVlaanderen=True,
    begeleiderHbo=True,
    verzekeringGeregeld=True,
    werkruimteVoldoet=True,
    aansprakelijkheidAanbieder=True,
    toezeggingMaanden=12,
    urenPerWeek=24,
)


def test_werkplek_aanbod_meets_the_six_requirements(decide):
    # seed 000 (Zeeuws-Vlaanderen): "U moet hiervoor wel voldoen aan de gestelde kwaliteitseisen"; "aanbieder
    # stelt
    # minimaal voor de periode van een jaar begeleiding en werkzaamheden beschikbaar" (exactly 12 months is
    # enough)
    assert decide("WerkplekAanbodToets", "zeeuws-vlaanderen", **ALLE_EISEN) == {
        "goedgekeurd": True,
        "reden": "voldoet aan de kwaliteitseisen",
    }
    assert decide("WerkplekAanbodToets", "zeeuws-vlaanderen", **{**ALLE_EISEN, "urenPerWeek": 8})[
        "goedgekeurd"
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"regioZeeuwsVlaanderen": False},
        {"begeleiderHbo": False},
        {"verzekeringGeregeld": False},
        {"werkruimteVoldoet": False},
        {"aansprakelijkheidAanbieder": False},
        {"toezeggingMaanden": 11},
    ],
)
def test_werkplek_aanbod_fails_on_any_requirement(decide, change):
    # seed 000: "werkzaamheden worden in de regio Zeeuws-Vlaanderen aangeboden", begeleider "functioneert op
    # HBO
    # niveau", verzekeringen, werkruimten, aansprakelijkheid, "minimaal voor de periode van een jaar"
    out = decide("WerkplekAanbodToets", "zeeuws-vlaanderen", **{**ALLE_EISEN, **change})
    assert out["goedgekeurd"] is False and out["reden"]


def test_werkplek_aanbod_without_the_commitment_cannot_be_approved(decide):
    out = decide("WerkplekAanbodToets", "zeeuws-vlaanderen", **{**ALLE_EISEN, "toezeggingMaanden": None})
    assert out == {"goedgekeurd": None, "reden": None}


@pytest.mark.parametrize(
    ("gebeurtenis", "betaald", "vervangend", "bedrag"),
    [
        ("aanmelding", 0, False, 500),
        ("verlenging", 500, False, 500),
        ("verlenging", 0, False, 0),  # no first advance (no candidate registered): no second
        ("verlenging", 1000, False, 0),
        ("aanmelding", 500, False, 0),
        ("aanmelding", 0, True, 0),
    ],
)
def test_werkplek_voorschot(decide, gebeurtenis, betaald, vervangend, bedrag):
    # seed 000: "Bij aanmelding van een kandidaat door de gemeente ontvangt u een voorschot, na verlenging
    # volgt het
    # tweede voorschot. Op jaarbasis verstrekt de gemeente per werkplek (maximaal) 2 x € 500."; "Als een
    # kandidaat
    # minder dan een jaar blijft, kan een andere kandidaat instromen voor dezelfde kosten."
    assert decide(
        "WerkplekVoorschot",
        "zeeuws-vlaanderen",
        gebeurtenis=gebeurtenis,
        reedsBetaaldDitWerkplekjaar=betaald,
        vervangendeKandidaat=vervangend,
    ) == {"bedrag": bedrag}
