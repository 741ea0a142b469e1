"""JSON-Schema form validation and conversion (no database)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from casework.decision import check_decision, proposed_choice
from casework.forms import validate_submission
from tests.web.helpers import MODELS, PROPOSAL
from web.forms import build_fields

DIAGNOSE = json.loads((MODELS / "diagnose.json").read_text())
BESLUIT = json.loads((MODELS / "besluit.json").read_text())


def test_converts_integers_dates_and_checkboxes():
    data, errors = validate_submission(DIAGNOSE, {"trede": " 3 ", "startdatum": "2026-02-01",
                                                  "akkoord": "on", "toelichting": "goed gesprek"})
    assert errors == {}
    assert data["trede"] == 3 and data["startdatum"] == date(2026, 2, 1)
    assert data["akkoord"] is True and data["toelichting"] == "goed gesprek"


def test_unticked_checkbox_is_false_and_empty_optional_is_none():
    data, errors = validate_submission(DIAGNOSE, {"trede": "2"})
    assert errors == {} and data["akkoord"] is False and data["startdatum"] is None


def test_dutch_day_month_year_is_accepted():
    data, errors = validate_submission(DIAGNOSE, {"trede": "2", "startdatum": "1-3-2026"})
    assert errors == {} and data["startdatum"] == date(2026, 3, 1)


def test_messages_name_the_field():
    _, errors = validate_submission(DIAGNOSE, {"trede": "9", "startdatum": "31-02-2026",
                                               "toelichting": "x" * 2001})
    assert errors["trede"] == "Trede participatieladder: vul een getal van 1 tot en met 6 in."
    assert errors["startdatum"].startswith("Startdatum: vul een geldige datum in")
    assert errors["toelichting"] == "Toelichting: gebruik maximaal 2000 tekens (nu 2001)."


def test_required_and_not_a_number():
    assert validate_submission(DIAGNOSE, {})[1] == {"trede": "Trede participatieladder: vul dit veld in."}
    assert validate_submission(DIAGNOSE, {"trede": "drie"})[1]["trede"] == (
        "Trede participatieladder: vul een heel getal in, bijvoorbeeld 3.")


def test_enum_only_accepts_its_options():
    data, errors = validate_submission(BESLUIT, {"besluit": "misschien"})
    assert errors == {"besluit": "Besluit: kies een van de mogelijkheden."}
    data, errors = validate_submission(BESLUIT, {"besluit": "afwijzen"})
    assert errors == {} and data["besluit"] == "afwijzen"


def test_fields_follow_x_order_and_carry_widgets():
    fields = build_fields(DIAGNOSE, {"trede": "4"}, {"trede": "fout"})
    assert [f.name for f in fields] == ["trede", "toelichting", "startdatum", "akkoord",
                                        "lichamelijkeSituatie"]
    kinds = {f.name: f.kind for f in fields}
    assert kinds == {"trede": "integer", "toelichting": "textarea", "startdatum": "date",
                     "akkoord": "checkbox", "lichamelijkeSituatie": "text"}
    assert fields[0].value == "4" and fields[0].error == "fout" and fields[0].required
    assert fields[-1].special_category
    besluit = build_fields(BESLUIT, {}, {})[0]
    assert besluit.kind == "radio"
    assert besluit.options == [("toekennen", "Toekennen"), ("afwijzen", "Afwijzen")]


def test_departing_from_the_proposal_needs_a_motivation():
    rule = BESLUIT["x-beslissing"]
    assert proposed_choice(BESLUIT, rule, PROPOSAL) == "toekennen"
    assert check_decision(BESLUIT, rule, PROPOSAL, {"besluit": "toekennen", "motivering": None}) == {}
    errors = check_decision(BESLUIT, rule, PROPOSAL, {"besluit": "afwijzen", "motivering": None})
    assert errors == {"motivering": "Motivering: u wijkt af van het voorstel (Toekennen); leg uit waarom."}
    assert check_decision(BESLUIT, rule, PROPOSAL, {"besluit": "afwijzen", "motivering": "reden"}) == {}
    assert check_decision(BESLUIT, rule, None, {"besluit": "afwijzen", "motivering": None}) == {}


def test_a_required_yes_no_must_be_answered_and_no_is_an_answer():
    schema = {"required": ["inzet"], "properties": {"inzet": {"type": "boolean", "title": "Voldoende inzet"}}}
    assert validate_submission(schema, {})[1] == {"inzet": "Voldoende inzet: kies ja of nee."}
    assert validate_submission(schema, {"inzet": "nee"}) == ({"inzet": False}, {})
    assert validate_submission(schema, {"inzet": "ja"}) == ({"inzet": True}, {})
    field = build_fields(schema, {"inzet": "nee"}, {})[0]
    assert field.kind == "radio" and field.options == [("ja", "Ja"), ("nee", "Nee")] and field.value == "nee"


def test_numbers_become_json_numbers_with_a_dutch_comma_accepted():
    schema = {"properties": {"jaren": {"type": "number", "title": "Jaren", "minimum": 0}}}
    assert validate_submission(schema, {"jaren": "1,5"}) == ({"jaren": 1.5}, {})
    data, _ = validate_submission(schema, {"jaren": "2"})
    assert data["jaren"] == 2 and isinstance(data["jaren"], int)
    assert validate_submission(schema, {"jaren": "-1"})[1] == {
        "jaren": "Jaren: vul een getal van 0 of hoger in."}
    assert validate_submission(schema, {"jaren": "veel"})[1]["jaren"].startswith("Jaren: vul een getal in")


def test_fiat_opmerking_is_required_only_when_the_answer_is_nee():
    forms = Path(__file__).parents[2] / "bpmn/processes/participatiewet/forms"
    fiat = json.loads((forms / "fiat.json").read_text())
    assert validate_submission(fiat, {"gefiatteerd": "ja"})[1] == {}
    assert validate_submission(fiat, {"gefiatteerd": "nee", "opmerking": "IBAN klopt niet."})[1] == {}
    assert validate_submission(fiat, {"gefiatteerd": "nee", "opmerking": "  "})[1] == {
        "opmerking": "Opmerking: u fiatteert niet; schrijf wat er gecorrigeerd moet worden."}
    # not answered at all: only the question itself is the problem
    assert list(validate_submission(fiat, {})[1]) == ["gefiatteerd"]
