"""A task completion through the API costs few database round trips (issue 9, HTTP benchmark).

Counts, not timings. On PostgreSQL: the token, and the task as the actor may see it, each read
without a transaction (1 + 1); the step: BEGIN, one locking read, the writes in one pipeline, COMMIT
(4); in the same transaction the processing-log line: the gemeente's log head locked, the line and
the new head in one pipeline (2; issue 15: an API change is logged like a page's). Whether the case
was handed over (issue 18 item 5) is part of the task read; only such a case pays a read more for
routing its new tasks. A change that puts reads back in transactions of their own, or writes back
to a statement each, shows up here.
"""
from __future__ import annotations

import pytest

from bench.engine_step import SqlCounter
from engine.clock import FixedClock
from tests.engine.helpers import START, model_files
from web.api.tokens import issue
from web.app import create_app


@pytest.mark.postgres
def test_a_completion_through_the_api_is_eight_round_trips(pg_url):
    app = create_app({"DATABASE_URL": pg_url, "CLOCK": FixedClock(START), "TESTING": True})
    engine = app.extensions["trede.engine"]
    engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    headers = {"Authorization": "Bearer " + issue(engine.db, "systeem", "ooststellingwerf",
                                                  {"tasks:read", "tasks:write"}, START)}
    case, _ = engine.start_case("ooststellingwerf", "999990019", "Jan", "evaluatie", {})
    client = app.test_client()
    task = client.get(f"/api/tasks?case_id={case.id}", headers=headers).json[0]
    counter = SqlCounter(engine.db)
    try:
        with counter.on():
            done = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": {}})
    finally:
        counter.remove()
    assert done.status_code == 200
    assert counter.round_trips == 8
    engine.db.dispose()
