"""Recurring work is scheduled by the dossier; each time a new bounded instance (issue 2, item 4)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.scheduling.periods import next_after, parse_period
from tests.engine.helpers import BSN, START, make_engine


def test_yearly_measurement_starts_a_new_instance_each_year(db):
    engine = make_engine(db)
    case = engine.open_case("ooststellingwerf", BSN, "Jan Jansen", actor="cm1")
    engine.schedule(case.id, "evaluatie", first_due=START + timedelta(days=365), every="P1Y")
    assert engine.run_due() == 0
    engine.clock.advance(timedelta(days=365, seconds=1))
    assert engine.run_due() == 1
    assert engine.run_due() == 0  # not twice for the same due moment
    engine.clock.advance(timedelta(days=366))
    assert engine.run_due() == 1
    tasks = engine.ready_tasks(case_id=case.id)
    assert [t.title for t in tasks] == ["Evaluatiegesprek voeren"] * 2
    assert len({t.instance_id for t in tasks}) == 2  # each year its own, bounded instance
    started = [e for e in engine.history(case.id) if e.kind == "instance_started"]
    assert [e.actor for e in started] == ["schedule", "schedule"]


def test_a_worker_that_was_down_starts_one_catch_up_instance(db):
    engine = make_engine(db)
    case = engine.open_case("ooststellingwerf", BSN, "Jan Jansen", actor="cm1")
    engine.schedule(case.id, "evaluatie", first_due=START, every="P6M")
    engine.clock.advance(timedelta(days=800))
    assert engine.run_due() == 1
    assert engine.run_due() == 0


def test_periods_are_calendar_months():
    jan31 = datetime(2024, 1, 31, tzinfo=UTC)
    assert jan31 + parse_period("P1M") == datetime(2024, 2, 29, tzinfo=UTC)
    # measured from the anchor, so the month end is kept: 31 Jan, 29 Feb, 31 Mar
    assert next_after(jan31, "P1M", datetime(2024, 3, 1, tzinfo=UTC)) == datetime(2024, 3, 31, tzinfo=UTC)
    assert jan31 + parse_period("P2W") == datetime(2024, 2, 14, tzinfo=UTC)
    with pytest.raises(ValueError, match="geen geldige periode"):
        parse_period("1 jaar")
