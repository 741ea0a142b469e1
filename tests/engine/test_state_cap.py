"""A cap on the stored state of one process instance (issue 17, finding 10: one script line
stored a 13.9 MB state): a step that would store more is refused with a Dutch message and the
case stays as it was; the cap is a setting (TREDE_MAX_STATE_KB) handed to the engine."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casework.settings import Settings
from engine.errors import StepFailed
from engine.storage.db import cases, events
from tests.engine.helpers import BSN, make_engine
from web.app import create_app

# About 3 MB of task data from one loop; every single value stays within the sandbox's size guard.
GROW = """blob = []
for i in range(30):
    blob.append("x" * 100000)"""


def _bundle() -> dict[str, bytes]:
    """``groei``: a form, then the script, then another form; ``groei_direct``: the script first."""
    def process(pid: str, first_form: bool) -> str:
        form = ('<bpmn:userTask id="invullen" name="Invullen"><bpmn:incoming>f0</bpmn:incoming>'
                '<bpmn:outgoing>f1</bpmn:outgoing></bpmn:userTask>'
                '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="invullen"/>'
                '<bpmn:sequenceFlow id="f1" sourceRef="invullen" targetRef="script"/>') if first_form else (
                '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script"/>')
        return f"""<bpmn:process id="{pid}" isExecutable="true">
    <bpmn:startEvent id="start">
      <bpmn:outgoing>{'f0' if first_form else 'f1'}</bpmn:outgoing></bpmn:startEvent>
    {form}
    <bpmn:scriptTask id="script" name="Groei">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{GROW}</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="daarna" name="Daarna">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="script" targetRef="daarna"/>
    <bpmn:sequenceFlow id="f3" sourceRef="daarna" targetRef="end"/>
  </bpmn:process>"""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions '
            'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" '
            'targetNamespace="http://trede.test/groei">')
    return {f"{pid}.bpmn": f"{head}{process(pid, first)}</bpmn:definitions>".encode()
            for pid, first in (("groei", True), ("groei_direct", False))}


@pytest.fixture
def engine(db):
    engine = make_engine(db, max_state_bytes=2048 * 1024)
    engine.deploy(_bundle())
    return engine


def _counts(engine) -> tuple[int, int]:
    with engine.db.connect() as conn:
        return (conn.execute(select(func.count()).select_from(cases)).scalar_one(),
                conn.execute(select(func.count()).select_from(events)).scalar_one())


def test_a_step_that_would_store_a_state_past_the_cap_is_refused_and_changes_nothing(engine):
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "groei")
    task = engine.ready_tasks(case_id=case.id)[0]
    before, version = _counts(engine), engine.get_case(case.id).version
    with pytest.raises(StepFailed) as refused:
        engine.complete(task.task_id, {}, "cm")
    assert "procesgegevens van deze zaak zouden te groot worden" in str(refused.value)
    assert "de grens is 2.048 kB" in str(refused.value) and "ongewijzigd" in str(refused.value)
    assert _counts(engine) == before and engine.get_case(case.id).version == version
    assert [t.task_id for t in engine.ready_tasks(case_id=case.id)] == [task.task_id]  # still open


def test_a_case_whose_first_step_is_too_large_is_not_opened(engine):
    before = _counts(engine)
    with pytest.raises(StepFailed):
        engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "groei_direct")
    assert _counts(engine) == before  # no empty dossier left behind


def test_without_a_cap_the_same_step_is_stored(db):
    engine = make_engine(db)  # the engine's own default: no cap (the application sets one)
    engine.deploy(_bundle())
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "groei_direct")
    assert [t.title for t in engine.ready_tasks(case_id=case.id)] == ["Daarna"]


def test_the_cap_is_a_setting_handed_to_the_engine(db_url, monkeypatch):
    monkeypatch.setenv("TREDE_MAX_STATE_KB", "512")
    settings = Settings.from_environ()
    assert settings.max_state_kb == 512 and Settings().max_state_kb == 2048
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "x"}, settings=settings)
    assert app.extensions["trede.engine"].core.max_state_bytes == 512 * 1024
    app.extensions["trede.engine"].db.dispose()


def test_through_the_api_the_refusal_is_a_422_in_dutch_and_the_task_stays_open(db_url):
    from engine.clock import FixedClock
    from tests.engine.helpers import START
    from web.api.tokens import issue

    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "CLOCK": FixedClock(START)},
                     settings=Settings(environment="development"))  # the default cap, 2 MB
    engine = app.extensions["trede.engine"]
    engine.deploy(_bundle())
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "groei")
    task = engine.ready_tasks(case_id=case.id)[0]
    headers = {"Authorization": "Bearer " + issue(engine.db, "koppeling", "ooststellingwerf",
                                                  {"tasks:read", "tasks:write"}, START)}
    refused = app.test_client().post(f"/api/tasks/{task.task_id}/complete", headers=headers,
                                     json={"data": {}})
    assert refused.status_code == 422 and "zouden te groot worden" in refused.json["error"]
    assert [t.task_id for t in engine.ready_tasks(case_id=case.id)] == [task.task_id]
    engine.db.dispose()
