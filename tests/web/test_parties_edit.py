"""A party entered and edited by hand (issue 18 item 2): a casemanager or teamleider of the gemeente
keeps the register of providers and employers on /partijen and through the REST API, one use case
(casework/parties.py) for both. KvK: 8 digits (Handelsregisterwet 2007 art. 12), one party per KvK
number in a gemeente; a postcode of 4 digits and 2 letters (PostNL, not SA/SD/SS). Every change is
recorded with who and when, old -> new, and shown on the party's page; another gemeente's party does
not exist for you (404). A party is linked to a case as an offer links its provider: the case's
chained ``partij_gekoppeld`` fact, which verify checks."""
from __future__ import annotations

import re

import pytest

from casework import parties
from casework.accounts.admin import FormErrors
from casework.context import Channel, Context
from casework.people import find_user
from tests.web.helpers import csrf_token
from web.api.tokens import issue

WERKGEVER = {"soort": "werkgever", "naam": "Metaalbewerking Oosterwolde B.V.", "kvk": "1234 5678",
             "contactpersoon": "Henk Dijkstra", "email": "h.dijkstra@metaal-oosterwolde.nl",
             "telefoon": "0516-123456", "adres": "Industrieweg 4", "postcode": "8431pk",
             "plaats": "Oosterwolde"}


