"""The decision record explains the fired rules for every hit policy (issue 21 item 4): which rules
matched, which output won and why, in the words the dossier and the auditor's case history show
(``uitleg`` of ``beslissing_<id>``). One test per hit policy of the standard (DMN 1.5, 8.2.11), on a
FEEL table run by a business rule task.

The table: four rules that all match leeftijd 30, giving 100, 200, 300 and 500."""
from __future__ import annotations

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

from tests.dmn.helpers import run, table

OVERLAPPING = [("&gt; 18", "100"), ("&gt;= 21", "200"), ("&lt; 65", "300"), ("&gt; 25", "500")]
ALL = "regels r1, r2, r3, r4 zijn van toepassing"


def _record(dmn: str, leeftijd: int = 30) -> dict:
    return run(dmn, {"leeftijd": leeftijd})["beslissing_Tabel"]


def test_unique_names_the_one_rule():
    record = _record(table([("&lt; 18", "0"), ("&gt;= 18", "100")], "UNIQUE", language=None))
    assert record["uitleg"] == ("UNIQUE: regel r2 is van toepassing; uitkomst van r2 (de enige regel die "
                                "van toepassing is).")
    assert record["regel"] == {"id": "r2", "omschrijving": "regel 2"}


def test_unique_with_two_matches_stops_the_case_naming_both_rules():
    with pytest.raises(WorkflowTaskException, match="meer dan één regel is van toepassing: r1, r2"):
        _record(table(OVERLAPPING[:2], "UNIQUE", language=None))


def test_first_names_the_rule_used_and_the_matches_that_do_not_count():
    record = _record(table(OVERLAPPING, "FIRST", language=None))
    assert record["uitleg"] == (f"FIRST: {ALL}; uitkomst van r1 (de eerste regel die van toepassing is; "
                                "r2, r3, r4 tellen niet mee).")
    assert record["gebruikt"] == ["r1"] and len(record["regels"]) == 4


def test_priority_shows_the_winning_output_before_the_others_in_the_output_value_order():
    record = _record(table(OVERLAPPING, "PRIORITY", language=None, output_values="300, 500, 100, 200"))
    assert record["uitleg"] == (f"PRIORITY: {ALL}; uitkomst van r3 (de uitkomst met de hoogste prioriteit "
                                "in de volgorde van de uitvoerwaarden: 300 gaat voor 500 (r4), 100 (r1), "
                                "200 (r2)).")
    assert record["gebruikt"] == ["r3"]


def test_any_says_the_matching_rules_agree():
    record = _record(table([("&gt; 18", "100"), ("&lt; 65", "100")], "ANY", language=None))
    assert record["uitleg"] == ("ANY: regels r1, r2 zijn van toepassing; uitkomst van r1 (de regels die "
                                "van toepassing zijn geven dezelfde uitkomst).")


def test_collect_lists_what_each_rule_gave():
    record = _record(table(OVERLAPPING, "COLLECT", language=None))
    assert record["uitleg"] == (f"COLLECT: {ALL}; alle uitkomsten verzameld: r1 geeft 100, r2 geeft 200, "
                                "r3 geeft 300, r4 geeft 500.")


@pytest.mark.parametrize("aggregation, words", [
    ("SUM", "som van bedrag (100 + 200 + 300 + 500) = 1100"),
    ("MIN", "kleinste van bedrag (100, 200, 300, 500) = 100"),
    ("MAX", "grootste van bedrag (100, 200, 300, 500) = 500"),
    ("COUNT", "aantal van bedrag (4 regels) = 4"),
])
def test_collect_with_an_aggregation_shows_the_terms_and_the_result(aggregation, words):
    record = _record(table(OVERLAPPING, "COLLECT", aggregation, language=None))
    assert record["uitleg"] == f"COLLECT {aggregation}: {ALL}; {words}."
    assert record["gebruikt"] == ["r1", "r2", "r3", "r4"]


def test_rule_order_lists_the_outputs_in_rule_order():
    record = _record(table(OVERLAPPING, "RULE ORDER", language=None))
    assert record["uitleg"] == (f"RULE ORDER: {ALL}; alle uitkomsten in de volgorde van de regels: "
                                "r1 geeft 100, r2 geeft 200, r3 geeft 300, r4 geeft 500.")


def test_output_order_lists_the_outputs_in_output_value_order():
    record = _record(table(OVERLAPPING, "OUTPUT ORDER", language=None, output_values="500, 300, 200, 100"))
    assert record["uitleg"] == (f"OUTPUT ORDER: {ALL}; alle uitkomsten, gerangschikt op de volgorde van de "
                                "uitvoerwaarden: r4 geeft 500, r3 geeft 300, r2 geeft 200, r1 geeft 100.")
    assert record["gebruikt"] == ["r4", "r3", "r2", "r1"]


def test_no_match_says_so_and_a_default_output_is_named():
    record = _record(table(OVERLAPPING[:2], "FIRST", language=None), leeftijd=10)
    assert record["uitleg"] == "FIRST: geen regel is van toepassing; geen uitkomst."
    with_default = table(OVERLAPPING[:2], "FIRST", language=None).replace(
        'typeRef="number"></output>', 'typeRef="number"><defaultOutputEntry><text>0</text>'
        "</defaultOutputEntry></output>")
    data = run(with_default, {"leeftijd": 10})
    assert data["bedrag"] == 0
    assert data["beslissing_Tabel"]["uitleg"] == ("FIRST: geen regel is van toepassing; de standaarduitkomst "
                                                  "van de tabel (defaultOutputEntry) geldt: bedrag = 0.")


def test_a_default_output_in_a_python_table_is_refused_with_what_to_write_instead():
    from tests.dmn.helpers import problems
    python = table(OVERLAPPING[:2], "FIRST").replace(
        'typeRef="number"></output>', 'typeRef="number"><defaultOutputEntry><text>0</text>'
        "</defaultOutputEntry></output>")
    [message] = problems(python)
    assert "standaarduitkomst (defaultOutputEntry) werkt alleen in een FEEL-tabel" in message
