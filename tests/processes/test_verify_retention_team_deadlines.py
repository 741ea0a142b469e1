"""Issue 16 item 1, the facts still missing: retention decisions, team moves and the legal
deadline's own columns (escalated_at, instance, created/closed) are chained events of their case,
and verify rebuilds their rows and names every row that differs (table, key, column, stored vs
expected) and every edited event by its sequence number, on SQLite and PostgreSQL.

Legal basis: a case closed with its result carries its bewaartermijn and is destroyed only from a
destruction list approved by a second person (Archiefwet 1995 art. 3, Archiefbesluit art. 6-8,
Selectielijst gemeenten 2020 §8: ../shared/domain/government-conventions.md §4.3); a case's team
decides who sees it (issue 8.1, AVG art. 5 lid 1 f); a beslistermijn that passed escalates to the
teamleider (Awb art. 4:13, seed 002 art. 4 scholing, as tests/processes/test_beslistermijn.py).
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from casework.accounts.teams import create_team, rename_team
from casework.people import User
from casework.tables import case_teams, teams
from casework.team.case_team import move_case
from casework.visibility import assign_case_team
from engine.storage.db import (
    cases,
    deadlines,
    destroyed_cases,
    destruction_list_items,
    destruction_lists,
    events,
)
from processes.retention import retention_of
from processes.system_models import load as load_system_models
from tests.engine.helpers import TEST_SEALER_HEX
from tests.engine.helpers import make_engine as make_test_engine  # the test models (tests/fixtures/bpmn)
from tests.engine.test_verify_every_field import _rehash
from tests.processes.helpers import TEAMLEIDER, advance_to, do, make_engine
from tests.processes.test_werkgeversinstrumenten import SCHOLING

ROOT = Path(__file__).parent.parent.parent
GEMEENTE = "ooststellingwerf"
TL = User(90, "tl.visser", "Tessa Visser", GEMEENTE, frozenset({"teamleider"}), "Noord")
BEHEER = User(91, "beheer.bos", "Bram Bos", GEMEENTE, frozenset({"beheerder"}), None)


def _problems(engine, case_id: int) -> list[str]:
    return engine.verify(case_id).problems


def _named(problems: list[str], table: str, key, column: str | None = None) -> bool:
    prefix = f"{table} {key}, kolom {column}: opgeslagen " if column else f"{table} {key}: "
    return any(p.startswith(prefix) for p in problems)


def _event(engine, case_id: int, kind: str) -> dict:
    with engine.db.connect() as conn:
        return dict(conn.execute(select(events).where(events.c.case_id == case_id, events.c.kind == kind)
                                 .order_by(events.c.seq)).mappings().first())


def _edit_payload(engine, event: dict, old: str, new: str) -> None:
    assert old in event["payload"], event["payload"]
    with engine.db.begin() as conn:
        conn.execute(update(events).where(events.c.id == event["id"])
                     .values(payload=event["payload"].replace(old, new)))


# -- retention decisions ----------------------------------------------------------------------------

def _closed_and_listed(db):
    engine = make_test_engine(db)
    case, _ = engine.start_case(GEMEENTE, "999990019", "Jan Jansen", "evaluatie", {})
    engine.close_case(case.id, "afgebroken", retention_of("afgebroken").bewaartermijn, "cm.devries")
    engine.clock.advance(timedelta(days=43))
    list_id = engine.create_destruction_list(GEMEENTE, [case.case_number], actor="beheer.bos")
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    return engine, case, list_id


RETENTION_EDITS = [
    (destruction_lists, "status", "vernietigd"),
    (destruction_lists, "created_by", "beheer.ander"),
    (destruction_lists, "approved_by", "beheer.ander"),
    (cases, "archiefactiedatum", date(2026, 1, 1)),
    (cases, "resultaat", "verstrekt"),
]


@pytest.mark.parametrize("table, column, value", RETENTION_EDITS,
                         ids=[f"{e[0].name}.{e[1]}" for e in RETENTION_EDITS])
def test_an_edited_retention_row_is_named(db, table, column, value):
    engine, case, list_id = _closed_and_listed(db)
    key = list_id if table is destruction_lists else case.id
    with engine.db.begin() as conn:
        conn.execute(update(table).where(table.c.id == key).values(**{column: value}))
    problems = _problems(engine, case.id)
    assert _named(problems, table.name, key, column), problems
    assert any("volgens de historie" in p for p in problems)


def test_a_case_taken_off_or_put_on_a_list_behind_trede_s_back_is_named(db):
    engine, case, list_id = _closed_and_listed(db)
    with engine.db.begin() as conn:
        conn.execute(destruction_list_items.delete().where(destruction_list_items.c.list_id == list_id))
    problems = _problems(engine, case.id)
    assert _named(problems, "destruction_list_items", list_id), problems
    assert any("ontbreekt (de historie legt deze rij vast)" in p for p in problems)
    # another closed case, put on the list with an INSERT (no destruction_listed event)
    other, _ = engine.start_case(GEMEENTE, "999990020", "Piet Pieters", "evaluatie", {})
    engine.close_case(other.id, "afgebroken", "P42D", "cm.devries")
    with engine.db.begin() as conn:
        conn.execute(destruction_list_items.insert().values(list_id=list_id, case_number=other.case_number))
    problems = _problems(engine, other.id)
    assert any(p.startswith(f"destruction_list_items {list_id}: staat niet in de historie")
               for p in problems), problems


def test_an_edited_destruction_listed_event_is_named_by_its_sequence_number(db):
    engine, case, list_id = _closed_and_listed(db)
    event = _event(engine, case.id, "destruction_listed")
    _edit_payload(engine, event, f'"list_id":{list_id}', f'"list_id":{list_id + 7}')
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == event["seq"], verdict.problems
    assert verdict.problems[0].startswith(
        f"gebeurtenis {event['seq']} (destruction_listed door beheer.bos"), verdict.problems


def test_the_approval_is_the_destroyed_case_s_last_event_under_its_kept_chain_head(db):
    engine, case, list_id = _closed_and_listed(db)
    before = engine.get_case(case.id)
    with engine.db.connect() as conn:
        head = conn.execute(select(cases.c.head_hash, cases.c.event_count).where(cases.c.id == case.id)).one()
    assert engine.approve_destruction_list(list_id, GEMEENTE, actor="beheer.visser") == 1
    with engine.db.connect() as conn:
        kept = conn.execute(select(destroyed_cases).where(
            destroyed_cases.c.case_number == before.case_number)).mappings().one()
    assert kept["event_count"] == head.event_count + 1  # destruction_approved, then the case went
    assert kept["head_hash"] != head.head_hash


# -- team moves ---------------------------------------------------------------------------------------

@pytest.fixture
def moved(db):
    """A case started by team Noord, moved to Zuid by a teamleider, Zuid then renamed Zuidoost."""
    engine = make_test_engine(db)
    for name in ("Noord", "Zuid"):
        create_team(engine.db, BEHEER, name)
    with engine.new_case(GEMEENTE, "999990019", "Jan Jansen", TL.username) as work:
        work.start_process("evaluatie", {}, TL.username)
        assign_case_team(work, TL)
        case = work.ref
    engine.clock.advance(timedelta(hours=1))
    assert move_case(engine, TL, case.id, "Zuid", "Werkgever zit in het zuiden") == "Noord"
    with engine.db.connect() as conn:
        zuid = conn.execute(select(teams.c.id).where(teams.c.name == "Zuid")).scalar_one()
    rename_team(engine, BEHEER, zuid, "Zuidoost")
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    return engine, case


@pytest.mark.parametrize("column, value", [
    ("team", "Noord"), ("set_by", "iemand"), ("set_at", datetime(2025, 1, 1, 9, 0, tzinfo=UTC)),
    ("gemeente", "apeldoorn")])
def test_an_edited_case_team_is_named(moved, column, value):
    engine, case = moved
    with engine.db.begin() as conn:
        conn.execute(update(case_teams).where(case_teams.c.case_id == case.id).values(**{column: value}))
    problems = _problems(engine, case.id)
    assert _named(problems, "case_teams", case.id, column), problems


def test_a_case_team_deleted_or_added_behind_trede_s_back_is_named(moved, db):
    engine, case = moved
    with engine.db.begin() as conn:
        conn.execute(case_teams.delete().where(case_teams.c.case_id == case.id))
    assert _named(_problems(engine, case.id), "case_teams", case.id)
    other, _ = engine.start_case(GEMEENTE, "999990020", "Piet Pieters", "evaluatie", {})
    with engine.db.begin() as conn:
        conn.execute(case_teams.insert().values(case_id=other.id, gemeente=GEMEENTE, team="Noord",
                                                set_by="iemand", set_at=engine.clock.now()))
    problems = _problems(engine, other.id)
    assert any(p.startswith(f"case_teams {other.id}: staat niet in de historie") for p in problems), problems


@pytest.mark.parametrize("kind, old, new", [
    ("case_team_changed", '"naar":"Zuid"', '"naar":"Noord"'),
    ("case_team_renamed", '"naar":"Zuidoost"', '"naar":"West"'),
])
def test_an_edited_team_event_is_named_by_its_sequence_number(moved, kind, old, new):
    engine, case = moved
    event = _event(engine, case.id, kind)
    if kind == "case_team_changed":  # the first one is the intake's; the move is the second
        with engine.db.connect() as conn:
            event = dict(conn.execute(select(events).where(events.c.case_id == case.id, events.c.kind == kind)
                                      .order_by(events.c.seq.desc())).mappings().first())
    _edit_payload(engine, event, old, new)
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == event["seq"], verdict.problems
    assert verdict.problems[0].startswith(f"gebeurtenis {event['seq']} ({kind} door "), verdict.problems


def test_a_team_move_edited_in_row_and_event_and_rehashed_is_caught_by_the_seal(moved):
    engine, case = moved

    def change(row):
        if row["kind"] == "case_team_renamed":
            row["payload"] = row["payload"].replace('"naar":"Zuidoost"', '"naar":"Noord"')
        return row
    _rehash(engine, case.id, change)
    with engine.db.begin() as conn:
        conn.execute(update(case_teams).where(case_teams.c.case_id == case.id).values(team="Noord"))
    problems = _problems(engine, case.id)
    assert "zegel" in problems[0], problems


# -- the deadline's own columns -------------------------------------------------------------------------

@pytest.fixture
def escalated(db):
    """Seed 002 art 4 scholing: the eight weeks of Awb 4:13 pass, the term escalates, then is met."""
    engine = make_engine(db)
    load_system_models(engine)
    case, _ = engine.start_case(GEMEENTE, "999990056", "Bram Kramer", "scholing", {"gemeente": GEMEENTE})
    do(engine, case.id, "aanvraag", {**SCHOLING, "ontvangstAanvraag": date(2025, 2, 24)})
    advance_to(engine, date(2025, 4, 23))
    assert engine.escalate_passed_deadlines() == 1
    (term,) = engine.case_deadlines(case.id)
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    return engine, case, term


@pytest.mark.parametrize("column, value", [
    ("escalated_at", None), ("escalated_at", datetime(2025, 5, 1, 9, 0, tzinfo=UTC)),
    ("created_at", datetime(2025, 1, 1, 9, 0, tzinfo=UTC)), ("instance_id", None),
])
def test_an_edited_deadline_column_is_named(escalated, column, value):
    engine, case, term = escalated
    with engine.db.begin() as conn:
        conn.execute(update(deadlines).where(deadlines.c.id == term.id).values(**{column: value}))
    problems = _problems(engine, case.id)
    assert _named(problems, "deadlines", term.id, column), problems


def test_verify_many_reads_each_projected_table_once_and_names_what_verify_names(escalated):
    """`trede verify --all` reads the projected rows of a batch of cases per table (issue 16 item 5):
    an edited deadline, a deadline of another case and a row without its event are named exactly as
    case by case, and the untouched case of the batch stays clean."""
    engine, case, term = escalated
    other, _ = engine.start_case(GEMEENTE, "999990057", "Els Kramer", "scholing", {"gemeente": GEMEENTE})
    with engine.db.begin() as conn:
        conn.execute(update(deadlines).where(deadlines.c.id == term.id).values(escalated_at=None))
        conn.execute(case_teams.insert().values(case_id=case.id, gemeente=GEMEENTE, team="Noord",
                                                set_by="x", set_at=datetime.now(UTC)))
    ids = [case.id, other.id]
    batched = engine.verify_many(ids)
    single = [engine.verify(case_id) for case_id in ids]
    assert [(v.problems, v.first_bad_seq) for v in batched] == [(v.problems, v.first_bad_seq) for v in single]
    assert _named(batched[0].problems, "deadlines", term.id, "escalated_at"), batched[0].problems
    assert _named(batched[0].problems, "case_teams", case.id), batched[0].problems
    assert batched[1].ok, batched[1].problems


def test_a_met_deadline_s_closed_at_is_checked(escalated):
    engine, case, term = escalated
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    with engine.db.begin() as conn:
        conn.execute(update(deadlines).where(deadlines.c.id == term.id).values(closed_at=None))
    assert _named(_problems(engine, case.id), "deadlines", term.id, "closed_at")


def test_an_edited_escalation_event_is_named_by_its_sequence_number(escalated):
    engine, case, term = escalated
    event = _event(engine, case.id, "deadline_escalated")
    _edit_payload(engine, event, '"name":"Besluit', '"name":"Geen besluit')
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == event["seq"], verdict.problems
    assert verdict.problems[0].startswith(f"gebeurtenis {event['seq']} (deadline_escalated door "), \
        verdict.problems


# -- as an operator runs it ------------------------------------------------------------------------------

def test_trede_verify_all_names_the_edited_row_and_the_edited_event(moved, db, db_url):
    """`trede verify --all` (a subprocess, the installation's seal key) names the table, key and
    column of an edited case team, and the sequence number of an edited retention event."""
    engine, team_case = moved
    _, listed_case, list_id = _closed_and_listed(db)
    with engine.db.begin() as conn:
        conn.execute(update(case_teams).where(case_teams.c.case_id == team_case.id).values(team="Noord"))
    event = _event(engine, listed_case.id, "destruction_listed")
    _edit_payload(engine, event, f'"list_id":{list_id}', f'"list_id":{list_id + 7}')
    env = {**os.environ, "TREDE_DATABASE_URL": db_url, "TREDE_SEAL_KEY": TEST_SEALER_HEX}
    run = subprocess.run([sys.executable, "-m", "cli.main", "verify", "--all", "--jobs", "1"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert (f"AFWIJKING {team_case.case_number}: case_teams {team_case.id}, kolom team: opgeslagen 'Noord', "
            "volgens de historie 'Zuidoost' (vastgelegd in gebeurtenis") in run.stdout, run.stdout
    first = f"AFWIJKING {listed_case.case_number} (eerste afwijking: gebeurtenis {event['seq']})"
    assert first in run.stdout, run.stdout


def test_verify_many_reads_per_table_and_says_what_verify_says_per_case(moved, db):
    """`trede verify --all` verifies in batches (issue 16 item 5): the same verdict, case by case."""
    engine, team_case = moved
    _, listed_case, list_id = _closed_and_listed(db)
    quiet, _ = engine.start_case(GEMEENTE, "999990020", "Piet Pieters", "evaluatie", {})
    with engine.db.begin() as conn:
        conn.execute(update(case_teams).where(case_teams.c.case_id == team_case.id).values(team="Noord"))
        conn.execute(update(destruction_lists).where(destruction_lists.c.id == list_id).values(status="x"))
    ids = [team_case.id, listed_case.id, quiet.id, 10**6]  # the last one does not exist
    batched = engine.verify_many(ids)
    single = [engine.verify(case_id) for case_id in ids]
    assert [(v.case_number, v.problems, v.first_bad_seq) for v in batched] == \
        [(v.case_number, v.problems, v.first_bad_seq) for v in single]
    assert [v.ok for v in batched] == [False, False, True, False]


def test_a_retention_decision_edited_and_rehashed_is_caught_by_the_seal(db):
    engine, case, list_id = _closed_and_listed(db)

    def change(row):  # the case "was never listed": its event now names another list
        if row["kind"] == "destruction_listed":
            row["payload"] = row["payload"].replace(f'"list_id":{list_id}', f'"list_id":{list_id + 7}')
        return row
    _rehash(engine, case.id, change)
    problems = _problems(engine, case.id)
    assert "zegel" in problems[0], problems
    assert _named(problems, "destruction_list_items", list_id)  # and the row no longer follows


def test_an_escalation_edited_and_rehashed_is_caught_by_the_seal(escalated):
    engine, case, term = escalated

    def change(row):  # the escalation "never happened": its event recorded no moment
        if row["kind"] == "deadline_escalated":
            row["payload"] = row["payload"].replace('"escalated_at":{', '"escalated_at":null,"x":{')
        return row
    _rehash(engine, case.id, change)
    problems = _problems(engine, case.id)
    assert "zegel" in problems[0], problems


def test_trede_verify_all_checks_each_destroyed_case_against_its_approved_list(db, db_url):
    """After destruction only the record stays (Archiefwet art. 3: a verklaring van vernietiging):
    `trede verify --all` checks it against the list that was approved, and names an edit of it."""
    engine, case, list_id = _closed_and_listed(db)
    assert engine.approve_destruction_list(list_id, GEMEENTE, actor="beheer.visser") == 1
    env = {**os.environ, "TREDE_DATABASE_URL": db_url, "TREDE_SEAL_KEY": TEST_SEALER_HEX}
    command = [sys.executable, "-m", "cli.main", "verify", "--all", "--jobs", "1"]
    ok = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    with engine.db.begin() as conn:  # behind trede's back: the list "was never approved"
        conn.execute(update(destruction_lists).where(destruction_lists.c.id == list_id)
                     .values(status="concept", approved_at=None, approved_by=None))
    bad = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr, bad.stderr
    assert (f"AFWIJKING {case.case_number} (vernietigd): destruction_lists {list_id}: status 'concept'"
            in bad.stdout), bad.stdout
