"""A teamleider gives a case to another team (team-only visibility, issue 8.1; casework/team/case_team.py).

The move is one transaction: the case's team, a beheer-log line (names only) and an event in the
case's own hash-chained history with the reason. SQLite and PostgreSQL.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.accounts import teams
from casework.accounts.service import create_user
from casework.people import find_user
from casework.tables import admin_log, case_teams
from engine.storage.db import cases, clients
from tests.web import helpers
from tests.web.helpers import BSN, csrf_token

REDEN = "Inwoner verhuist naar het werkgebied van team B."


@pytest.fixture
def setup(engine, signed_in):
    for username, roles, team in (("cmb", ["casemanager"], "Team B"), ("beh", ["beheerder"], None)):
        create_user(engine.db, username, "x", username.upper(), "ooststellingwerf", roles, team=team,
                    password_hash=helpers._HASH[0])
    teams.set_team_scoped(engine.db, find_user(engine.db, "beh"), True)  # (users bring their teams)
    cm = signed_in("cm")
    token = csrf_token(cm, "/dossier/nieuw")
    response = cm.post("/dossier/nieuw", data={"csrf_token": token, "bsn": BSN, "naam": "Jan Jansen",
                                               "process": "begeleiding"})
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with engine.db.connect() as conn:
        client_id = conn.execute(select(clients.c.id).where(clients.c.bsn == BSN)).scalar_one()
    return case_id, client_id


def _team(engine, case_id: int) -> str | None:
    with engine.db.connect() as conn:
        return conn.execute(select(case_teams.c.team).where(case_teams.c.case_id == case_id)).scalar()


def _events(engine, case_id: int) -> int:
    with engine.db.connect() as conn:
        return conn.execute(select(cases.c.event_count).where(cases.c.id == case_id)).scalar_one()


def _move(client, client_id: int, case_id: int, team: str, reden: str):
    token = csrf_token(client, f"/dossier/{client_id}")
    return client.post(f"/dossier/zaak/{case_id}/team", data={"csrf_token": token, "team": team,
                                                               "reden": reden})


def test_a_teamleider_moves_a_case_and_the_other_team_takes_over(engine, signed_in, setup):
    case_id, client_id = setup
    assert _team(engine, case_id) == "Team Werk"
    lead = signed_in("lead")
    page = lead.get(f"/dossier/{client_id}").get_data(as_text=True)
    assert "team Team Werk" in page and "Zaak naar dit team" in page
    assert signed_in("cmb").get(f"/dossier/{client_id}").status_code == 404  # not Team B's yet
    response = _move(lead, client_id, case_id, "Team B", REDEN)
    # The lead is in Team Werk: the case is out of sight now, and the page says so.
    assert response.status_code == 302 and response.headers["Location"].endswith("/werkvoorraad")
    assert "U ziet deze zaak niet meer" in lead.get("/werkvoorraad").get_data(as_text=True)
    assert _team(engine, case_id) == "Team B"
    assert signed_in("cm2").get(f"/dossier/{client_id}").status_code == 404
    dossier = signed_in("cmb").get(f"/dossier/{client_id}").get_data(as_text=True)
    assert "team Team B" in dossier and "Zaak naar ander team" in dossier
    assert f"Team Werk → Team B: {REDEN}" in dossier
    with engine.db.connect() as conn:
        line = conn.execute(select(admin_log).where(admin_log.c.action == "zaak_naar_team")).mappings().one()
    assert line["actor"] == "lead" and line["detail"] == "Team Werk -> Team B"
    assert "verhuist" not in line["detail"]  # the beheer log holds names, not case content
    assert engine.verify(case_id).ok  # the move is in the case's chain, and the chain holds


@pytest.mark.parametrize("team, reden, field, message", [
    ("", REDEN, "team", "Team: kies een team van uw gemeente."),
    ("Team Elders", REDEN, "team", "Team: kies een team van uw gemeente."),
    ("Team Werk", REDEN, "team", "Team: de zaak hoort al bij Team Werk."),
    ("Team B", "  ", "reden", "Reden: geef aan waarom de zaak naar een ander team gaat."),
])
def test_bad_input_names_the_field_and_changes_nothing(engine, signed_in, setup, team, reden, field,
                                                       message):
    case_id, client_id = setup
    before = _events(engine, case_id)
    response = _move(signed_in("lead"), client_id, case_id, team, reden)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert f'id="{field}-{case_id}"' in page and 'aria-invalid="true"' in page
    if reden.strip():
        assert reden in page  # what was typed is still there
    assert _team(engine, case_id) == "Team Werk" and _events(engine, case_id) == before


def test_only_a_teamleider_of_the_gemeente_moves_a_case(engine, signed_in, setup):
    case_id, client_id = setup
    cm = signed_in("cm")
    assert "Zaak naar dit team" not in cm.get(f"/dossier/{client_id}").get_data(as_text=True)
    assert _move(cm, client_id, case_id, "Team B", REDEN).status_code == 403
    apel = signed_in("apel")  # a teamleider of another gemeente
    token = csrf_token(apel, "/werkvoorraad")
    assert apel.post(f"/dossier/zaak/{case_id}/team", data={
        "csrf_token": token, "team": "Team B", "reden": REDEN}).status_code == 404
    assert _team(engine, case_id) == "Team Werk"
