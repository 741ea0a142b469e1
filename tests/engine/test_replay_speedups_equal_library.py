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
    """engine.runtime remembers TaskState.get_name (it runs on every state change): same names."""
    from SpiffWorkflow.util.task import TaskState

    import engine.runtime  # noqa: F401 - installs the remembered names

    original = engine.runtime._state_name.__wrapped__
    assert TaskState.get_name.__func__ is engine.runtime._state_name
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
