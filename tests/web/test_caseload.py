"""Caseload handover and absence cover (the team page and the worklist's Waarneming view).

On SQLite and PostgreSQL (the ``app`` fixture); each handover is an engine step in the case history.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from casework.accounts.service import create_user
from casework.people import today
from engine.storage.db import events
from tests.web import helpers
from tests.web.helpers import BSN_2, csrf_token, start_case


def _post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": csrf_token(client, "/team"), **data})


def _claimed_cases(engine, username: str, n: int = 2):
    refs = [start_case(engine)[0], start_case(engine, bsn=BSN_2, naam="Piet Pietersen")[0]][:n]
    for ref in refs:
        engine.claim(engine.ready_tasks(case_id=ref.id)[0].task_id, username)
    return refs


def test_teamleider_hands_a_whole_caseload_to_a_colleague(engine, signed_in):
    refs = _claimed_cases(engine, "cm")
    lead = signed_in("lead")
    assert "Carla Casemanager" in lead.get("/team").get_data(as_text=True)
    response = _post(lead, "/team/overdracht", {"van": "cm", "naar": "cm2"})
    assert response.status_code == 302
    page = lead.get("/team").get_data(as_text=True)
    assert "2 taken overgedragen aan cm2." in page and "Caseload overgedragen" in page
    for ref in refs:
        assert engine.ready_tasks(case_id=ref.id)[0].claimed_by == "cm2"
        with engine.db.connect() as conn:  # a reassignment and the fact for future tasks, the teamleider
            last = conn.execute(select(events.c.kind, events.c.actor).where(events.c.case_id == ref.id)
                                .order_by(events.c.seq.desc()).limit(2)).all()
        assert [tuple(e) for e in last] == [("casemanager_overgedragen", "lead"), ("task_reassigned", "lead")]
    mine = signed_in("cm2").get("/werkvoorraad?view=mijn").get_data(as_text=True)
    assert "Jan Jansen" in mine and "Piet Pietersen" in mine


def test_tasks_of_a_role_the_colleague_lacks_stay_and_are_named(engine, signed_in):
    _claimed_cases(engine, "cm", 1)
    lead = signed_in("lead")
    _post(lead, "/team/overdracht", {"van": "cm", "naar": "fin"})
    page = lead.get("/team").get_data(as_text=True)
    assert "0 taken overgedragen aan fin." in page
    assert "Diagnose klant in beeld: Frits Financien heeft niet de rol Casemanager" in page


def test_handover_form_errors_and_scope(engine, signed_in):
    lead = signed_in("lead")
    same = _post(lead, "/team/overdracht", {"van": "cm", "naar": "cm"})
    assert same.status_code == 422 and "Naar: kies een andere medewerker" in same.get_data(as_text=True)
    other = _post(lead, "/team/overdracht", {"van": "cm", "naar": "apel"})
    assert "Naar: kies een actieve medewerker van Team Werk." in other.get_data(as_text=True)
    # a teamleider of another team acts for their own team only
    create_user(engine.db, "leadb", "x", "Bram Teamleider", "ooststellingwerf", ["teamleider"],
                team="Team B", password_hash=helpers._HASH[0])
    lead_b = signed_in("leadb")
    assert "Carla Casemanager" not in lead_b.get("/team").get_data(as_text=True)
    refused = _post(lead_b, "/team/overdracht", {"van": "cm", "naar": "leadb"})
    assert "Van: kies een actieve medewerker van Team B." in refused.get_data(as_text=True)
    assert signed_in("cm").get("/team").status_code == 403


def test_absence_cover_the_vervanger_sees_and_takes_over(engine, signed_in):
    (ref,) = _claimed_cases(engine, "cm", 1)
    lead = signed_in("lead")
    bad = _post(lead, "/team/afwezigheid", {"medewerker": "cm", "vervanger": "cm", "afwezig_van": "morgen"})
    html = bad.get_data(as_text=True)
    assert "Afwezig van: vul een geldige datum in" in html and "Vervanger: kies iemand anders" in html
    start, end = today(), today() + timedelta(days=14)
    _post(lead, "/team/afwezigheid", {"medewerker": "cm", "vervanger": "cm2",
                                      "afwezig_van": start.isoformat(), "afwezig_tot": end.isoformat()})
    team_page = lead.get("/team").get_data(as_text=True)
    assert "Afwezigheid gemeld" in team_page
    # who is away and who stands in, by name (issue 18: people appeared as usernames)
    assert "ja, vervanger Kees Collega" in team_page
    absences = team_page.split("Huidige en geplande")[1]
    assert '<td class="utrecht-table__cell">Carla Casemanager</td>' in absences
    cm2 = signed_in("cm2")
    assert "Waarneming" in cm2.get("/werkvoorraad").get_data(as_text=True)
    cover = cm2.get("/werkvoorraad?view=waarneming").get_data(as_text=True)
    assert "Jan Jansen" in cover and "afwezig" in cover and "Overnemen" in cover
    assert "Carla Casemanager" in cover and "vervanger Kees Collega" in cover  # by name, not username
    # the team sees the absent colleague's work as well (a teammate who may work in the lane)
    create_user(engine.db, "cm3", "x", "Chris Derde", "ooststellingwerf", ["casemanager"], team="Team Werk",
                password_hash=helpers._HASH[0])
    team_view = signed_in("cm3").get("/werkvoorraad?view=team").get_data(as_text=True)
    assert "Jan Jansen" in team_view and "Overnemen" in team_view
    task = engine.ready_tasks(case_id=ref.id)[0]
    token = csrf_token(cm2, "/werkvoorraad")
    cm2.post(f"/werkvoorraad/{task.task_id}/overnemen", data={"csrf_token": token})
    assert engine.ready_tasks(case_id=ref.id)[0].claimed_by == "cm2"
    assert "Waarneming" not in signed_in("cm").get("/werkvoorraad").get_data(as_text=True)


def test_without_absence_nobody_takes_over_and_ending_an_absence_stops_the_cover(engine, signed_in):
    (ref,) = _claimed_cases(engine, "cm", 1)
    task = engine.ready_tasks(case_id=ref.id)[0]
    cm2 = signed_in("cm2")
    token = csrf_token(cm2, "/werkvoorraad")
    cm2.post(f"/werkvoorraad/{task.task_id}/overnemen", data={"csrf_token": token})
    assert engine.ready_tasks(case_id=ref.id)[0].claimed_by == "cm"  # not absent: not taken
    assert "Waarneming" not in cm2.get("/werkvoorraad").get_data(as_text=True)
    lead = signed_in("lead")
    _post(lead, "/team/afwezigheid", {"medewerker": "cm", "vervanger": "cm2",
                                      "afwezig_van": today().isoformat(),
                                      "afwezig_tot": today().isoformat()})
    assert "Waarneming" in cm2.get("/werkvoorraad").get_data(as_text=True)
    from casework.tables import absences
    with engine.db.connect() as conn:
        absence_id = conn.execute(select(absences.c.id)).scalar_one()
    _post(lead, f"/team/afwezigheid/{absence_id}/beeindigen", {})
    assert "Waarneming" not in cm2.get("/werkvoorraad").get_data(as_text=True)
    assert "Afwezigheid beëindigd" in lead.get("/team").get_data(as_text=True)
    # another gemeente cannot end it, nor see it
    assert _post(signed_in("apel"), f"/team/afwezigheid/{absence_id}/beeindigen", {}).status_code == 404
