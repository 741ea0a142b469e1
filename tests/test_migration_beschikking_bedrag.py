"""Migration 0012: beschikkingen get the amount they name, also those issued before (from their event)."""
from __future__ import annotations

import json

from sqlalchemy import create_engine, inspect, text

from cli.schema import upgrade


def _dummy_row(conn, table: str, **given) -> None:
    """A row with every NOT NULL column filled (values that satisfy the types), ``given`` on top."""
    values = {}
    for col in inspect(conn).get_columns(table):
        if col["name"] == "id" or col["nullable"]:
            continue
        kind = str(col["type"]).upper()
        values[col["name"]] = (0 if "INT" in kind else "2025-03-03" if "DATE" in kind or "TIME" in kind
                               else "x")
    values.update(given)
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values)


def test_the_amount_of_an_earlier_terugvordering_comes_from_its_event(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0011")  # as an installation was before this migration
    db = create_engine(url)
    with db.begin() as conn:
        _dummy_row(conn, "beschikkingen", id=7, besluit="terugvorderen", onderwerp="Scholing")
        _dummy_row(conn, "beschikkingen", id=8, besluit="afwijzen", onderwerp="Premie")
        _dummy_row(conn, "events", case_id=1, seq=1, kind="beschikking_issued",
                   payload=json.dumps({"beschikking_id": 7, "besluit": "terugvorderen", "bedrag": "1935.50"}))
        _dummy_row(conn, "events", case_id=1, seq=2, kind="beschikking_issued",
                   payload=json.dumps({"beschikking_id": 8, "besluit": "afwijzen"}))
    upgrade(url)
    with db.connect() as conn:
        found = dict(conn.execute(text("SELECT id, bedrag_centen FROM beschikkingen")).all())
    assert found == {7: 193550, 8: None}
    db.dispose()
