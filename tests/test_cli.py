"""The `trede` command line from a user's shell: real subprocesses, clear errors, no tracebacks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.database  # its own SQLite file, trede in subprocesses

ROOT = Path(__file__).parent.parent
MODELS = ROOT / "tests" / "fixtures" / "bpmn"
TREDE = [sys.executable, "-m", "cli.main"]


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TREDE_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([*TREDE, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def fresh_db(tmp_path) -> Path:
    db = tmp_path / "cli.db"
    result = run("db", "upgrade", db=db)
    assert result.returncode == 0, result.stderr
    return db


def test_db_upgrade_deploys_the_processes_trede_starts_itself(fresh_db):
    """Deadline escalation and the new decision after a gegrond bezwaar must exist on every
    installation, not only where the demo was loaded."""
    again = run("db", "upgrade", db=fresh_db)
    assert again.returncode == 0, again.stderr
    assert "bezwaar_heroverweging v1, termijn_escalatie v1 (ongewijzigd)" in again.stdout


@pytest.fixture
def designers(fresh_db):
    """Two procesontwerpers of Woerden: one asks for a deploy, the other approves it."""
    from casework.accounts.service import create_user
    from engine.storage.db import make_db_engine

    db = make_db_engine(f"sqlite:///{fresh_db}")
    for name in ("ontwerper1", "ontwerper2"):
        create_user(db, name, "", name.title(), "woerden", ["procesontwerper"], password_hash="x")
    create_user(db, "cm1", "", "Cees", "woerden", ["casemanager"], password_hash="x")
    db.dispose()
    return fresh_db


def test_a_deploy_from_the_command_line_needs_a_second_designer(designers):
    """Four eyes on every way in (issue 20 item 3): the CLI asks, another person approves."""
    bundle = (str(MODELS / "intake.bpmn"), str(MODELS / "evaluatie.bpmn"))
    asked = run("deploy", *bundle, "--actor", "ontwerper1", db=designers)
    assert asked.returncode == 0, asked.stderr
    assert "uitrolverzoek 1 ingediend voor gemeente woerden" in asked.stdout
    assert f"toegevoegd: {MODELS / 'intake.bpmn'} process intake" in asked.stdout  # what the reviewer reads
    own = run("deploy", "--approve", "1", "--actor", "ontwerper1", db=designers)
    assert own.returncode == 2 and "vier ogen" in own.stderr and "Traceback" not in own.stderr
    not_a_designer = run("deploy", *bundle, "--actor", "cm1", db=designers)
    assert not_a_designer.returncode == 2 and "procesontwerper of beheerder" in not_a_designer.stderr
    approved = run("deploy", "--approve", "1", "--actor", "ontwerper2", db=designers)
    assert approved.returncode == 0, approved.stderr
    assert "goedgekeurd (ingediend door ontwerper1, akkoord ontwerper2)" in approved.stdout
    assert "Uitgerold als versie 1" in approved.stdout
    again = run("deploy", "--approve", "1", "--actor", "ontwerper2", db=designers)
    assert again.returncode == 2 and "al beoordeeld" in again.stderr


def test_deploy_names_a_real_account_and_a_bundle_with_a_process(designers, tmp_path):
    unknown = run("deploy", str(MODELS / "intake.bpmn"), "--actor", "wie-dan-ook", db=designers)
    assert unknown.returncode == 2 and "bestaat niet" in unknown.stderr
    table = tmp_path / "Verlenging.dmn"
    table.write_text((ROOT / "bpmn" / "rules" / "apeldoorn" / "2020-07-02" / "Verlenging.dmn").read_text())
    only_a_table = run("deploy", str(table), "--actor", "ontwerper1", db=designers)
    assert only_a_table.returncode == 2 and "geen proces" in only_a_table.stderr


def test_deploy_refuses_a_hostile_model_with_file_and_line(designers, tmp_path):
    hostile = tmp_path / "kwaad.bpmn"
    hostile.write_text((MODELS / "evaluatie.bpmn").read_text().replace(
        '<bpmn:userTask id="gesprek" name="Evaluatiegesprek voeren">',
        '<bpmn:scriptTask id="kwaad" name="Kwaad">\n'
        '      <bpmn:script>import os\nos.system("id")</bpmn:script>\n    </bpmn:scriptTask>\n'
        '    <bpmn:userTask id="gesprek" name="Evaluatiegesprek voeren">'))
    result = run("deploy", str(hostile), "--actor", "ontwerper1", db=designers)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (f"{hostile}:7: Scripttaak ‘Kwaad’ (kwaad): modules importeren mag niet in modelcode (import os) "
            "(regel 1 van het script)") in result.stderr


def test_unknown_file_is_one_clear_line(designers):
    result = run("deploy", "bestaat/niet.bpmn", "--actor", "ontwerper1", db=designers)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "bestaat/niet.bpmn" in result.stderr


def test_verify_finds_a_tampered_case_and_names_the_event(fresh_db):
    from datetime import date

    from engine.audit.seal import Sealer
    from engine.service import CaseEngine
    from engine.storage.db import make_db_engine

    key = "ab" * 32
    engine = CaseEngine(make_db_engine(f"sqlite:///{fresh_db}"), sealer=Sealer(bytes.fromhex(key)))
    engine.deploy({n: (MODELS / n).read_bytes() for n in ("intake.bpmn", "evaluatie.bpmn")})
    case, _ = engine.start_case("woerden", "999990019", "Jan", "intake", {"peildatum": date(2026, 1, 31)})
    engine.start_case("woerden", "999990020", "Piet", "evaluatie", {})
    os.environ["TREDE_SEAL_KEY"] = key
    try:
        ok = run("verify", "--all", db=fresh_db)
        assert ok.returncode == 0 and "OK: 2" in ok.stdout, ok.stderr
        parallel = run("verify", "--all", "--jobs", "2", db=fresh_db)
        assert parallel.returncode == 0 and "OK: 2" in parallel.stdout, parallel.stderr
        with engine.db.begin() as conn:
            conn.exec_driver_sql("UPDATE events SET actor = 'mallory' WHERE seq = 2 AND case_id = 1")
        bad = run("verify", "--case", case.case_number, db=fresh_db)
    finally:
        del os.environ["TREDE_SEAL_KEY"]
    assert bad.returncode == 1
    assert f"AFWIJKING {case.case_number} (eerste afwijking: gebeurtenis 2)" in bad.stdout
    assert "actor: opgeslagen 'mallory'" in bad.stdout  # issue 16: what changed, where the chain tells


def test_verify_all_names_a_case_whose_deadline_row_was_moved(fresh_db):
    """Issue 16: a legal deadline moved in the database is named with table, row, column and values."""
    from datetime import date

    from engine.audit.seal import Sealer
    from engine.service import CaseEngine
    from engine.storage.db import make_db_engine

    key = "cd" * 32
    engine = CaseEngine(make_db_engine(f"sqlite:///{fresh_db}"), sealer=Sealer(bytes.fromhex(key)))
    engine.deploy({n: (MODELS / n).read_bytes() for n in ("intake.bpmn", "evaluatie.bpmn")})
    case, _ = engine.start_case("woerden", "999990019", "Jan", "evaluatie", {})
    term = engine.add_deadline(case.id, "Beslistermijn", date(2026, 1, 5), "P8W", "cm",
                               legal_basis="Awb 4:13")  # the decision term of an application
    with engine.db.begin() as conn:
        conn.exec_driver_sql(f"UPDATE deadlines SET due_date = '2026-12-31' WHERE id = {term.id}")
    os.environ["TREDE_SEAL_KEY"] = key
    try:
        bad = run("verify", "--all", db=fresh_db)
    finally:
        del os.environ["TREDE_SEAL_KEY"]
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert (f"AFWIJKING {case.case_number}: deadlines {term.id}, kolom due_date: opgeslagen 2026-12-31, "
            f"volgens de historie {term.due_date.isoformat()} (vastgelegd in gebeurtenis 3)") in bad.stdout


def test_message_send_is_idempotent_and_keeps_dead_letters(fresh_db):
    from engine.audit.seal import Sealer
    from engine.service import CaseEngine
    from engine.storage.db import make_db_engine

    engine = CaseEngine(make_db_engine(f"sqlite:///{fresh_db}"), sealer=Sealer(b"x" * 32))
    engine.deploy({n: (MODELS / n).read_bytes() for n in ("intake.bpmn", "evaluatie.bpmn")})
    case, _ = engine.start_case("woerden", "999990019", "Jan", "intake", {})
    args = ("message", "send", "PlanOndertekend", "--gemeente", "woerden", "--case", case.case_number)
    dead = run(*args, "--key", "a", db=fresh_db)
    assert dead.returncode == 1 and "onbestelbaar bericht 1" in dead.stderr
    listed = run("message", "dead", "--gemeente", "woerden", db=fresh_db)
    assert listed.stdout.startswith("1\t") and "PlanOndertekend" in listed.stdout
    invalid = run("message", "send", "X", "--gemeente", "woerden", "--bsn", "123456789", db=fresh_db)
    assert invalid.returncode == 2 and "123456789" not in invalid.stderr.replace("--bsn", "")


def test_a_destroyed_case_is_reported_as_destroyed_not_tampered(fresh_db):
    from datetime import UTC, datetime

    from casework.accounts.service import create_user
    from engine.audit.seal import Sealer
    from engine.clock import FixedClock
    from engine.service import CaseEngine
    from engine.storage.db import make_db_engine

    key = "cd" * 32
    engine = CaseEngine(make_db_engine(f"sqlite:///{fresh_db}"), sealer=Sealer(bytes.fromhex(key)))
    engine.deploy({"evaluatie.bpmn": (MODELS / "evaluatie.bpmn").read_bytes()})
    case, _ = engine.start_case("woerden", "999990019", "Jan", "evaluatie", {})
    close = ("retention", "close", case.case_number, "--resultaat", "afgebroken", "--actor")
    unknown = run(*close, "cm1", db=fresh_db)
    assert unknown.returncode == 2 and "bestaat niet" in unknown.stderr  # the CLI acts as a trede user
    create_user(engine.db, "cm1", "", "Cees", "woerden", ["casemanager"], password_hash="x")
    running = run(*close, "cm1", db=fresh_db)  # the same rule as the dossier page: nothing still runs
    assert running.returncode == 2 and "lopen nog processen" in running.stderr
    for task in engine.ready_tasks(case_id=case.id):
        engine.complete(task.task_id, {}, actor="cm1")
    assert run(*close, "cm1", db=fresh_db).returncode == 0
    engine.clock = FixedClock(datetime(2030, 1, 1, tzinfo=UTC))  # long after the 42 days
    list_id = engine.create_destruction_list("woerden", [case.case_number], actor="b1")
    engine.approve_destruction_list(list_id, "woerden", actor="b2")
    os.environ["TREDE_SEAL_KEY"] = key
    try:
        result = run("verify", "--case", case.case_number, db=fresh_db)
    finally:
        del os.environ["TREDE_SEAL_KEY"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"VERNIETIGD {case.case_number}")


def test_the_cli_says_which_processes_got_a_new_version_and_which_stayed(designers, tmp_path):
    """Issue 20, item 8: only a changed process gets a new version; the approval output names both."""
    bundle = (str(MODELS / "intake.bpmn"), str(MODELS / "evaluatie.bpmn"))
    run("deploy", *bundle, "--actor", "ontwerper1", db=designers)
    run("deploy", "--approve", "1", "--actor", "ontwerper2", db=designers)
    changed = tmp_path / "intake.bpmn"
    changed.write_text((MODELS / "intake.bpmn").read_text().replace("Plan van aanpak opstellen", "Plan v2"))
    asked = run("deploy", str(changed), str(MODELS / "evaluatie.bpmn"), "--actor", "ontwerper2", db=designers)
    assert asked.returncode == 0, asked.stderr
    assert "(intake)" in asked.stdout  # the request is named after the process that changed
    approved = run("deploy", "--approve", "2", "--actor", "ontwerper1", db=designers)
    assert approved.returncode == 0, approved.stderr
    assert ("Uitgerold als versie 2 (nieuwe versie: intake versie 2; ongewijzigd gebleven: evaluatie "
            "(versie 1))") in approved.stdout
