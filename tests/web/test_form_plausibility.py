"""Data quality at the door (issue 18 item 3): the rules a form JSON declares, each with its source.

The forms are the real ones of bpmn/processes; validate_submission is what the task page and the
REST API both call (casework/tasks.py), so a rule that holds here holds for both (no database).
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from casework.forms import validate_submission

FORMS = Path(__file__).resolve().parents[2] / "bpmn" / "processes" / "participatiewet" / "forms"
OVEREENKOMST = json.loads((FORMS / "overeenkomst.json").read_text())
ONDERTEKENING = json.loads((FORMS / "plan-ondertekening.json").read_text())
LKS_AANVRAAG = json.loads((FORMS / "lks-aanvraag.json").read_text())
TODAY = date(2026, 3, 10)
AGREEMENT = {"werkgever": "Kringloop De Schakel", "begeleider": "Petra", "urenPerWeek": "24",
             "aansprakelijkheidsverzekering": "ja", "startdatum": "2026-04-01", "tredeStart": "3"}


def _errors(schema, raw, today=TODAY):
    return validate_submission(schema, raw, today)[1]


def test_einddatum_before_startdatum_is_refused_on_the_einddatum():
    # seed 002 [AMB-14]: a timer fires on geplandeEinddatum; one before the start ends the voorziening
    # at once (issue 18: "Verlenging beoordelen" appeared in the same second)
    errors = _errors(OVEREENKOMST, {**AGREEMENT, "geplandeEinddatum": "2026-03-31"})
    assert errors == {"geplandeEinddatum": "Geplande einddatum (leeg: maximale duur volgens beleidsregels): "
                                           "deze datum ligt vóór de startdatum (01-04-2026); kies een datum "
                                           "op of na die dag."}
    assert _errors(OVEREENKOMST, {**AGREEMENT, "geplandeEinddatum": "2026-04-01"}) == {}
    assert _errors(OVEREENKOMST, AGREEMENT) == {}  # empty: the policy's maximum duration applies


def test_kvk_number_has_eight_digits():
    # Handelsregisterwet 2007: the KvK-nummer of the Handelsregister is eight digits
    errors = _errors(OVEREENKOMST, {**AGREEMENT, "kvkNummer": "1234abc"})
    assert errors == {"kvkNummer": "KvK-nummer: een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678."}
    assert "kvkNummer" in _errors(OVEREENKOMST, {**AGREEMENT, "kvkNummer": "1234567"})
    data, errors = validate_submission(OVEREENKOMST, {**AGREEMENT, "kvkNummer": "1234 5678"}, TODAY)
    assert errors == {} and data["kvkNummer"] == "12345678"


def test_signing_date_in_the_future_is_refused():
    # seed 002 b.1 f: the client signs the plan van aanpak; a signature is a fact, not a plan
    errors = _errors(ONDERTEKENING, {"planOndertekend": "ja", "ondertekendOp": "2031-01-01"})
    assert errors == {"ondertekendOp": "Datum ondertekening: deze datum ligt in de toekomst; vul de "
                                       "datum in waarop het gebeurde."}
    assert _errors(ONDERTEKENING, {"planOndertekend": "ja", "ondertekendOp": "2026-03-10"}) == {}


def test_date_of_receipt_of_an_application_not_in_the_future():
    # seed 002 (LKS): "binnen 8 week na de datum van ontvangst" - the term counts from a real receipt
    errors = _errors(LKS_AANVRAAG, {"ontvangstAanvraag": "2026-03-11"})
    assert errors["ontvangstAanvraag"].startswith("Datum ontvangst aanvraag: deze datum ligt in de toekomst")


def test_not_in_the_past_for_a_planned_date():
    schema = {"properties": {"gesprek": {"type": "string", "format": "date", "title": "Gesprek op",
                                          "x-niet-in-verleden": True}}}
    assert _errors(schema, {"gesprek": "2026-03-09"}) == {
        "gesprek": "Gesprek op: deze datum ligt in het verleden; kies vandaag of een latere datum."}
    assert _errors(schema, {"gesprek": "2026-03-10"}) == {}


def test_iban_checks_the_mod_97_digits():
    # ISO 13616 / ISO 7064 mod 97-10 (schwifty)
    schema = {"properties": {"iban": {"type": "string", "format": "iban", "title": "IBAN"}}}
    data, errors = validate_submission(schema, {"iban": "nl91 abna 0417 1643 00"}, TODAY)
    assert errors == {} and data["iban"] == "NL91ABNA0417164300"
    assert _errors(schema, {"iban": "NL91 ABNA 0417 1643 01"}) == {
        "iban": "IBAN: dit is geen geldig IBAN; controleer het nummer (bijvoorbeeld NL91 ABNA 0417 1643 00)."}


def test_dutch_postcode():
    # PostNL postcode system: 4 digits not starting with 0, 2 letters, never SA, SD or SS
    schema = {"properties": {"postcode": {"type": "string", "format": "postcode", "title": "Postcode"}}}
    data, errors = validate_submission(schema, {"postcode": "8431ab"}, TODAY)
    assert errors == {} and data["postcode"] == "8431 AB"
    for wrong in ("0431 AB", "8431 SS", "843 AB", "8431-AB"):
        message = "Postcode: vul een postcode in van 4 cijfers en 2 letters, bijvoorbeeld 1234 AB."
        assert _errors(schema, {"postcode": wrong}) == {"postcode": message}, wrong


def test_a_field_already_wrong_gets_one_message():
    errors = _errors(ONDERTEKENING, {"planOndertekend": "ja", "ondertekendOp": "31-02-2031"})
    assert errors == {"ondertekendOp": "Datum ondertekening: vul een geldige datum in, "
                                       "bijvoorbeeld 31-12-2026."}
