"""Every test gets one kind, so that ``pytest -m unit`` is the quick loop and plain ``pytest`` runs all.

Kinds, first match wins: a test marked explicitly keeps its mark; ``bench`` for the benchmark
harness's tests; ``browser`` for headless-Chromium modules (or a test using the ``browser`` fixture);
``database`` for a test that reaches a database through any fixture (db_url, pg_url and everything
built on them: db, app, engine, signed_in, case...); ``unit`` for the rest.
"""
from __future__ import annotations

import pytest

KINDS = ("unit", "database", "browser", "bench", "install")
DATABASE_FIXTURES = {"db_url", "pg_url", "_sqlite_template"}


def kind_of(item: pytest.Item) -> str:
    explicit = [k for k in KINDS if item.get_closest_marker(k)]
    if explicit:
        return explicit[0]
    module = item.path.name
    fixtures = set(getattr(item, "fixturenames", ()))
    if module.startswith("test_bench_"):
        return "bench"
    if module.endswith("_browser.py") or "browser" in fixtures:
        return "browser"
    if fixtures & DATABASE_FIXTURES:
        return "database"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        kind = kind_of(item)
        if not item.get_closest_marker(kind):
            item.add_marker(kind)
