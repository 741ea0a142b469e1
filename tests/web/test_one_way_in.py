"""The rules live in the use cases (issue 15): a caller that skips the pages meets them all the same."""
from __future__ import annotations

import pytest

from casework.accounts.service import create_user
from casework.closing import close_case
from casework.context import Channel, Context
from casework.destruction import propose
from casework.errors import NotAllowed
from casework.people import find_user
from casework.tasks import complete_task


def _context(app, engine, username):
    return Context(engine, find_user(engine.db, username), Channel("cli"),
                   app.extensions["trede.pseudonymizer"])


def test_an_auditor_reads_but_never_completes_a_task(app, engine, case):
    create_user(engine.db, "aud", "", "Ad Auditor", "ooststellingwerf", ["auditor"], password_hash="x")
    task = engine.ready_tasks(case_id=case.id)[0]
    with pytest.raises(NotAllowed):
        complete_task(_context(app, engine, "aud"), task.task_id, {"trede": 3}, None)
    assert [t.task_id for t in engine.ready_tasks(case_id=case.id)] == [task.task_id]


def test_a_case_of_another_gemeente_cannot_be_closed(app, engine, case):
    from engine.errors import NotFound

    with pytest.raises(NotFound):
        close_case(engine, find_user(engine.db, "apel"), case.id, "afgebroken")
    assert engine.get_case(case.id).version == case.version  # nothing written


def test_only_a_beheerder_proposes_a_destruction_list(app, engine, case):
    with pytest.raises(NotAllowed):
        propose(engine, find_user(engine.db, "cm"), [case.case_number])
