"""Every hit policy of the DMN standard (DMN 1.5, 8.2.11 "Hit policy"), on a table in a deployed
bundle: the answer the standard gives, and the fired rules explained in the decision record.

Issue 21 found COLLECT SUM answering [100, 200, 300, 500] where 1100 is right, COLLECT MIN the
whole list and RULE ORDER only the first hit: tables accepted and answering wrongly.
"""
from __future__ import annotations

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

from tests.dmn.helpers import problems, run, table

# Four rules that all match leeftijd 30 (and r4 also alone for 70), with 100/200/300/500.
OVERLAPPING = [("&gt; 18", "100"), ("&gt;= 21", "200"), ("&lt; 65", "300"), ("&gt; 25", "500")]


@pytest.mark.parametrize("aggregation, expected", [
    ("SUM", 1100), ("MIN", 100), ("MAX", 500), ("COUNT", 4),
])
def test_collect_with_an_aggregation_answers_one_number(aggregation, expected):
    data = run(table(OVERLAPPING, "COLLECT", aggregation), {"leeftijd": 30})
    assert data["bedrag"] == expected
    record = data["beslissing_Tabel"]
    assert record["regels"] == [{"id": f"r{n}", "omschrijving": f"regel {n}"} for n in (1, 2, 3, 4)]
    assert record["hitPolicy"] == f"COLLECT {aggregation}"
    assert f"= {expected}" in record["uitleg"]


def test_collect_count_of_nothing_is_zero_and_sum_of_nothing_is_null():
    assert run(table(OVERLAPPING, "COLLECT", "COUNT"), {"leeftijd": 70})["bedrag"] == 3
    assert run(table(OVERLAPPING[:2], "COLLECT", "COUNT"), {"leeftijd": 10})["bedrag"] == 0
    assert run(table(OVERLAPPING[:2], "COLLECT", "SUM"), {"leeftijd": 10})["bedrag"] is None


def test_collect_and_rule_order_list_every_match_in_rule_order():
    for policy in ("COLLECT", "RULE ORDER"):
        data = run(table(OVERLAPPING, policy), {"leeftijd": 30})
        assert data["bedrag"] == [100, 200, 300, 500]
        assert data["beslissing_Tabel"]["gebruikt"] == ["r1", "r2", "r3", "r4"]


def test_output_order_sorts_by_the_output_values():
    dmn = table(OVERLAPPING, "OUTPUT ORDER", output_values="500, 300, 200, 100")
    assert run(dmn, {"leeftijd": 30})["bedrag"] == [500, 300, 200, 100]


def test_priority_takes_the_output_highest_in_the_output_values():
    dmn = table(OVERLAPPING, "PRIORITY", output_values="300, 500, 100, 200")
    data = run(dmn, {"leeftijd": 30})
    assert data["bedrag"] == 300
    record = data["beslissing_Tabel"]
    assert record["regel"] == {"id": "r3", "omschrijving": "regel 3"}
    assert "hoogste prioriteit" in record["uitleg"]


def test_first_takes_the_first_match():
    data = run(table(OVERLAPPING, "FIRST"), {"leeftijd": 30})
    assert data["bedrag"] == 100 and data["beslissing_Tabel"]["gebruikt"] == ["r1"]


def test_unique_with_two_matches_is_an_error_naming_the_rules():
    with pytest.raises(WorkflowTaskException, match="meer dan één regel is van toepassing: r1, r2, r3, r4"):
        run(table(OVERLAPPING, "UNIQUE"), {"leeftijd": 30})
    disjoint = [("&lt; 65", "300"), ("&gt;= 65", "500")]
    assert run(table(disjoint, "UNIQUE"), {"leeftijd": 70})["bedrag"] == 500


def test_any_requires_the_matches_to_agree():
    agreeing = [("&gt; 18", "100"), ("&gt;= 21", "100"), ("&lt; 10", "300")]
    assert run(table(agreeing, "ANY"), {"leeftijd": 30})["bedrag"] == 100
    with pytest.raises(WorkflowTaskException, match="verschillende uitkomsten"):
        run(table(OVERLAPPING, "ANY"), {"leeftijd": 30})


def test_no_match_gives_null_for_a_single_hit_and_an_empty_list_for_collect():
    assert run(table(OVERLAPPING[:2], "FIRST"), {"leeftijd": 10})["bedrag"] is None
    assert run(table(OVERLAPPING[:2], "COLLECT"), {"leeftijd": 10})["bedrag"] == []


@pytest.mark.parametrize("dmn, fragment", [
    (table(OVERLAPPING, "MOST"), "hit policy 'MOST' bestaat niet"),
    (table(OVERLAPPING, "FIRST", "SUM"), "aggregatie SUM mag alleen bij hit policy COLLECT"),
    (table(OVERLAPPING, "COLLECT", "AVG"), "aggregatie 'AVG' bestaat niet"),
    (table(OVERLAPPING, "PRIORITY"), "geen uitvoer noemt die (outputValues)"),
])
def test_what_cannot_run_faithfully_is_refused_at_validation(dmn, fragment):
    # (an unknown hit policy or aggregation also breaks the DMN schema: that line comes as well)
    assert [m for m in problems(dmn) if fragment in m and "beslistabel dt" in m]


def test_a_bundle_deployed_before_keeps_spiffworkflows_answer_so_its_cases_replay():
    # deployments.dmn_engine NULL: SpiffWorkflow's DMNEngine, which ran the recorded cases
    data = run(table(OVERLAPPING, "COLLECT", "SUM"), {"leeftijd": 30}, legacy=True)
    assert data["bedrag"] == [100, 200, 300, 500] and "beslissing_Tabel" not in data
