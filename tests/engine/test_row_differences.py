"""Verify names a differing column with both values in one notation (issue 16 item 2)."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from engine.audit.row_differences import differences


def test_times_of_both_sides_are_shown_in_utc() -> None:
    stored = {"t1": {"due_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC)}}
    expected = {"t1": {"due_at": datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))}}
    (found,) = differences("work_items", expected, stored)
    assert found.text == ("work_items t1, kolom due_at: opgeslagen 2026-03-02T09:00:00+00:00, "
                          "volgens de historie 2026-03-01T09:00:00+00:00")


def test_the_same_moment_in_another_zone_is_no_difference() -> None:
    moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert differences("work_items", {"t1": {"due_at": moment.astimezone(ZoneInfo("Europe/Amsterdam"))}},
                       {"t1": {"due_at": moment}}) == []
