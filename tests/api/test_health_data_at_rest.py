"""Health data is nowhere in the database in clear (issue 17, finding 4; AVG art. 9 and 32).

A message PlanOndertekend carrying lichamelijkeSituatie (a health field, processes/
special_category.py) arrives too early (a dead letter), is delivered again by the beheerder
(replayed), and a second one reaches a waiting case directly. Then every column of every table
of every package is read raw, without the column types that decrypt: the marked value must not
appear anywhere.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from cli.schema import metadata
from engine.clock import FixedClock
from tests.engine.helpers import START, model_files
from web.api.tokens import issue
from web.app import create_app

MARKER = "rugklachten-na-val-7F3A"
SCOPES = {"cases:read", "cases:write", "tasks:read", "tasks:write", "messages:write", "messages:admin"}


@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "CLOCK": FixedClock(START), "TESTING": True})
    app.extensions["trede.engine"].deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    yield app
    app.extensions["trede.engine"].db.dispose()


def _new_case(client, headers, bsn: str) -> dict:
    response = client.post("/api/cases", headers=headers, json={
        "bsn": bsn, "naam": "Jan Jansen", "process_id": "intake", "data": {"peildatum": "2026-01-31"}})
    assert response.status_code == 201, response.json
    return response.json


def _to_the_signature(app, client, headers, case: dict) -> None:
    for data in ({"trede": 4}, {}):
        task = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]
        assert client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers,
                           json={"data": data}).status_code == 200


def _signed(case: dict) -> dict:
    return {"correlation": {"case_number": case["case_number"]},
            "payload": {"door": "inwoner", "lichamelijkeSituatie": MARKER}}


def _journey(app) -> None:
    engine, client = app.extensions["trede.engine"], app.test_client()
    headers = {"Authorization": "Bearer " + issue(engine.db, "koppeling", "ooststellingwerf", SCOPES, START)}
    early, later = _new_case(client, headers, "999990019"), _new_case(client, headers, "999990020")
    dead = client.post("/api/messages/PlanOndertekend", headers=headers, json=_signed(early))
    assert dead.status_code == 404  # nothing waits yet: kept as a dead letter
    for case in (early, later):
        _to_the_signature(app, client, headers, case)
    engine.clock.advance(timedelta(days=14, seconds=1))
    engine.run_due()
    replayed = client.post(f"/api/messages/dead/{dead.json['message_id']}/replay", headers=headers)
    assert replayed.status_code == 200 and replayed.json["delivered"] == 1
    direct = client.post("/api/messages/PlanOndertekend", headers=headers, json=_signed(later))
    assert direct.status_code == 200 and direct.json["delivered"] == 1
    # the engine above the database reads the value back: it was stored, only not in clear
    assert any(MARKER in json.dumps(e.payload) for e in engine.history(later["id"]))


def _cells_holding(db, needle: str) -> list[str]:
    """table.column of every stored value that contains ``needle`` as it is in the database."""
    found = []
    with db.connect() as conn:
        for md in metadata():
            for table in md.sorted_tables:
                rows = conn.execute(text(f'SELECT * FROM "{table.name}"')).mappings().all()
                for row in rows:
                    for column, value in row.items():
                        raw = (bytes(value).decode("latin-1") if isinstance(value, (bytes, memoryview))
                               else str(value))
                        if needle.lower() in raw.lower():
                            found.append(f"{table.name}.{column}")
    return sorted(set(found))


def test_a_marked_health_value_is_in_no_table_and_no_column_in_clear(app):
    _journey(app)
    db = app.extensions["trede.engine"].db
    assert _cells_holding(db, "PlanOndertekend")  # the walk reads what the journey wrote ...
    assert _cells_holding(db, MARKER) == []  # ... and the health value is nowhere in clear
