"""Which case event a step's application writes (beschikking, ledger line) belong to."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from engine.storage.db import events

# Events that a step's own effects append after the step's event: never "the step" themselves
# (a deadline the step's model set or closed names its instance since issue 16).
EFFECT_KINDS = ("beschikking_issued", "ledger_line_booked", "deadline_set", "deadline_suspended",
                "deadline_resumed", "deadline_extended", "deadline_closed", "deadline_escalated")


def step_event_seq(conn: Connection, case: dict, instance_id: int) -> int:
    """The seq of the step's own event (e.g. the decision or fiat task's completion).

    Deadlines the step set or closed are written after that event (with the instance's id), and an
    earlier effect of the same step (the beschikking) appends its own event, so the case's last
    event may be one of those rather than the step itself.
    """
    seq = conn.execute(
        select(func.max(events.c.seq)).where(
            events.c.case_id == case["id"],
            events.c.instance_id == instance_id,
            events.c.kind.not_in(EFFECT_KINDS),
        )
    ).scalar()
    return seq if seq is not None else case["event_count"]
