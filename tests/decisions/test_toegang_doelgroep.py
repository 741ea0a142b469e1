"""ToegangDoelgroep: seed 002 (Ooststellingwerf), Doelgroep nug, Anw, LKS en Beschut Werk, voorwaarden a-f."""

from __future__ import annotations

import pytest

ALL_SET = dict(uwvIngeschreven=True, eigenInitiatief=True, planOndertekend=True)
REFUSED = {"toegang": False, "dienstverleningsniveau": None, "maxVergoedingPerVoorziening": 0}


@pytest.mark.parametrize("doelgroep", ["nug", "anw"])
def test_nug_anw_under_12_hours_get_basis_with_5000_cap(decide, doelgroep):
    # a. "zij niet of minder dan 12 uur per week werken"; "Voor de doelgroep nug en Anw is het maximaal te
    # vergoeden bedrag voor een ingezette voorziening € 5.000."
    assert decide("ToegangDoelgroep", doelgroep=doelgroep, urenWerk=11.5, **ALL_SET) == {
        "toegang": True,
        "dienstverleningsniveau": "basis",
        "maxVergoedingPerVoorziening": 5000,
    }


def test_nug_working_exactly_12_hours_is_refused(decide):
    assert decide("ToegangDoelgroep", doelgroep="nug", urenWerk=12, **ALL_SET) == REFUSED


@pytest.mark.parametrize("doelgroep", ["lks", "beschut"])
def test_lks_beschut_available_exactly_12_hours_get_volledig_without_maximum(decide, doelgroep):
    # b. "zij minimaal 12 uur per week beschikbaar zijn voor werk"
    assert decide("ToegangDoelgroep", doelgroep=doelgroep, urenBeschikbaar=12, **ALL_SET) == {
        "toegang": True,
        "dienstverleningsniveau": "volledig",
        "maxVergoedingPerVoorziening": None,
    }
    assert decide("ToegangDoelgroep", doelgroep=doelgroep, urenBeschikbaar=11, **ALL_SET) == REFUSED


@pytest.mark.parametrize("missing", ["uwvIngeschreven", "eigenInitiatief", "planOndertekend"])
def test_each_of_c_d_f_is_required(decide, missing):
    # c. registreren bij UWV; d. "zich melden op eigen initiatief"; f. "het plan van aanpak
    # ondertekenen/accorderen"
    inputs = {**ALL_SET, missing: False}
    assert decide("ToegangDoelgroep", doelgroep="lks", urenBeschikbaar=20, **inputs) == REFUSED


def test_grant_needs_the_hours_of_its_own_doelgroep_only(decide):
    # contract: a grant needs every input a refusal rule tests for this case; urenBeschikbaar is tested only
    # for lks/beschut, so a nug case does not need it, but it does need urenWerk
    assert decide("ToegangDoelgroep", doelgroep="nug", urenWerk=0, **ALL_SET)["toegang"] is True
    assert decide("ToegangDoelgroep", doelgroep="nug", **ALL_SET) == {
        "toegang": None,
        "dienstverleningsniveau": None,
        "maxVergoedingPerVoorziening": None,
    }
