"""The worklist: views, search (POST only), gemeente isolation, claim, release, reassign."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from processes.bsn import is_valid_bsn
from tests.web.helpers import BSN, BSN_2, csrf_token, start_case


def _page(client, **form):
    token = csrf_token(client, "/werkvoorraad")
    return client.post("/werkvoorraad", data={"csrf_token": token, **form},
                       follow_redirects=True).get_data(as_text=True)


def test_team_view_lists_unclaimed_tasks_with_masked_bsn(signed_in, case):
    html = signed_in("cm").get("/werkvoorraad?view=team").get_data(as_text=True)
    assert "Jan Jansen" in html and "Diagnose klant in beeld" in html and "Begeleiding (webtest)" in html
    assert "*****0019" in html and BSN not in html
    assert "Fatale termijn" in html


def test_a_task_needs_the_lanes_role(signed_in, case):
    html = signed_in("fin").get("/werkvoorraad?view=team").get_data(as_text=True)
    assert "Jan Jansen" not in html


def test_other_gemeente_sees_nothing(signed_in, case):
    client = signed_in("apel")
    for view in ("mijn", "team", "alle"):
        assert "Jan Jansen" not in client.get(f"/werkvoorraad?view={view}").get_data(as_text=True)
    assert "Jan Jansen" not in _page(client, view="alle", q=BSN)


def test_search_by_bsn_name_or_case_number(signed_in, engine, case):
    start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    client = signed_in("lead")
    by_bsn = _page(client, view="alle", q=BSN_2)
    assert "Piet Pietersen" in by_bsn and "Jan Jansen" not in by_bsn
    by_name = _page(client, view="alle", q="jansen")
    assert "Jan Jansen" in by_name and "Piet Pietersen" not in by_name
    by_number = _page(client, view="alle", q=case.case_number)
    assert "Jan Jansen" in by_number and "Piet Pietersen" not in by_number
    # the BSN is never echoed into a link
    assert f"q={BSN_2}" not in by_bsn


def test_only_a_teamleider_gets_the_all_view(signed_in, case):
    assert "Alle taken" not in signed_in("cm").get("/werkvoorraad").get_data(as_text=True)
    html = signed_in("cm").get("/werkvoorraad?view=alle").get_data(as_text=True)
    assert "Jan Jansen" not in html  # falls back to "mijn"
    assert "Jan Jansen" in signed_in("lead").get("/werkvoorraad?view=alle").get_data(as_text=True)


def test_claim_then_mine_then_release(signed_in, engine, case):
    client = signed_in("cm")
    task = engine.ready_tasks(case_id=case.id)[0]
    token = csrf_token(client, "/werkvoorraad")
    assert client.post(f"/werkvoorraad/{task.task_id}/claimen", data={"csrf_token": token}).status_code == 302
    assert engine.ready_tasks(case_id=case.id)[0].claimed_by == "cm"
    assert "Jan Jansen" in client.get("/werkvoorraad?view=mijn").get_data(as_text=True)
    assert "Jan Jansen" not in client.get("/werkvoorraad?view=team").get_data(as_text=True)
    client.post(f"/werkvoorraad/{task.task_id}/vrijgeven", data={"csrf_token": token})
    assert engine.ready_tasks(case_id=case.id)[0].claimed_by is None


def test_filter_by_status(signed_in, engine, case):
    start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    engine.claim(engine.ready_tasks(case_id=case.id)[0].task_id, "cm2")
    client = signed_in("lead")
    claimed = _page(client, view="alle", status="geclaimd")
    assert "Jan Jansen" in claimed and "Piet Pietersen" not in claimed
    open_ = _page(client, view="alle", status="open")
    assert "Piet Pietersen" in open_ and "Jan Jansen" not in open_


def test_teamleider_reassigns_and_a_note_says_who_did(signed_in, engine, case):
    task = engine.ready_tasks(case_id=case.id)[0]
    engine.claim(task.task_id, "cm")
    lead = signed_in("lead")
    assert "Kees Collega" in lead.get(f"/werkvoorraad/{task.task_id}/toewijzen").get_data(as_text=True)
    token = csrf_token(lead, "/werkvoorraad")
    lead.post(f"/werkvoorraad/{task.task_id}/toewijzen", data={"csrf_token": token, "medewerker": "cm2"})
    assert engine.ready_tasks(case_id=case.id)[0].claimed_by == "cm2"
    dossier = lead.get(f"/dossier/zaak/{case.id}", follow_redirects=True).get_data(as_text=True)
    assert "toegewezen aan Kees Collega, was van Carla Casemanager" in dossier  # by name, not username


def test_reassign_is_for_teamleiders_and_within_the_gemeente(signed_in, engine, case):
    task = engine.ready_tasks(case_id=case.id)[0]
    cm = signed_in("cm")
    token = csrf_token(cm, "/werkvoorraad")
    assert cm.post(f"/werkvoorraad/{task.task_id}/toewijzen",
                   data={"csrf_token": token, "medewerker": "cm2"}).status_code == 403
    lead = signed_in("lead")
    token = csrf_token(lead, "/werkvoorraad")
    lead.post(f"/werkvoorraad/{task.task_id}/toewijzen", data={"csrf_token": token, "medewerker": "apel"})
    assert engine.ready_tasks(case_id=case.id)[0].claimed_by is None
    apel = signed_in("apel")
    token = csrf_token(apel, "/werkvoorraad")
    assert apel.post(f"/werkvoorraad/{task.task_id}/toewijzen",
                     data={"csrf_token": token, "medewerker": "apel"}).status_code == 404
    assert apel.post(f"/werkvoorraad/{task.task_id}/claimen", data={"csrf_token": token}).status_code == 404


def test_pagination(signed_in, engine):
    for i in range(27):
        bsn = f"{100000000 + i * 11:09d}"
        while not is_valid_bsn(bsn):
            bsn = f"{int(bsn) + 1:09d}"
        start_case(engine, bsn=bsn, naam=f"Client {i:02d}", proposal=False)
        engine.clock.advance(timedelta(minutes=1))  # opened one after another: the oldest task first
    client = signed_in("lead")
    first = client.get("/werkvoorraad?view=alle").get_data(as_text=True)
    assert "27 taken gevonden" in first and "Client 00" in first and "Client 26" not in first
    second = client.get("/werkvoorraad?view=alle&page=2").get_data(as_text=True)  # a link: survives Back
    assert "Client 26" in second and "Client 00" not in second


def test_legal_deadline_is_shown_with_days_left_and_sorts_first(signed_in, engine, case):
    later, _ = start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()  # the worklist counts on the wall clock
    engine.add_deadline(later.id, "Beslistermijn aanvraag", today, "P8W", actor="cm",
                        legal_basis="Awb 4:13")
    html = signed_in("lead").get("/werkvoorraad?view=alle").get_data(as_text=True)
    deadline = engine.case_deadlines(later.id)[0]
    assert f"nog {(deadline.due_date - today).days} dagen" in html
    assert html.index("Piet Pietersen") < html.index("Jan Jansen")  # created later, due first
    dossier = signed_in("lead").get(f"/dossier/zaak/{later.id}", follow_redirects=True).get_data(as_text=True)
    assert "Beslistermijn aanvraag (Awb 4:13)" in dossier


def test_only_someone_who_may_work_on_a_task_can_claim_it(signed_in, engine, case):
    task = engine.ready_tasks(case_id=case.id)[0]
    fin = signed_in("fin")  # the task is in the casemanager lane
    token = csrf_token(fin, "/werkvoorraad")
    response = fin.post(f"/werkvoorraad/{task.task_id}/claimen", data={"csrf_token": token})
    assert response.status_code == 302
    assert engine.ready_tasks(case_id=case.id)[0].claimed_by is None
    assert "deze taak hoort bij een andere rol" in fin.get("/werkvoorraad").get_data(as_text=True)


def test_search_comes_back_sealed_in_a_get_url_that_survives_back_and_a_bookmark(signed_in, engine, case):
    """Issue 18 item 6: the search was a POST (Back: "Confirm Form Resubmission"), no bookmark."""
    start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    client = signed_in("lead")
    token = csrf_token(client, "/werkvoorraad")
    posted = client.post("/werkvoorraad", data={"csrf_token": token, "view": "alle", "q": BSN_2,
                                                "status": "open"})
    assert posted.status_code == 303
    url = posted.headers["Location"]
    assert BSN_2 not in url and "view=alle" in url and "status=open" in url and "zoek=" in url
    again = client.get(url).get_data(as_text=True)  # Back, reload or a bookmark: the same list
    assert "Piet Pietersen" in again and "Jan Jansen" not in again
    # the sealed search is this user's: a colleague with the link gets no search, and is told so
    other = signed_in("cm").get(url.replace("view=alle", "view=team")).get_data(as_text=True)
    assert "hoort bij een andere gebruiker of is ongeldig" in other and "Jan Jansen" in other


def test_search_on_the_last_four_bsn_digits(signed_in, engine, case):
    start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    found = _page(signed_in("lead"), view="alle", q=BSN_2[-4:])
    assert "Piet Pietersen" in found and "Jan Jansen" not in found
    assert "Jan Jansen" in _page(signed_in("lead"), view="alle", q=BSN[-4:])


def test_sort_by_any_column_both_ways(signed_in, engine, case):
    start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    client = signed_in("lead")
    up = client.get("/werkvoorraad?view=alle&sort=client").get_data(as_text=True)
    down = client.get("/werkvoorraad?view=alle&sort=client&richting=af").get_data(as_text=True)
    assert up.index("Jan Jansen") < up.index("Piet Pietersen")
    assert down.index("Piet Pietersen") < down.index("Jan Jansen")
    assert 'aria-sort="descending"' in down and "gesorteerd op cliënt (aflopend)" in down
    for key in ("taak", "proces", "streefdatum", "termijn", "behandelaar"):
        assert client.get(f"/werkvoorraad?view=alle&sort={key}").status_code == 200, key


def test_mijn_clienten_lists_the_caseload_with_the_next_deadline(signed_in, engine, case):
    """Issue 18 item 6: a "Mijn cliënten" view, each client with the next deadline."""
    other, _ = start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    engine.claim(engine.ready_tasks(case_id=case.id)[0].task_id, "cm")
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    engine.add_deadline(case.id, "Beslistermijn aanvraag", today, "P8W", actor="cm", legal_basis="Awb 4:13")
    html = signed_in("cm").get("/werkvoorraad?view=clienten").get_data(as_text=True)
    assert "1 cliënt met open taken bij u" in html
    assert "Jan Jansen" in html and "Piet Pietersen" not in html and BSN not in html and "*****0019" in html
    assert 'aria-current="page">Mijn cliënten' in html
    assert "Mijn cliënten" in signed_in("cm2").get("/werkvoorraad").get_data(as_text=True)
    assert "U heeft geen cliënten met open taken." in signed_in("cm2").get(
        "/werkvoorraad?view=clienten").get_data(as_text=True)
    assert other  # Piet's task waits in the team's lane: not in anyone's caseload yet
