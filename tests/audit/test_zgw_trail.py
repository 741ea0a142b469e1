"""Issue 16 item 3: the auditor's trail in the shape of the ZGW audittrail (VNG Realisatie, ZGW
API's: bron, actie, resultaat, hoofdObject, resource, wijzigingen.oud/nieuw), in the browser and
as JSON, with the old and new value of each change, who made it and the reason given."""
from __future__ import annotations

import json

from processes import beschikking
from tests.audit.helpers import live_case
from tests.processes.helpers import send_letters


def _trail(signed_in, case_number: str) -> list[dict]:
    response = signed_in("aud").get(f"/audit/zaken/{case_number}/audittrail.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    doc = json.loads(response.get_data(as_text=True))
    assert doc["hoofdObject"] == f"urn:trede:zaak:{case_number}"
    return doc["audittrail"]


def test_every_change_of_the_case_is_in_the_trail_with_old_and_new_value(engine, signed_in):
    case, _ = live_case(engine)
    entries = _trail(signed_in, case.case_number)
    assert {e["bron"] for e in entries} == {"trede"}
    assert all({"actie", "resultaat", "hoofdObject", "resource", "wijzigingen", "gebruikersId",
                "applicatieId", "aanmaakdatum"} <= e.keys() for e in entries)
    opened = next(e for e in entries if e["resource"] == "zaak")
    assert (opened["actie"], opened["resultaat"], opened["wijzigingen"]["oud"]) == ("create", 201, None)
    assert opened["wijzigingen"]["nieuw"]["status"] == "open"
    claimed = [e for e in entries if e["resource"] == "taak" and "behandelaar" in e["wijzigingen"]["nieuw"]]
    assert [e["wijzigingen"]["nieuw"]["behandelaar"] for e in claimed][:2] == ["cm", "cm2"]
    decided = next(e for e in entries if e["resource"] == "taak" and e["wijzigingen"]["nieuw"].get("besluit"))
    assert decided["wijzigingen"]["nieuw"]["besluit"] == "toekennen"
    assert decided["toelichting"] == "Recht volgens R3" and decided["gebruikersId"] == "cm2"


def test_a_fact_changed_later_shows_its_old_and_new_value_and_the_reason(engine, signed_in):
    case, _ = live_case(engine)
    with engine.case(case.id) as work:
        letter = beschikking.issue_on_case(work, onderwerp="Uitstroompremie", besluit="toekennen",
                                           motivering="Aan de voorwaarden voldaan.", regel="Seed 002 art. 15",
                                           actor="tl")
    send_letters(engine, case.id)  # the review step: only a sent letter can be objected to
    service = beschikking.BezwaarService(engine)
    bezwaar = service.register(letter, engine.clock.now().date(), "Het bedrag klopt niet.", "jz")
    service.decide(bezwaar.id, "ongegrond", "Het bedrag volgt uit de verordening.", "jz")
    entries = _trail(signed_in, case.case_number)
    issued = next(e for e in entries if e["resource"] == "beschikking")
    assert issued["actie"] == "create" and issued["wijzigingen"]["nieuw"]["besluit"] == "toekennen"
    decided = [e for e in entries if e["resource"] == "bezwaar"][-1]
    assert decided["actie"] == "partial_update" and decided["resultaat"] == 200
    assert decided["wijzigingen"]["oud"]["status"] == "ingediend"
    assert decided["wijzigingen"]["nieuw"]["status"] == "ongegrond"
    assert decided["toelichting"] == "Het bedrag volgt uit de verordening."


def test_the_trail_page_shows_the_changes_to_the_auditor(engine, signed_in):
    case, _ = live_case(engine)
    page = signed_in("aud").get(f"/audit/zaken/{case.case_number}/audittrail").get_data(as_text=True)
    assert f"Audittrail {case.case_number}" in page and "Recht volgens R3" in page
    assert "behandelaar: cm2" in page and "Audittrail exporteren als JSON" in page
