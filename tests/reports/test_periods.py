"""Report periods, seed 003's cumulative percentages, the end of a reference day in Amsterdam, and
storing a publication."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from engine.errors import NotFound
from processes.reports import store
from processes.reports.ladder import cumulative_percentages
from processes.reports.periods import end_of_day, parse_period
from processes.reports.quarterly import standcijfers_on
from tests.reports import seed003


def test_periods():
    q1 = parse_period("2012-K1")
    assert (q1.start, q1.end, q1.label) == (date(2012, 1, 1), date(2012, 3, 31), "1e kwartaal 2012")
    assert parse_period("2012-K4").end == date(2012, 12, 31)
    assert (parse_period("2012").start, parse_period("2012").end) == (date(2012, 1, 1), date(2012, 12, 31))
    for wrong in ("2012-K5", "12", "2012-Q1", "", "2012/K1"):
        with pytest.raises(ValueError):
            parse_period(wrong)


def test_cumulative_percentages_as_seed_003_rounds_them():
    # seed 003: each cumulative share rounded on its own, from trede 1 upwards
    assert cumulative_percentages([64, 113, 76, 65, 34, 2]) == [18, 50, 71, 90, 99, 100]
    assert cumulative_percentages([38, 132, 84, 93, 38, 1]) == [10, 44, 66, 90, 100, 100]
    assert cumulative_percentages([1, 1]) == [50, 100] and cumulative_percentages([1, 199]) == [1, 100]
    assert cumulative_percentages([0, 0]) == [0, 0]


def test_a_reference_day_ends_at_midnight_in_amsterdam(db):
    assert end_of_day(date(2012, 1, 1)) == datetime(2012, 1, 1, 23, tzinfo=UTC)  # CET, UTC+1
    assert end_of_day(date(2012, 7, 1)) == datetime(2012, 7, 1, 22, tzinfo=UTC)  # CEST, UTC+2
    engine = seed003.make_engine(db)
    bsns = iter(["999990044", "999990056"])
    engine.clock.set(datetime(2012, 1, 1, 20, 0, tzinfo=UTC))
    late_evening = seed003.start(engine, bsns, 3, date(2012, 1, 1))
    next_day = seed003.start(engine, bsns, 4, date(2012, 1, 1))
    seed003.fire_all(engine)
    engine.clock.set(datetime(2012, 1, 1, 22, 59, 30, tzinfo=UTC))  # 23:59:30 on 1 January in Woerden
    seed003.measure(engine, late_evening, 3, date(2012, 1, 1))
    engine.clock.set(datetime(2012, 1, 1, 23, 0, tzinfo=UTC))  # 00:00 on 2 January in Woerden
    seed003.measure(engine, next_day, 4, date(2012, 1, 2))
    counts = standcijfers_on(db, "woerden", date(2012, 1, 1), date(2012, 1, 2))["counts"]
    assert counts == [[0, 0, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0]]


def test_a_publication_is_stored_as_published_and_only_for_its_gemeente(db):
    report = {"gemeente": "woerden", "periode": "2012", "titel": "Kwartaalrapportage jaar 2012",
              "sections": [{"key": "standcijfers", "rows": [["1. Geïsoleerd", 64, "18%", 38, "10%"]]}]}
    publication_id = store.publish(db, report, "tl.woerden", datetime(2013, 1, 10, tzinfo=UTC))
    found = store.get(db, publication_id, "woerden")
    assert found.report == report and found.published_by == "tl.woerden"
    assert [p.id for p in store.published(db, "woerden")] == [found.id]
    assert store.published(db, "wassenaar") == []
    with pytest.raises(NotFound):
        store.get(db, found.id, "wassenaar")
