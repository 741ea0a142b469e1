"""A beschikking's review step through the REST API and the CLI (issue 18 item 9): the letter page's
use cases (casework/letters.py), so the same rules (four eyes as the gemeente set them, only a checked
letter is sent, the address checked at its field), the same chained events that verify rebuilds and
the same processing-log line, whichever way in.

Awb 3:41: a beschikking takes effect by being sent; 6:7/6:8: the objection term runs from the day
after. The letter is the seed 000 werkplek-aanbod decided by the teamleider
(tests/processes/test_beschikking.py ``offer_decided``).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.accounts.service import create_user
from engine.audit.seal import Sealer
from engine.clock import FixedClock
from engine.service import CaseEngine
from engine.storage.db import make_db_engine, processing_log
from processes import beschikking
from processes.catalogue import deploy_all
from processes.tables import beschikkingen
from processes.wiring import decision_provider, domain_services
from tests.processes.helpers import START, TEAMLEIDER
from tests.processes.test_beschikking import offer_decided
from web.api.tokens import issue
from web.app import create_app

pytestmark = pytest.mark.database
ROOT = Path(__file__).parent.parent.parent
GEMEENTE = "zeeuws-vlaanderen"
KEY = "cd" * 32
ADRES = {"straat": "Noordweg 12", "postcode": "4501ab", "woonplaats": "Oostburg"}


def _decide(engine: CaseEngine):
    deploy_all(engine)
    for name, roles in ((TEAMLEIDER, ["teamleider"]), ("tl.devries", ["teamleider"]),
                        ("fa.jansen", ["financien"])):
        create_user(engine.db, name, "", name.replace(".", " ").title(), GEMEENTE, roles, password_hash="x")
    case, _ = offer_decided(engine, send=False)
    ((letter,), _) = beschikking.BezwaarService(engine).list(case.id)
    return case, letter


@pytest.fixture
def decided(db_url):
    """Sealed with the key the CLI is given, so verify checks the CLI's events as its own."""
    engine = CaseEngine(make_db_engine(db_url), clock=FixedClock(START), decisions=decision_provider(),
                        services=domain_services(), sealer=Sealer(bytes.fromhex(KEY)))
    yield engine, *_decide(engine)
    engine.db.dispose()


def _letter(engine, letter_id: int) -> beschikking.Beschikking:
    with engine.db.connect() as conn:
        case_id = conn.execute(select(beschikkingen.c.case_id)
                               .where(beschikkingen.c.id == letter_id)).scalar()
        return next(b for b in beschikking.beschikkingen_of(conn, case_id) if b.id == letter_id)


def test_the_api_checks_and_sends_a_letter_with_the_pages_rules(db_url):
    app = create_app({"DATABASE_URL": db_url, "CLOCK": FixedClock(START), "TESTING": True})
    engine = app.extensions["trede.engine"]
    case, letter = _decide(engine)
    web = app.test_client()
    token = issue(engine.db, "zaaksysteem", GEMEENTE, {"cases:read", "cases:write"}, START)
    headers = {"Authorization": "Bearer " + token}

    early = web.post(f"/api/letters/{letter.id}/verzending", headers=headers, json=ADRES)
    assert early.status_code == 409 and "alleen een gecontroleerde brief" in early.json["error"]
    checked = web.post(f"/api/letters/{letter.id}/controle", headers=headers)
    assert checked.status_code == 200, checked.json
    assert (checked.json["brief_status"], checked.json["gecontroleerd_door"]) == ("gecontroleerd",
                                                                                 "api:zaaksysteem")
    again = web.post(f"/api/letters/{letter.id}/controle", headers=headers)
    assert again.status_code == 409 and "al gecontroleerd" in again.json["error"]

    bad = web.post(f"/api/letters/{letter.id}/verzending", headers=headers,
                   json={**ADRES, "postcode": "0123 SS"})
    assert bad.status_code == 422
    assert bad.json["errors"] == {"postcode": "Postcode: vul een postcode in van 4 cijfers en 2 letters, "
                                              "bijvoorbeeld 1234 AB."}
    assert _letter(engine, letter.id).brief_status == "gecontroleerd"  # nothing written
    sent = web.post(f"/api/letters/{letter.id}/verzending", headers=headers, json=ADRES)
    assert sent.status_code == 200, sent.json
    # sent today (the test clock: Monday 3 March 2025); bezwaar until six weeks after (Awb 6:7, 6:8)
    assert (sent.json["brief_status"], sent.json["verzonden_op"], sent.json["bezwaar_einde"]) == (
        "verzonden", "2025-03-03", "2025-04-14")
    assert _letter(engine, letter.id).adres == "Noordweg 12\n4501 AB  OOSTBURG"
    history = engine.history(case.id)
    assert [(e.kind, e.actor) for e in history[-2:]] == [("beschikking_gecontroleerd", "api:zaaksysteem"),
                                                          ("beschikking_verzonden", "api:zaaksysteem")]
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    with engine.db.connect() as conn:
        lines = conn.execute(select(processing_log.c.result, processing_log.c.actor).where(
            processing_log.c.object_ref == case.case_number)).all()
    assert (f"beschikking {letter.id} verzonden", "api:zaaksysteem") in [tuple(line) for line in lines]

    # another gemeente's token: the letter does not exist for it; without the scope: 403
    other = issue(engine.db, "ander", "ooststellingwerf", {"cases:write"}, START)
    assert web.post(f"/api/letters/{letter.id}/controle",
                    headers={"Authorization": "Bearer " + other}).status_code == 404
    reader = issue(engine.db, "lezer", GEMEENTE, {"cases:read"}, START)
    assert web.post(f"/api/letters/{letter.id}/controle",
                    headers={"Authorization": "Bearer " + reader}).status_code == 403
    paths = web.get("/api/openapi.json").json["paths"]
    assert {"/api/letters/{beschikking_id}/controle",
            "/api/letters/{beschikking_id}/verzending"} <= set(paths)


