"""Task ids are uuid5(instance uid, n): replay reproduces them, so they must equal the standard's."""
from __future__ import annotations

import uuid

from engine.sandbox.determinism import IdSequence


def test_ids_are_rfc4122_uuid5_of_the_instance_and_the_counter() -> None:
    namespace = uuid.UUID("6f9619ff-8b86-d011-b42d-00c04fc964ff")
    seq = IdSequence(namespace, 0)
    for n in range(1, 2001):
        drawn = seq.next()
        expected = uuid.uuid5(namespace, str(n))
        assert (drawn, str(drawn), hash(drawn), drawn.version) == (expected, str(expected), hash(expected), 5)
    assert seq.counter == 2000


def test_a_sequence_continues_from_the_stored_counter() -> None:
    namespace = uuid.uuid4()
    assert IdSequence(namespace, 41).next() == uuid.uuid5(namespace, "42")


def test_state_names_are_spiffworkflows_own() -> None:
    """engine.sandbox.spiff_logging remembers TaskState.get_name (run on every change of state)."""
    from SpiffWorkflow.util.task import TaskState

    import engine.sandbox.spiff_logging

    original = engine.sandbox.spiff_logging._state_name.__wrapped__
    assert TaskState.get_name.__func__ is engine.sandbox.spiff_logging._state_name
    for value in range(0, 1 << 9):
        assert TaskState.get_name(value) == original(TaskState, value)
    assert TaskState.get_name(TaskState.READY) == "READY"
    assert TaskState.get_name(TaskState.FINISHED_MASK) == "FINISHED_MASK"


def test_a_sequence_of_an_instance_text_is_the_same_sequence() -> None:
    namespace = uuid.uuid4()
    for counter in (0, 7):
        by_text, by_uuid = IdSequence.of(str(namespace), counter), IdSequence(namespace, counter)
        assert [by_text.next() for _ in range(5)] == [by_uuid.next() for _ in range(5)]
        assert by_text.namespace == namespace and by_text.counter == counter + 5


def test_task_log_extras_are_spiffworkflows_own_when_the_record_is_written() -> None:
    """engine.sandbox.spiff_logging skips building the extras of SpiffWorkflow's task records while its task
    logger writes nothing (WARNING, set there); whoever turns INFO on gets the library's extras."""
    import logging

    from SpiffWorkflow.bpmn.parser import BpmnParser
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    import engine.sandbox.spiff_logging as runtime

    parser = BpmnParser()
    parser.add_bpmn_str(MINIMAL.encode())
    workflow = BpmnWorkflow(parser.get_spec("p"))
    task = workflow.get_tasks()[0]
    logger = logging.getLogger("spiff.task")
    assert logger.level == logging.WARNING and task.collect_log_extras() == {}
    logger.setLevel(logging.INFO)
    try:
        assert task.collect_log_extras({"elapsed": 1}) == runtime._task_log_extras(task, {"elapsed": 1})
        assert task.collect_log_extras()["task_id"] == task.id
    finally:
        logger.setLevel(logging.WARNING)


MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/><bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""
