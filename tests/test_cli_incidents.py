"""`trede incident list|retry|cancel` (issue 17): the beheerder's incident screen from a shell, as a
named trede user (--actor), through the same use cases; one line and exit 2 for what is refused."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.accounts.adminlog import recent
from casework.accounts.service import create_user
from engine.clock import FixedClock
from engine.storage.db import make_db_engine, processing_log
from tests.engine.helpers import START, make_engine, model_files

pytestmark = pytest.mark.database  # its own SQLite file, trede in subprocesses

ROOT = Path(__file__).parent.parent
PSEUDONYM_KEY = "ab" * 32


def trede(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TREDE_DATABASE_URL": f"sqlite:///{db}", "TREDE_PSEUDONYM_KEY": PSEUDONYM_KEY}
    return subprocess.run([sys.executable, "-m", "cli.main", "incident", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def poisoned(tmp_path):
    """Two Woerden cases whose computed cycle "R/PT0S" put them aside, and the people who act."""
    path = tmp_path / "cli.db"
    assert subprocess.run([sys.executable, "-m", "cli.main", "db", "upgrade"], cwd=ROOT, timeout=120,
                          env={**os.environ, "TREDE_DATABASE_URL": f"sqlite:///{path}"}).returncode == 0
    db = make_db_engine(f"sqlite:///{path}")
    engine = make_engine(db)
    engine.deploy(model_files("cyclus.bpmn"))
    cases = [engine.start_case("woerden", bsn, "Jan Jansen", "cyclus", {"cyclus": "R/PT0S"})[0]
             for bsn in ("999990019", "999990027")]
    make_engine(db, clock=FixedClock(START + timedelta(days=2))).run_due()
    for username, gemeente, role in (("b.woerden", "woerden", "beheerder"),
                                     ("cm.woerden", "woerden", "casemanager"),
                                     ("b.apeldoorn", "apeldoorn", "beheerder")):
        create_user(db, username, "", username, gemeente, [role], password_hash="x")
    yield path, db, engine, cases
    db.dispose()


def test_list_retry_and_cancel_as_the_beheerder(poisoned):
    path, db, engine, (first, second) = poisoned
    listed = trede(path, "list", "--actor", "b.woerden")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 2 and all("Herinnering\t1x\t" in line for line in lines)
    assert "de cyclus 'R/PT0S' herhaalt vaker dan eens per minuut" in lines[0]
    ids = {line.split("\t")[1]: line.split("\t")[0] for line in lines}

    retried = trede(path, "retry", ids[first.case_number], "--actor", "b.woerden")  # nothing was fixed
    assert retried.returncode == 2
    assert f"({first.case_number}) mislukte opnieuw (2 keer): het model faalde" in retried.stderr
    no_reason = trede(path, "cancel", ids[second.case_number], "--reden", " ", "--actor", "b.woerden")
    assert no_reason.returncode == 2
    assert no_reason.stderr.strip() == "trede: Reden: geef op waarom het proces wordt beëindigd."
    cancelled = trede(path, "cancel", ids[second.case_number], "--reden", "model hersteld", "--actor",
                      "b.woerden")
    assert cancelled.returncode == 0, cancelled.stderr
    [still] = trede(path, "list", "--actor", "b.woerden").stdout.strip().splitlines()
    assert still.startswith(ids[first.case_number] + "\t") and "\t2x\t" in still

    assert engine.history(second.id)[-1].payload["reason"] == "model hersteld"
    actions = {line.action for line in recent(db, "woerden")}
    assert {"incident_opnieuw", "incident_geannuleerd"} <= actions
    with db.connect() as conn:  # a line per incident shown and per action, no BSN in it
        rows = conn.execute(select(processing_log).where(
            processing_log.c.processing_activity_id.like("%incident-afhandelen%"))).mappings().all()
    assert sorted(r["result"] for r in rows) == ["incident bekeken"] * 3 + ["opnieuw geprobeerd",
                                                                            "proces beëindigd"]
    assert all(r["actor"] == "b.woerden" and r["data_subject_id"] for r in rows)
    assert not any(bsn in str(dict(r)) for r in rows for bsn in ("999990019", "999990027"))


def test_only_a_beheerder_of_the_gemeente(poisoned):
    path, _db, engine, (first, _second) = poisoned
    [incident, _] = engine.incidents("woerden")
    refused = trede(path, "list", "--actor", "cm.woerden")
    assert refused.returncode == 2
    assert refused.stderr.strip() == \
        "trede: alleen een beheerder van de gemeente ziet en behandelt incidenten"
    assert trede(path, "list", "--actor", "b.apeldoorn").stdout.strip() == "geen open incidenten"
    other = trede(path, "retry", str(incident.id), "--actor", "b.apeldoorn")
    assert other.returncode == 2 and "bestaat niet" in other.stderr and "Traceback" not in other.stderr
    unknown = trede(path, "list", "--actor", "niemand")
    assert unknown.returncode == 2 and "bestaat niet of is niet actief" in unknown.stderr
    assert engine.incidents("woerden")[0].status == "open"
