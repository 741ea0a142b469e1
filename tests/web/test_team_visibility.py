"""Issue 8.1: "a case manager sees the cases of their municipality (and, where the municipality
chooses, only those of their team)". The beheer setting, enforced on worklist, search, task,
dossier and case-file routes, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.accounts import teams
from casework.accounts.service import create_user
from casework.people import find_user
from casework.tables import case_teams
from engine.storage.db import cases
from tests.web import helpers
from tests.web.helpers import BSN, BSN_2, csrf_token, start_case


@pytest.fixture
def two_teams(engine):
    for username, roles, team in (("cmb", ["casemanager"], "Team B"), ("beh", ["beheerder"], None),
                                  ("aud", ["auditor"], None)):
        create_user(engine.db, username, "x", username.upper(), "ooststellingwerf", roles, team=team,
                    password_hash=helpers._HASH[0])


def _intake(client) -> int:
    """cm starts a case at intake, as a case manager would: it becomes Team Werk's case."""
    token = csrf_token(client, "/dossier/nieuw")
    response = client.post("/dossier/nieuw", data={"csrf_token": token, "bsn": BSN, "naam": "Jan Jansen",
                                                   "process": "begeleiding"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _search(client, text: str) -> str:
    token = csrf_token(client, "/werkvoorraad")
    response = client.post("/werkvoorraad", data={"csrf_token": token, "view": "team", "q": text},
                           follow_redirects=True)
    return response.get_data(as_text=True)


def _scoped(engine, on: bool) -> None:
    teams.set_team_scoped(engine.db, find_user(engine.db, "beh"), on)


def _sees(client, engine, case_id: int) -> dict[str, bool]:
    task = engine.ready_tasks(case_id=case_id)[0]
    with engine.db.connect() as conn:
        client_id = conn.execute(select(cases.c.client_id).where(cases.c.id == case_id)).scalar_one()
    return {"team view": "Jan Jansen" in client.get("/werkvoorraad?view=team").get_data(as_text=True),
            "search": "Jan Jansen" in _search(client, BSN),
            "task": client.get(f"/taken/{task.task_id}").status_code == 200,
            "dossier": client.get(f"/dossier/{client_id}").status_code == 200,
            "case link": client.get(f"/dossier/zaak/{case_id}").status_code == 302}


def test_the_case_belongs_to_the_team_of_who_started_it(engine, signed_in, two_teams):
    case_id = _intake(signed_in("cm"))
    with engine.db.connect() as conn:
        team = conn.execute(select(case_teams.c.team).where(case_teams.c.case_id == case_id)).scalar()
    assert team == "Team Werk"
    other_team = signed_in("cmb")
    assert all(_sees(other_team, engine, case_id).values())  # the default: the whole gemeente sees it
    _scoped(engine, True)
    assert not any(_sees(other_team, engine, case_id).values())
    assert all(_sees(signed_in("cm2"), engine, case_id).values())  # the own team still does
    auditor = signed_in("aud")
    assert auditor.get(f"/dossier/zaak/{case_id}").status_code == 302  # auditors read every case
    _scoped(engine, False)
    assert all(_sees(other_team, engine, case_id).values())


def test_a_task_handed_across_teams_makes_its_case_visible_to_the_holder(engine, signed_in, two_teams):
    case_id = _intake(signed_in("cm"))
    _scoped(engine, True)
    task = engine.ready_tasks(case_id=case_id)[0]
    engine.reassign(task.task_id, "cmb", by="lead")
    holder = signed_in("cmb")
    assert holder.get(f"/taken/{task.task_id}").status_code == 200
    assert "Jan Jansen" in holder.get("/werkvoorraad?view=mijn").get_data(as_text=True)
    assert holder.get(f"/dossier/zaak/{case_id}").status_code == 302


def test_a_case_without_team_stays_visible_to_the_gemeente(engine, signed_in, two_teams):
    ref, _ = start_case(engine, bsn=BSN_2, naam="Piet Pietersen")  # started by another system
    _scoped(engine, True)
    client = signed_in("cmb")
    assert "Piet Pietersen" in client.get("/werkvoorraad?view=team").get_data(as_text=True)
    assert client.get(f"/dossier/zaak/{ref.id}").status_code == 302


def test_the_setting_is_on_the_beheer_screen_and_logged(engine, signed_in, two_teams):
    client = signed_in("beh")
    token = csrf_token(client, "/beheer")
    client.post("/beheer/instellingen", data={"csrf_token": token, "team_scoped": "ja"})
    page = client.get("/beheer").get_data(as_text=True)
    assert "zaken alleen zichtbaar voor het eigen team: aan" in page
    with engine.db.connect() as conn:
        assert teams.team_scoped(conn, "ooststellingwerf") and not teams.team_scoped(conn, "apeldoorn")