def _trede(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TREDE_DATABASE_URL": url, "TREDE_SEAL_KEY": KEY}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_cli_checks_and_sends_a_letter_four_eyes_as_in_the_browser(decided, db_url):
    engine, case, letter = decided
    listed = _trede("letter", "list", case.case_number, "--actor", "tl.devries", url=db_url)
    assert listed.returncode == 0, listed.stderr
    assert f"{letter.id}\tWerkplek-aanbod" in listed.stdout and "\tconcept" in listed.stdout
    # another gemeente's case and no case at all: the number typed, in the same words
    create_user(engine.db, "cm.elders", "", "Cm Elders", "ooststellingwerf", ["casemanager"],
                password_hash="x")
    for number, actor in ((case.case_number, "cm.elders"), ("Z2099-999999", "tl.devries")):
        missing = _trede("letter", "list", number, "--actor", actor, url=db_url)
        assert (missing.returncode, missing.stderr.strip()) == (2, f"trede: Zaak {number} niet gevonden")
    # the teamleider who decided does not check their own letter (the gemeente's four eyes)
    own = _trede("letter", "check", str(letter.id), "--actor", TEAMLEIDER, url=db_url)
    assert own.returncode == 2 and "een collega controleert de brief" in own.stderr
    refused = _trede("letter", "check", str(letter.id), "--actor", "fa.jansen", url=db_url)
    assert refused.returncode == 2 and "Alleen een casemanager of teamleider" in refused.stderr
    checked = _trede("letter", "check", str(letter.id), "--actor", "tl.devries", url=db_url)
    assert checked.returncode == 0, checked.stderr
    bad = _trede("letter", "send", str(letter.id), "--straat", "Noordweg 12", "--postcode", "12",
                 "--woonplaats", "Oostburg", "--actor", TEAMLEIDER, url=db_url)
    assert bad.returncode == 2 and "Postcode: vul een postcode in" in bad.stderr
    sent = _trede("letter", "send", str(letter.id), "--straat", "Noordweg 12", "--postcode", "4501 AB",
                  "--woonplaats", "Oostburg", "--actor", TEAMLEIDER, url=db_url)
    assert sent.returncode == 0, sent.stderr
    assert f"brief {letter.id} verzonden op" in sent.stdout and "bezwaartermijn" in sent.stdout
    for result in (own, refused, bad):
        assert "Traceback" not in result.stderr
    history = engine.history(case.id)
    assert [(e.kind, e.actor) for e in history[-2:]] == [("beschikking_gecontroleerd", "tl.devries"),
                                                          ("beschikking_verzonden", TEAMLEIDER)]
    assert _letter(engine, letter.id).verzonden
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