def _post(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/partijen/nieuw")})


def test_a_casemanager_enters_a_party_and_a_teamleider_edits_it_each_change_recorded(signed_in):
    cm = signed_in("cm")
    refused = _post(cm, "/partijen/nieuw", {**WERKGEVER, "kvk": "1234abc", "postcode": "8431 SS",
                                            "email": "henk@", "telefoon": "12", "naam": " "})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    for message in ("KvK-nummer: een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678.",
                    "Postcode: vul een postcode in van 4 cijfers en 2 letters, bijvoorbeeld 1234 AB.",
                    "E-mailadres: vul een geldig e-mailadres in", "Telefoon: vul een telefoonnummer in",
                    "Naam: vul dit in."):
        assert message in page, message
    assert 'id="fout-kvk"' in page and "Traceback" not in page
    assert "Metaalbewerking" not in signed_in("cm").get("/partijen").get_data(as_text=True)  # nothing saved

    created = _post(cm, "/partijen/nieuw", WERKGEVER)
    assert created.status_code == 302, created.get_data(as_text=True)
    party_url = created.headers["Location"]
    shown = cm.get(party_url).get_data(as_text=True)
    for stored in ("Werkgever", "12345678", "Henk Dijkstra", "8431 PK", "Industrieweg 4", "0516-123456",
                   "In het register opgenomen", "Carla Casemanager"):
        assert stored in shown, stored

    lead = signed_in("lead")
    edit_url = party_url + "/wijzigen"
    assert 'value="Henk Dijkstra"' in lead.get(edit_url).get_data(as_text=True)  # the form holds the party
    edited = _post(lead, edit_url, {**WERKGEVER, "contactpersoon": "Ineke Dijkstra", "telefoon": ""})
    assert edited.status_code == 302
    shown = lead.get(party_url).get_data(as_text=True)
    assert "Contactpersoon: Henk Dijkstra → Ineke Dijkstra" in shown
    assert "Telefoon: 0516-123456 → (leeg)" in shown
    assert "Tineke Teamleider" in shown  # who changed it, by name

    # a second party with the same KvK number in the gemeente: refused at the field
    duplicate = _post(cm, "/partijen/nieuw", {**WERKGEVER, "naam": "Andere naam", "kvk": "12345678"})
    assert duplicate.status_code == 422
    assert ("KvK-nummer: Metaalbewerking Oosterwolde B.V. staat al met dit KvK-nummer in het register"
            in duplicate.get_data(as_text=True))
    # another gemeente: the party does not exist, nor can it be edited; the same KvK is theirs to use
    apel = signed_in("apel")
    assert apel.get(party_url).status_code == 404
    assert apel.get(edit_url).status_code == 404
    assert _post(apel, edit_url, WERKGEVER).status_code == 404
    assert _post(apel, "/partijen/nieuw", WERKGEVER).status_code == 302
    assert signed_in("fin").get("/partijen/nieuw").status_code == 403


def test_the_api_enters_and_edits_a_party_through_the_same_use_case(app, engine):
    client = app.test_client()
    token = issue(engine.db, "crm", "ooststellingwerf", {"parties:write"}, engine.clock.now())
    headers = {"Authorization": "Bearer " + token}
    body = {**WERKGEVER, "kvk": "12345678"}
    created = client.post("/api/parties", headers=headers, json=body)
    assert created.status_code == 201, created.json
    assert (created.json["kvk"], created.json["postcode"]) == ("12345678", "8431 PK")
    party_id = created.json["id"]
    again = client.post("/api/parties", headers=headers, json=body)
    assert again.status_code == 422 and "staat al met dit KvK-nummer" in again.json["errors"]["kvk"]
    bad = client.put(f"/api/parties/{party_id}", headers=headers, json={**body, "kvk": "1234abc"})
    assert bad.status_code == 422
    assert bad.json["errors"] == {"kvk": "KvK-nummer: een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678."}
    changed = client.put(f"/api/parties/{party_id}", headers=headers, json={**body, "plaats": "Appelscha"})
    assert changed.status_code == 200 and changed.json["plaats"] == "Appelscha"
    other = issue(engine.db, "crm", "apeldoorn", {"parties:write"}, engine.clock.now())
    assert client.put(f"/api/parties/{party_id}", headers={"Authorization": "Bearer " + other},
                      json=body).status_code == 404
    no_scope = issue(engine.db, "lezer", "ooststellingwerf", {"cases:write"}, engine.clock.now())
    assert client.post("/api/parties", headers={"Authorization": "Bearer " + no_scope},
                       json=body).status_code == 403
    lead = Context(engine, find_user(engine.db, "lead"), Channel("cli"))
    (latest, first) = parties.changes(engine, lead.user, party_id)
    assert (latest.actor, latest.wat, latest.fields) == ("api:crm", "gewijzigd", {"plaats": ("Oosterwolde",
                                                                                             "Appelscha")})
    assert (first.actor, first.wat) == ("api:crm", "aangemaakt")


def test_a_party_is_linked_to_a_case_as_an_offer_is(app, engine, signed_in, case):
    cm = signed_in("cm")
    party_url = _post(cm, "/partijen/nieuw", WERKGEVER).headers["Location"]
    link_url = party_url + "/zaken"
    unknown = _post(cm, link_url, {"zaak": "Z1999-000001"})
    assert unknown.status_code == 422 and "er is geen zaak Z1999-000001 die u mag inzien" in unknown.get_data(
        as_text=True)
    assert _post(cm, link_url, {"zaak": case.case_number}).status_code == 302
    shown = cm.get(party_url).get_data(as_text=True)
    assert f"Zaak {case.case_number}" in shown
    party_id = int(re.search(r"/partijen/(\d+)", party_url)[1])
    facts = [e.payload for e in engine.history(case.id) if e.kind == "partij_gekoppeld"]
    assert facts == [{"party_id": party_id, "naam": WERKGEVER["naam"], "kvk": "12345678"}]
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    twice = _post(cm, link_url, {"zaak": case.case_number})
    assert twice.status_code == 422 and "is al gekoppeld aan Metaalbewerking" in twice.get_data(as_text=True)
    # the client's case stays the client's: its dossier link still leads to the client's dossier
    assert "/dossier/" in cm.get(f"/dossier/zaak/{case.id}").headers["Location"]


def test_a_refused_party_writes_nothing(engine):
    ctx = Context(engine, find_user(engine.db, "cm"), Channel("cli"))
    with pytest.raises(FormErrors) as refused:
        parties.save_party(ctx, None, {**WERKGEVER, "soort": "inwoner"})
    assert refused.value.errors == {"soort": "Soort: kies aanbieder of werkgever."}
    assert parties.register(engine, ctx.user) == []
