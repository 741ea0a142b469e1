"""The rule editor's pages and JSON answers as a designer meets them (issue 20 item 6): Dutch
messages on the field, nothing stored on bad input, another gemeente's request is not there, a
casemanager does not reach the editor, a beheerder reviews but does not submit."""
from __future__ import annotations

from tests.designer.helpers import post_form, post_json, sign_in
from tests.designer.rule_helpers import with_tariff

EDITOR = "/ontwerp/regels/Trajectpremie"


def test_a_designer_opens_the_table_in_force_on_a_date(app):
    client = sign_in(app, "ontwerper")
    page = client.get("/ontwerp/regels")
    assert page.status_code == 200 and "Trajectpremie" in page.get_data(as_text=True)
    editor = client.get(EDITOR).get_data(as_text=True)
    assert "regelset van de release, geldig vanaf 2023-07-01" in editor
    table = client.get(EDITOR + "/tabel.dmn?op=2024-01-01")
    assert table.status_code == 200 and b'<decision id="Trajectpremie"' in table.data
    # seed 002 art. 37: the pack is in force from 1 July 2023; before it there is nothing to open
    refused = client.get(EDITOR + "?op=2020-01-01")
    assert refused.status_code == 422
    assert "op 2020-01-01 geldt nog geen versie van deze beslissing" in refused.get_data(as_text=True)
    assert "vul een datum in als JJJJ-MM-DD" in client.get(EDITOR + "?op=morgen").get_data(as_text=True)


def test_bad_input_is_answered_on_its_field_in_dutch_and_nothing_is_stored(app):
    client = sign_in(app, "ontwerper")
    no_date = post_json(client, EDITOR + "/indienen", {"content": with_tariff(), "geldig_vanaf": "1 maart"})
    assert no_date.status_code == 422
    assert no_date.get_json()["errors"] == {"geldig_vanaf": "vul een datum in als JJJJ-MM-DD"}
    bad_cell = post_json(client, EDITOR + "/indienen", {"content": with_tariff("zeven honderd"),
                                                         "geldig_vanaf": "2026-03-01"})
    assert bad_cell.status_code == 422
    [problem] = bad_cell.get_json()["problems"]
    assert problem["where"] == "regel r5_recht, kolom 'Bedrag'"
    assert "ongeldige Python-syntax" in problem["message"]
    no_table = post_json(client, EDITOR + "/controleren", {"geldig_vanaf": "2026-03-01"})
    assert no_table.get_json()["errors"] == {"tabel": "de tabel ontbreekt in het verzoek"}
    assert "Er wacht geen wijziging" in client.get("/ontwerp/regels").get_data(as_text=True)


def test_review_is_for_the_gemeente_and_a_beheerder_may_approve_but_not_submit(app):
    author = sign_in(app, "ontwerper")
    answer = post_json(author, EDITOR + "/indienen", {"content": with_tariff(), "geldig_vanaf": "2026-03-01"})
    assert answer.status_code == 200, answer.get_json()
    url = answer.get_json()["url"]
    assert "u kunt uw eigen wijziging niet goedkeuren" in author.get(url).get_data(as_text=True).lower()
    assert post_form(author, url + "/goedkeuren").status_code == 302  # refused with a message
    assert "wacht op beoordeling" in author.get(url).get_data(as_text=True)
    beheer = sign_in(app, "beheer")
    assert post_json(beheer, EDITOR + "/indienen", {"content": with_tariff(),
                                                     "geldig_vanaf": "2026-03-01"}).status_code == 403
    assert sign_in(app, "cm").get(EDITOR).status_code == 403
    post_form(beheer, url + "/goedkeuren")
    assert "goedgekeurd en uitgerold" in beheer.get(url).get_data(as_text=True)
    assert sign_in(app, "ontwerper").get("/ontwerp/regelwijzigingen/999").status_code == 404
