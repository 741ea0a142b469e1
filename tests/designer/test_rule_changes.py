"""Rule packs edited and deployed under four eyes (issue 20 item 6), on SQLite and PostgreSQL.

Ooststellingwerf's Trajectpremie (seed 002 art. 16) gets a tariff from a date: a designer submits,
a second one sees exactly that change and approves; a decision taken after the approval with a
peildatum from that date gets the tariff, one with an earlier peildatum does not, and a decision
taken before the approval replays with the table it was taken with (verify stays green).
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from casework.designer import model_tests, rule_changes
from casework.errors import FormRefused, NotAllowed
from processes.beschikking import fired_rule
from processes.decisions.service import get_decision_service
from tests.designer.rule_helpers import ONTWERPER, ONTWERPER2, RECHT, original, with_tariff
from tests.processes.helpers import data, make_engine

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FROM = "2026-03-01"  # geldig vanaf: the day before, as a verordening may take effect retroactively


def decision(engine, instance_id: int) -> dict:
    return data(engine, instance_id)


def start(engine, bsn: str, **data):
    case, instance_id = engine.start_case("ooststellingwerf", bsn, "Hendrik Dijkstra", "trajectpremie",
                                          {**RECHT, **data})
    return case, instance_id


@pytest.fixture
def engine(db):
    return make_engine(db, NOW)


def test_a_tariff_from_a_date_reaches_new_decisions_and_old_ones_replay_unchanged(engine):
    before, before_id = start(engine, "999990019")
    assert decision(engine, before_id)["recht"] is True
    assert decision(engine, before_id).get("bedrag") is None  # the pack has no amount (art. 16)

    engine.clock.advance(timedelta(hours=1))
    change_id = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff("750"),
                                    "tarief 2026")
    assert isinstance(change_id, int)
    request = rule_changes.get(engine.db, ONTWERPER2, change_id)
    # the reviewer reads exactly the change: the new column and the one cell that got a value
    assert [str(c) for c in rule_changes.changes(request)] == [
        "kolom bedrag (uitvoer): geen kolom → type money",
        "regel r5_recht (art. 16: succesvol afgerond traject sociale activering of participatieplaats, "
        "12 maanden uitkering), kolom bedrag (uitvoer): leeg → 750",
    ]
    assert request.base_label == "regelset van de release, geldig vanaf 2023-07-01"

    with pytest.raises(NotAllowed, match="vier ogen"):
        rule_changes.approve(engine, ONTWERPER, change_id)
    engine.clock.advance(timedelta(hours=1))
    outcome = rule_changes.approve(engine, ONTWERPER2, change_id)
    assert outcome.approved, outcome.problems
    assert "vanaf 12:01 uur met een peildatum vanaf 01-03-2026" in outcome.message
    # in the minute after approval a step that was under way keeps the old table, live and in replay
    engine.clock.advance(timedelta(seconds=30))
    during, during_id = start(engine, "999990022")
    assert decision(engine, during_id).get("bedrag") is None

    engine.clock.advance(timedelta(hours=1))
    after, after_id = start(engine, "999990020")
    record = decision(engine, after_id)
    assert record["bedrag"] == 750
    trace = record["beslissing_Trajectpremie"]
    assert trace["regelversie"] == outcome.rule_version_id and len(trace["inhoudHash"]) == 64
    assert fired_rule(record, "Trajectpremie").startswith(
        f"Trajectpremie (versie 2026-03-01, regelversie {outcome.rule_version_id}), regel r5_recht")
    # a decision whose peildatum lies before geldig vanaf keeps the old table
    earlier, earlier_id = start(engine, "999990021", aanvraagdatum="2026-02-27")
    assert decision(engine, earlier_id).get("bedrag") is None
    assert "regelversie" not in decision(engine, earlier_id)["beslissing_Trajectpremie"]

    for case in (before, during, after, earlier):
        verdict = engine.verify(case.id)
        assert verdict.ok, verdict.problems
    assert decision(engine, before_id).get("bedrag") is None  # the old decision is as it was


def test_self_approval_and_a_second_decision_on_the_same_request_are_refused(engine):
    change_id = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff(), None)
    with pytest.raises(NotAllowed, match="eigen wijziging"):
        rule_changes.approve(engine, ONTWERPER, change_id)
    assert rule_changes.approve(engine, ONTWERPER2, change_id).approved
    with pytest.raises(NotAllowed, match="al beoordeeld"):
        rule_changes.approve(engine, ONTWERPER2, change_id)


@pytest.mark.parametrize(("edit", "where", "says"), [
    (lambda t: t.replace("<text>&lt; 12</text>", "<text>&lt;&lt;&gt; 12</text>"),
     "regel r4_korter_dan_12_maanden, kolom 'Maanden uitkering'",
     "kan niet worden uitgevoerd: ongeldige Python-syntax"),
    (lambda t: t.replace("<text>&lt; 12</text>", "<text>&lt; __import__('os').getpid()</text>"),
     "regel r4_korter_dan_12_maanden, kolom 'Maanden uitkering'", "‘__import__’ mag niet in modelcode"),
    (lambda t: t.replace('<decision id="Trajectpremie"', '<decision id="Tarief"'), "",
     "hier hoort 'Trajectpremie'"),
    (lambda t: t.replace(' expressionLanguage="https://www.python.org/"', ""), "", "Python-cellen"),
    (lambda t: t.replace('<output id="out_recht" name="recht"', '<output id="out_recht" name="het recht"'),
     "uitvoerkolom 'het recht'", "naam zonder spaties"),
    (lambda t: t.replace('<description>art. 16: "na het succesvol afronden"</description>', ""),
     "regel r2_niet_succesvol", "omschrijving"),
    (lambda t: t.replace("</decisionTable>", "<rule id='x'/></decisionTable>"), "regel x", "0 invoer"),
    (lambda t: with_tariff('"zevenhonderd"', t), "regel r5_recht, kolom 'Bedrag'",
     "past niet bij het type money"),
    (lambda t: t[:200], "", "geen geldige DMN-XML"),
])
def test_a_table_that_would_not_run_is_refused_in_dutch_at_its_rule_and_column(engine, edit, where, says):
    checked = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, edit(original()), None)
    assert isinstance(checked, rule_changes.Checked) and not checked.ok
    problem = checked.problems[0]
    assert (problem.where, says in problem.message) == (where, True), problem
    assert rule_changes.list_changes(engine.db, ONTWERPER) == []  # nothing stored


def test_a_failing_decision_test_blocks_submitting_and_names_the_test(engine):
    model_tests.add_test(engine.db, "ooststellingwerf", "decision", "Trajectpremie", "tarief 2026",
                         json.dumps({"inputs": RECHT, "expect": {"recht": True, "bedrag": 800},
                                     "peildatum": "2026-06-01"}), "ontwerper")
    checked = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff("750"), None)
    assert isinstance(checked, rule_changes.Checked)
    assert [(t.name, t.passed, t.messages) for t in checked.tests] == [
        ("tarief 2026", False, ["uitkomst bedrag: verwacht 800, kreeg 750"])]
    fixed = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff("800"), None)
    assert isinstance(fixed, int)


def test_the_readme_cells_run_as_the_readme_says(engine):
    """bpmn/rules/README.md: "-" any, "?" the input (``3 < ? <= 12``), a complete expression is
    compared for equality, otherwise appended to the input (``>= 27``, ``in (...)``, ``not in (...)``)."""
    text = (with_tariff("750")
            .replace('<text>in ("sociale_activering", "participatieplaats")</text>',
                     '<text>"participatieplaats"</text>')
            .replace("<text>&lt; 12</text>", "<text>0 &lt;= ? &lt; 12</text>")
            .replace("<text>&gt;= 12</text>", "<text>&gt;= 12</text>"))
    checked = rule_changes.check(engine, ONTWERPER, "Trajectpremie", date(2026, 3, 1), text)
    assert checked.ok, checked.problems
    version, _ = __import__("processes.decisions.candidate", fromlist=["check"]).check(
        "Trajectpremie", "ooststellingwerf", date(2026, 3, 1), text)
    service = get_decision_service()

    def outputs(**changes):
        return service.evaluate_version(version, {**RECHT, **changes}).outputs_json()
    assert outputs() == {"recht": True, "bedrag": 750}
    assert outputs(instrument="werkstage") == {"recht": False, "bedrag": None}  # not in (...)
    assert outputs(uitkeringsmaanden=11) == {"recht": False, "bedrag": None}  # 0 <= ? < 12
    assert outputs(instrument="sociale_activering") == {"recht": None, "bedrag": None}  # "participatieplaats"


def test_a_date_that_is_not_a_date_is_refused_on_its_field(engine):
    with pytest.raises(FormRefused) as refused:
        rule_changes.submit(engine, ONTWERPER, "Trajectpremie", "1-3-2026", with_tariff(), None)
    assert refused.value.errors == {"geldig_vanaf": "vul een datum in als JJJJ-MM-DD"}


def test_only_a_designer_of_the_gemeente_sees_and_decides(engine):
    change_id = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff(), None)
    other = ONTWERPER2.__class__(3, "elders", "Elders", "woerden", frozenset({"procesontwerper"}), None)
    with pytest.raises(Exception, match="bestaat niet"):
        rule_changes.get(engine.db, other, change_id)
    casemanager = ONTWERPER2.__class__(4, "cm", "Carla", "ooststellingwerf", frozenset({"casemanager"}), None)
    with pytest.raises(NotAllowed):
        rule_changes.get(engine.db, casemanager, change_id)


def test_trede_decide_answers_with_the_deployed_version_when_given_the_database(engine, db_url):
    from click.testing import CliRunner

    from cli.decide import command

    change_id = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff("750"), None)
    assert rule_changes.approve(engine, ONTWERPER2, change_id).approved
    args = ["Trajectpremie", "--gemeente", "ooststellingwerf", "--input", json.dumps(RECHT), "--on", FROM]
    with_db = CliRunner().invoke(command, [*args, "--database-url", db_url])
    assert (with_db.exit_code, json.loads(with_db.output)) == (0, {"recht": True, "bedrag": 750})
    release_only = CliRunner().invoke(command, args)  # no database: the release's rule packs
    assert json.loads(release_only.output) == {"recht": True}
    earlier = CliRunner().invoke(command, [*args[:-1], "2026-02-28", "--database-url", db_url])
    assert json.loads(earlier.output) == {"recht": True}  # before geldig vanaf: the pack's table


def test_the_gemeentes_decision_tests_run_on_the_deployed_version_once_approved(engine):
    """The process page and a bundle's deploy run every decision test of the gemeente: after the
    tariff is deployed, its test must pass there too, or no process could be deployed again."""
    model_tests.add_test(engine.db, "ooststellingwerf", "decision", "Trajectpremie", "tarief",
                         json.dumps({"inputs": RECHT, "expect": {"bedrag": 750}, "peildatum": FROM}),
                         "ontwerper")
    change_id = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff("750"), None)
    assert rule_changes.approve(engine, ONTWERPER2, change_id).approved
    test = model_tests.tests_for(engine.db, "ooststellingwerf", "decision")[0]
    with engine.db.connect() as conn:
        assert model_tests.run_decision_test(get_decision_service(), "ooststellingwerf", test, conn).passed
    assert not model_tests.run_decision_test(get_decision_service(), "ooststellingwerf", test).passed


def test_a_change_reviewed_against_a_table_that_no_longer_holds_is_refused(engine):
    """Two designers change the same decision from the same date: once one is deployed, the other
    was compared with a table that is no longer in force, so approving it would undo the first
    without the reviewer seeing that."""
    first = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff("750"), None)
    second = rule_changes.submit(engine, ONTWERPER, "Trajectpremie", FROM, with_tariff("800"), None)
    assert rule_changes.approve(engine, ONTWERPER2, first).approved
    outcome = rule_changes.approve(engine, ONTWERPER2, second)
    assert not outcome.approved and "andere versie" in outcome.problems[0]
    assert rule_changes.get(engine.db, ONTWERPER2, second).status == "refused"
