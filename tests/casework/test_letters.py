"""A beschikking's review step and the gemeente's letter template (issue 18 item 9), on SQLite and
PostgreSQL with the real models.

Awb 3:41 lid 1: a decision takes effect by being sent (bekendmaking); Awb 6:7/6:8: the objection term
of six weeks starts the day after it was sent; Awb 3:45/10:3: the college decides, the official signs
on its behalf ("namens het college van burgemeester en wethouders"); Awb 3:46/4:84: a decision that
departs from the policy rule says so and why. The seed 000 werkplek-aanbod decided by the teamleider
(tests/processes/test_beschikking.py ``offer_decided``) is the letter.
"""
from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from casework import letter_templates, letters
from casework.accounts.admin import FormErrors
from casework.accounts.service import create_user
from casework.context import Channel, Context
from casework.people import find_user
from engine.audit.processing_log import Pseudonymizer
from engine.errors import ConflictError, InvalidInput
from processes import beschikking, documents
from processes.beschikking import applied_rule
from tests.processes.helpers import TEAMLEIDER, make_engine
from tests.processes.test_beschikking import SENT, offer_decided

GEMEENTE = "zeeuws-vlaanderen"
ADRES = {"straat": "Noordweg 12", "postcode": "4501ab", "woonplaats": "Oostburg"}


def logo() -> bytes:
    """A small blue PNG, as a gemeente's logo."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (36, 87, 143)).save(out, "PNG")
    return out.getvalue()


def _as(engine, name: str) -> Context:
    return Context(engine, find_user(engine.db, name), Channel("cli"), Pseudonymizer(b"k" * 32))


def _text(engine, doc_id: int) -> str:
    _, content = documents.Documents(engine).download(doc_id)
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def decided(db):
    engine = make_engine(db)
    for name, roles in ((TEAMLEIDER, ["teamleider"]), ("tl.devries", ["teamleider"]),
                        ("beheer.zvl", ["beheerder"])):
        create_user(engine.db, name, "", name.replace(".", " ").title(), GEMEENTE, roles, password_hash="x")
    case, _ = offer_decided(engine, send=False)
    ((letter,), _) = beschikking.BezwaarService(engine).list(case.id)
    return engine, case, letter


def test_a_beschikking_is_a_concept_until_checked_by_a_colleague_and_sent(decided):
    engine, case, letter = decided
    assert (letter.brief_status, letter.verzonden_op, letter.bezwaar_einde) == ("concept", None, None)
    concept = _text(engine, letter.document_id)
    assert "CONCEPT - nog niet verzonden" in concept and "Datum verzending" not in concept
    with pytest.raises(InvalidInput, match="nog niet verzonden"):  # Awb 6:8: no term before sending
        beschikking.BezwaarService(engine).register(letter.id, SENT, "Oneens.", "jz.smit")
    with pytest.raises(FormErrors, match="een collega controleert"):  # the gemeente's four eyes
        letters.check_letter(_as(engine, TEAMLEIDER), case.id, letter.id)
    with pytest.raises(ConflictError, match="gecontroleerde brief"):  # not before it is checked
        letters.send_letter(_as(engine, "tl.devries"), case.id, letter.id, ADRES)

    checked = letters.check_letter(_as(engine, "tl.devries"), case.id, letter.id)
    assert (checked.brief_status, checked.gecontroleerd_door, checked.verzonden_op) == (
        "gecontroleerd", "tl.devries", None)
    with pytest.raises(FormErrors) as refused:  # the address on the field, nothing written
        letters.send_letter(_as(engine, "tl.devries"), case.id, letter.id, {**ADRES, "postcode": "0123 SS"})
    assert refused.value.errors == {"postcode": "Postcode: vul een postcode in van 4 cijfers en 2 letters, "
                                                "bijvoorbeeld 1234 AB."}

    sent = letters.send_letter(_as(engine, TEAMLEIDER), case.id, letter.id, ADRES)
    # sent today: the term runs from this date, six weeks from the day after (Monday 14 April 2025)
    assert (sent.brief_status, sent.verzonden_op) == ("verzonden", SENT)
    assert sent.bezwaar_einde == date(2025, 4, 14)
    assert sent.adres == "Noordweg 12\n4501 AB  OOSTBURG"
    text = _text(engine, sent.document_id)
    assert text.count("Datum verzending") == 1 and "Datum verzending: 3 maart 2025" in text
    assert "Aangemaakt op" not in text and "CONCEPT" not in text  # one date, the date of dispatch
    assert "Noordweg 12 4501 AB OOSTBURG" in text
    assert "namens het college van burgemeester en wethouders van Zeeuws-Vlaanderen" in text
    assert "uiterlijk op 14 april 2025 binnen zijn" in text
    kinds = [e.kind for e in engine.history(case.id)]
    assert kinds[-2:] == ["beschikking_gecontroleerd", "beschikking_verzonden"]
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    with pytest.raises(ConflictError):  # sent once
        letters.send_letter(_as(engine, TEAMLEIDER), case.id, letter.id, ADRES)
    bezwaar = beschikking.BezwaarService(engine).register(letter.id, SENT, "Oneens.", "jz.smit")
    assert bezwaar.tijdig


def test_the_gemeente_template_is_used_by_the_sent_letter_and_four_eyes_can_be_switched_off(decided):
    engine, case, letter = decided
    admin = find_user(engine.db, "beheer.zvl")
    with pytest.raises(FormErrors) as refused:
        letter_templates.save(engine.db, admin, {"brief_naam": " "}, b"MZ\x90\x00", remove_logo=False)
    assert set(refused.value.errors) == {"brief_naam", "brief_logo"}
    png = logo()
    letter_templates.save(engine.db, admin, {
        "brief_naam": "Zeeuws-Vlaanderen",
        "brief_afzender": "Afdeling Werk en Inkomen\nPostbus 12\n4500 AA Oostburg",
        "brief_ondertekening": "De teamleider Werk, P. Bakker", "brief_vier_ogen": ""}, png,
        remove_logo=False)
    # four eyes off: the teamleider who decided checks the letter too
    letters.check_letter(_as(engine, TEAMLEIDER), case.id, letter.id)
    sent = letters.send_letter(_as(engine, TEAMLEIDER), case.id, letter.id, ADRES)
    text = _text(engine, sent.document_id)
    assert "Afdeling Werk en Inkomen Postbus 12 4500 AA Oostburg" in text
    assert "wethouders van Zeeuws-Vlaanderen, De teamleider Werk, P. Bakker" in text
    _, content = documents.Documents(engine).download(sent.document_id)
    assert len(PdfReader(io.BytesIO(content)).pages[0].images) == 1  # the logo


def test_the_letter_says_when_the_decision_departs_from_the_rules_proposal():
    trace = {"beslissing_VoorzieningGeschikt": {"regel": {"id": "r2_werkstage", "omschrijving": "werkstage"},
                                                 "versie": "2026-01-01"}}
    follows = applied_rule({**trace, "voorstel": "toekennen"}, "toekennen", "Seed 002 art. 9",
                           "VoorzieningGeschikt")
    assert follows == ("Seed 002 art. 9; VoorzieningGeschikt (versie 2026-01-01), "
                       "regel r2_werkstage: werkstage")
    departs = applied_rule({**trace, "voorstel": "afwijzen"}, "toekennen", "Seed 002 art. 9",
                           "VoorzieningGeschikt")
    assert departs.startswith("Seed 002 art. 9; Dit besluit wijkt af van het voorstel van de beslisregels "
                              "(afwijzen; VoorzieningGeschikt")
    assert departs.endswith("Waarom staat in de motivering.")
