"""The model's instructions for a task (``instructionsForEndUser``), filled in with the task's data.

A case manager or teamleider reads what to do and about what (the escalation names its termijn
and date); a designer's template runs sandboxed and autoescaped (web/tasks/instructions.py).
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from engine.clock import FixedClock
from processes.system_models import load as load_system_models
from web.tasks.instructions import render


def test_the_escalation_task_says_which_termijn_passed_and_when(engine, signed_in):
    load_system_models(engine)
    case = engine.open_case("ooststellingwerf", "999990019", "Jan Jansen", actor="cm")
    engine.add_deadline(case.id, "Besluit aanvraag LKS", date(2026, 1, 5), "P8W", actor="cm")
    engine.clock = FixedClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))  # the day after the termijn
    assert engine.run_due() == 1
    (task,) = engine.ready_tasks(case_id=case.id)
    page = signed_in("lead").get(f"/taken/{task.task_id}").get_data(as_text=True)
    assert "De termijn 'Besluit aanvraag LKS' is verstreken op 2 maart 2026." in page
    # and the form shows the termijn's own data (x-toon), dates as the other pages write them
    assert "<dt>Uiterste datum</dt><dd class=\"trede-pre\">2 maart 2026</dd>" in page


def test_instructions_are_sandboxed_and_escaped():
    data = {"naam": "<b>Jan</b>", "d": date(2026, 5, 1)}
    assert render("Besluit voor {{ naam }} uiterlijk {{ d }}", data) == \
        "Besluit voor &lt;b&gt;Jan&lt;/b&gt; uiterlijk 1 mei 2026"
    assert render("Onbekend: {{ bestaat_niet.ook_niet }}.", {}) == "Onbekend: ."
    escape_attempt = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    assert render(escape_attempt, {}) == escape_attempt.replace("'", "&#39;")  # shown as written
    assert render("{% for x in %}", {}) == "{% for x in %}"  # a broken template: shown as written
