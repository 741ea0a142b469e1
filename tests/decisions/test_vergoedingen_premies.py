"""Leerwerkplek fee, participatieplaats and uitstroom premiums, Trajectpremie: seed 002 (Ooststellingwerf)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine.sandbox.helpers import add_months


@pytest.mark.parametrize(
    ("uren", "totaal", "expected"),
    [
        (15, 30, {"toegestaan": True, "vergoedingPerMaand": 100, "vergoedingDeelnemer": 0}),
        (40, 40, {"toegestaan": True, "vergoedingPerMaand": 100, "vergoedingDeelnemer": 0}),
        (14.5, 30, {"toegestaan": True, "vergoedingPerMaand": 50, "vergoedingDeelnemer": 0}),
        (20, 29.5, {"toegestaan": True, "vergoedingPerMaand": 0, "vergoedingDeelnemer": 0}),
        (41, 45, {"toegestaan": False, "vergoedingPerMaand": 0, "vergoedingDeelnemer": 0}),
    ],
)
def test_leerwerkplek_vergoeding(decide, uren, totaal, expected):
    # seed 002 art. 8: "€ 100,-- per maand voor een leerwerkplek van vijftien uur per week of meer"; "€ 50,--
    # ...
    # minder dan vijftien uur"; "Voorwaarde hiervoor is dat het totale traject ... 30 uur per week beslaat"
    # (>= 30,
    # AMB-10: only the fee depends on it); "maximaal 40 uur per week"; "Er wordt nooit een vergoeding aan de
    # uitkeringsgerechtigde verstrekt."
    assert decide("LeerwerkplekVergoeding", urenLeerwerkplek=uren, urenTotaalTraject=totaal) == expected


def test_participatieplaats_premie(decide):
    # seed 002 art. 14: "een premie ... van € 100 per zes maanden, wanneer deze voldoende inzet heeft getoond"
    assert decide("ParticipatieplaatsPremie", voldoendeInzet=True, uitkeringsmaanden=3) == {"bedrag": 100}
    assert decide("ParticipatieplaatsPremie", voldoendeInzet=False, uitkeringsmaanden=30) == {"bedrag": 0}


RECHT = dict(volledigeUitstroom=True, nettoInkomen=1500, uitkering=1500)


def test_uitstroompremie_27_with_exactly_12_months(decide):
    # seed 002 art. 15: "Personen vanaf 27 jaar ... die tenminste twaalf maanden een uitkering hebben";
    # "Het netto inkomen ... is minimaal gelijk aan de uitkering" (equal is enough)
    assert decide("UitstroompremieRecht", leeftijd=27, uitkeringsmaanden=12, **RECHT)["recht"] is True
    out = decide("UitstroompremieRecht", leeftijd=27, uitkeringsmaanden=11, **RECHT)
    assert out == {"recht": False, "reden": "minder dan 12 maanden uitkering"}


def test_uitstroompremie_refusals(decide):
    base = dict(leeftijd=40, uitkeringsmaanden=24, **RECHT)
    # "alleen verstrekt bij volledige uitstroom"
    assert decide("UitstroompremieRecht", **{**base, "volledigeUitstroom": False})["recht"] is False
    assert (
        decide("UitstroompremieRecht", **{**base, "nettoInkomen": 1499.99})["reden"]
        == "netto inkomen lager dan de uitkering"
    )
    assert decide("UitstroompremieRecht", **base, aowLeeftijdBereikt=True)["recht"] is False
    # "Er is ook recht op een uitstroompremie bij volledige uitstroom en LKS wordt verstrekt."
    assert decide("UitstroompremieRecht", **base, lksVerstrekt=True)["recht"] is True


def test_uitstroompremie_jongeren(decide):
    # "Personen tot 27 jaar, specifiek kwetsbare jongeren"; niet kwetsbare jongeren "geen recht op
    # uitstroompremie"
    assert decide("UitstroompremieRecht", leeftijd=26, uitkeringsmaanden=24, **RECHT)["recht"] is False
    assert (
        decide("UitstroompremieRecht", leeftijd=26, uitkeringsmaanden=12, kwetsbareJongere=True, **RECHT)[
            "recht"
        ]
        is True
    )
    # AMB-22: a vulnerable youth with under 12 months is put to a person (recht null, with a reason)
    out = decide("UitstroompremieRecht", leeftijd=20, uitkeringsmaanden=6, kwetsbareJongere=True, **RECHT)
    assert out["recht"] is None and "voorleggen" in out["reden"]


def test_uitstroompremie_grant_needs_income_and_benefit(decide):
    out = decide(
        "UitstroompremieRecht", leeftijd=40, uitkeringsmaanden=24, volledigeUitstroom=True, uitkering=1500
    )
    assert out == {"recht": None, "reden": None}


def _moment(decide, start, aanvraag, nummer, betaald=0):
    return decide(
        "UitstroompremieMoment",
        indiensttreding=start,
        aanvraagdatum=aanvraag,
        premieNummer=nummer,
        aantalUitbetaald=betaald,
    )


def test_first_premium_from_the_day_werkmaand_7_starts(decide):
    # seed 002 art. 15: "De 1e premie kan in de 7e maand waarin wordt gewerkt worden aangevraagd" (from,
    # AMB-20);
    # contract: indiensttreding + 6 months starts month 7
    assert _moment(decide, "2024-01-15", "2024-07-14", 1) == {
        "uitkomst": "te vroeg",
        "bedrag": 0,
        "werkmaand": 6,
    }
    assert _moment(decide, "2024-01-15", "2024-07-15", 1) == {
        "uitkomst": "toekennen",
        "bedrag": 600,
        "werkmaand": 7,
    }
    assert (
        _moment(decide, "2024-01-15", "2024-12-01", 1)["uitkomst"] == "toekennen"
    )  # not only during month 7


def test_second_premium_from_werkmaand_13(decide):
    # "De 2e premie kan vanaf de 13e maand waarin wordt gewerkt worden aangevraagd."
    assert _moment(decide, "2024-01-15", "2025-01-14", 2, 1)["uitkomst"] == "te vroeg"
    assert _moment(decide, "2024-01-15", "2025-01-15", 2, 1) == {
        "uitkomst": "toekennen",
        "bedrag": 600,
        "werkmaand": 13,
    }


def test_18_month_deadline_for_both_premiums(decide):
    # "De aanvraag moet binnen 18 maanden na indiensttreding worden gedaan." (both, AMB-21): the day the
    # deadline
    # falls (indiensttreding + 18 months) is too late
    assert _moment(decide, "2024-01-15", "2025-07-14", 2, 1)["uitkomst"] == "toekennen"
    assert _moment(decide, "2024-01-15", "2025-07-15", 2, 1) == {
        "uitkomst": "te laat",
        "bedrag": 0,
        "werkmaand": 19,
    }
    assert _moment(decide, "2024-01-15", "2025-07-15", 1)["uitkomst"] == "te laat"


def test_at_most_two_premiums(decide):
    # "Maximaal twee keer een premie van € 600. Hiermee zijn de maximale kosten € 1200."
    assert _moment(decide, "2024-01-15", "2025-02-01", 2, 2)["uitkomst"] == "maximum bereikt"


def test_werkmaand_at_month_ends(decide):
    # calendar arithmetic: 2023-08-31 + 6 months = 2024-02-29, which starts month 7
    assert _moment(decide, "2023-08-31", "2024-02-28", 1)["werkmaand"] == 6
    assert _moment(decide, "2023-08-31", "2024-02-29", 1)["werkmaand"] == 7
    assert _moment(decide, "2024-01-15", "2024-01-15", 1)["werkmaand"] == 1  # the day itself starts month 1


def test_werkmaand_agrees_with_add_months_every_day_of_a_leap_year(decide):
    start = date(2023, 8, 31)
    for offset in range(0, 400, 7):
        day = start + timedelta(days=offset)
        expected = max(n for n in range(1, 20) if add_months(start, n - 1) <= day)
        assert _moment(decide, start.isoformat(), day.isoformat(), 1)["werkmaand"] == expected, day


@pytest.mark.parametrize("instrument", ["sociale_activering", "participatieplaats"])
def test_trajectpremie_only_for_sociale_activering_and_participatieplaats(decide, instrument):
    # seed 002 art. 16: "De trajectpremie is van toepassing op Sociale activering (art. 10) en de
    # Participatieplaats
    # (art. 14)"; "tenminste twaalf maanden een uitkering"; "na het succesvol afronden"
    ok = dict(instrument=instrument, succesvolAfgerond=True, bijgedragenAanKansen=True, uitkeringsmaanden=12)
    assert decide("Trajectpremie", **ok) == {"recht": True}
    assert decide("Trajectpremie", **{**ok, "uitkeringsmaanden": 11}) == {"recht": False}
    assert decide("Trajectpremie", **{**ok, "bijgedragenAanKansen": False}) == {"recht": False}
    assert decide("Trajectpremie", **{**ok, "succesvolAfgerond": False}) == {"recht": False}


@pytest.mark.parametrize(
    "instrument", ["leerwerkplek", "werkstage", "detacheringsbaan", "beschut_werk", "proefplaats"]
)
def test_trajectpremie_not_for_other_instruments(decide, instrument):
    # "niet van toepassing op Leerwerkplekken, Werkstages, Detacheringsbanen, Beschut Werk en Proefplaatsen"
    assert decide(
        "Trajectpremie",
        instrument=instrument,
        succesvolAfgerond=True,
        bijgedragenAanKansen=True,
        uitkeringsmaanden=24,
    ) == {"recht": False}
