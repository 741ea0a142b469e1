"""Looptijd and Verlenging: end dates are the first day after the period, calendar months (contract)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("instrument", "months", "end"),
    [
        ("leerwerkplek", 6, "2024-10-01"),  # seed 002 art. 8: "De maximaal duur is 6 maanden."
        ("werkstage", 6, "2024-10-01"),  # art. 9: "De maximale duur van de werkstage is 6 maanden."
        ("sociale_activering", 12, "2025-04-01"),  # art. 10: maximale termijn 12 maanden
        ("participatieplaats", 24, "2026-04-01"),  # art. 14: "maximaal twee jaar"
    ],
)
def test_looptijd_ooststellingwerf(decide, instrument, months, end):
    assert decide("Looptijd", instrument=instrument, startdatum="2024-04-01") == {
        "einddatum": end,
        "maxDuurMaanden": months,
    }


def test_looptijd_clips_to_the_end_of_a_shorter_month(decide):
    assert decide("Looptijd", instrument="werkstage", startdatum="2023-08-31")["einddatum"] == "2024-02-29"


@pytest.mark.parametrize("instrument", ["detacheringsbaan", "beschut_werk", "proefplaats"])
def test_looptijd_without_a_maximum(decide, instrument):
    # art. 11 WWZ, art. 12 "geen geldigheidstermijn", art. 13 maatwerk (AMB-14)
    assert decide("Looptijd", instrument=instrument, startdatum="2024-04-01") == {
        "einddatum": None,
        "maxDuurMaanden": None,
    }


def test_looptijd_apeldoorn(decide):
    # seed 001 par. 7: ontwikkeling "maximaal zes maanden", op trede "maximaal 2 jaar"
    assert decide(
        "Looptijd", "apeldoorn", instrument="werkt_mee_ontwikkeling_naar_5", startdatum="2021-01-31"
    ) == {"einddatum": "2021-07-31", "maxDuurMaanden": 6}
    assert (
        decide("Looptijd", "apeldoorn", instrument="werkt_mee_op_trede_4", startdatum="2021-02-01")[
            "einddatum"
        ]
        == "2023-02-01"
    )
    # an Ooststellingwerf instrument is not in Apeldoorn's pack: the table cannot decide
    assert decide("Looptijd", "apeldoorn", instrument="leerwerkplek", startdatum="2021-02-01") == {
        "einddatum": None,
        "maxDuurMaanden": None,
    }


def _verleng(decide, gemeente="ooststellingwerf", **inputs):
    base = dict(startdatum="2024-01-01", huidigeEinddatum="2024-04-01", verlengingNummer=1)
    return decide("Verlenging", gemeente, **{**base, **inputs})


def test_leerwerkplek_is_never_extended(decide):
    # seed 002 art. 8: a new leerwerkplek at a new employer is a new placement, not an extension
    out = _verleng(decide, instrument="leerwerkplek", verlengingMaanden=6, andereOrganisatie=True)
    assert out["toegestaan"] is False and out["einddatum"] is None and "nieuwe plaatsing" in out["reden"]


def test_werkstage_one_extension_of_at_most_3_months(decide):
    # seed 002 art. 9: "een mogelijkheid tot verlenging voor de duur van 3 maand"
    out = _verleng(decide, instrument="werkstage", verlengingMaanden=3)
    assert out["toegestaan"] is True and out["einddatum"] == "2024-07-01"  # 2024-04-01 + 3 months
    assert _verleng(decide, instrument="werkstage", verlengingMaanden=4)["toegestaan"] is False
    out = _verleng(decide, instrument="werkstage", verlengingMaanden=2, verlengingNummer=2)
    assert out == {
        "toegestaan": False,
        "einddatum": None,
        "reden": "een werkstage kan maar één keer verlengd worden",
    }


def test_sociale_activering_one_extension_of_at_most_12_months(decide):
    # seed 002 art. 10: "kan bovenstaande termijn met maximaal 12 maanden verlengd worden"
    assert (
        _verleng(decide, instrument="sociale_activering", verlengingMaanden=12)["einddatum"] == "2025-04-01"
    )
    assert _verleng(decide, instrument="sociale_activering", verlengingMaanden=13)["toegestaan"] is False
    assert (
        _verleng(decide, instrument="sociale_activering", verlengingMaanden=6, verlengingNummer=2)[
            "toegestaan"
        ]
        is False
    )


def test_participatieplaats_two_extensions_each_at_another_organisation(decide):
    # seed 002 art. 14: "nog twee keer één jaar een participatieplaats vervullen bij twee andere organisaties"
    ok = dict(instrument="participatieplaats", verlengingMaanden=12, andereOrganisatie=True)
    assert _verleng(decide, **ok, verlengingNummer=2)["einddatum"] == "2025-04-01"
    assert _verleng(decide, **ok, verlengingNummer=3)["toegestaan"] is False
    assert _verleng(decide, **{**ok, "andereOrganisatie": False})["toegestaan"] is False
    assert _verleng(decide, **{**ok, "verlengingMaanden": 13})["toegestaan"] is False


def test_proefplaats_only_when_absent_through_no_fault(decide):
    # seed 002 art. 13: "Verlenging ... is mogelijk als de kandidaat buiten zijn/haar schuld weinig of niet
    # aanwezig
    # kon zijn door bijv. ziekte of verrichten mantelzorg"
    assert _verleng(decide, instrument="proefplaats", verlengingMaanden=2, afwezigBuitenSchuld=True) == {
        "toegestaan": True,
        "einddatum": "2024-06-01",
        "reden": "proefplaats: verlenging wegens afwezigheid buiten eigen schuld",
    }
    assert _verleng(decide, instrument="proefplaats", verlengingMaanden=2)["toegestaan"] is False


def test_extension_grant_needs_the_number_and_months_a_refusal_tests(decide):
    out = decide("Verlenging", instrument="werkstage", huidigeEinddatum="2024-04-01", verlengingMaanden=3)
    assert out == {"toegestaan": None, "einddatum": None, "reden": None}  # verlengingNummer missing


def test_verlenging_apeldoorn(decide):
    # seed 001 par. 7.I: "kan één keer worden verlengd" (at most 6 months, AMB-27); 7.II "kan worden verlengd"
    assert (
        _verleng(decide, "apeldoorn", instrument="werkt_mee_ontwikkeling_naar_3", verlengingMaanden=6)[
            "einddatum"
        ]
        == "2024-10-01"
    )
    assert (
        _verleng(decide, "apeldoorn", instrument="werkt_mee_ontwikkeling_naar_3", verlengingMaanden=7)[
            "toegestaan"
        ]
        is False
    )
    assert (
        _verleng(
            decide,
            "apeldoorn",
            instrument="werkt_mee_ontwikkeling_naar_4",
            verlengingMaanden=3,
            verlengingNummer=2,
        )["toegestaan"]
        is False
    )
    assert (
        _verleng(
            decide, "apeldoorn", instrument="werkt_mee_op_trede_3", verlengingMaanden=24, verlengingNummer=3
        )["einddatum"]
        == "2026-04-01"
    )
    assert (
        _verleng(decide, "apeldoorn", instrument="werkt_mee_op_trede_3", verlengingMaanden=25)["toegestaan"]
        is False
    )
