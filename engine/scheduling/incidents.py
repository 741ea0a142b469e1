"""Incidents: a background step that failed puts its process instance aside (issue 17).

As in Camunda, a timer the worker fires whose step fails (a model error, a timer beyond its
bounds, the step's CPU or memory limit) does not stay in the worker's way: the step is rolled back,
the failure is recorded once per instance (``incidents``, with how often it happened) and as an
event in the case's hash chain, and the worker's scan skips the instance until someone acts on it:

- retry: the instance's step runs again at once (for example after the case was moved to a
  corrected version of its process); failing again reopens the incident;
- cancel, with a reason: the instance is cancelled (SpiffWorkflow's ``cancel``, an event that a
  replay applies like any other step), so its timers and tasks are gone.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.sql import ColumnElement

from engine.errors import ConflictError, InvalidInput, NotFound, StepFailed
from engine.steps import StepCore, _lock_case
from engine.storage.db import cases, incidents, instances

OPEN = "open"
CANCELLED_EVENT = "instance_cancelled"  # replayed (engine.audit.replay): the workflow's cancel()
MAX_REASON = 2000
# The caller's own rows for the same transaction (a log line), given the incident as it now is.
AlsoWrite = Callable[[Connection, "Incident"], None]


@dataclass(frozen=True)
class Incident:
    id: int
    case_id: int
    case_number: str
    instance_id: int
    process_id: str
    gemeente: str
    element: str | None
    error: str
    status: str
    occurrences: int
    first_at: datetime
    last_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    reason: str | None


def not_open(instance_id_column: ColumnElement[int]) -> ColumnElement[bool]:
    """The condition the worker's scan adds: no open incident on this instance."""
    return ~exists().where(and_(incidents.c.instance_id == instance_id_column,
                                incidents.c.status == OPEN))


_SELECT = (select(incidents, cases.c.case_number, instances.c.process_id)
           .join(cases, cases.c.id == incidents.c.case_id)
           .join(instances, instances.c.id == incidents.c.instance_id))


class IncidentOps:
    """A part of ``CaseEngine`` (``engine.incidents``); the engine offers these methods itself."""

    def __init__(self, core: StepCore, reader: Engine) -> None:
        self.core = core
        self.reader = reader

    def record(self, instance_id: int, failure: StepFailed, actor: str = "timer") -> None:
        """Put the instance aside after its step failed (in a transaction of its own: the step's
        was rolled back). A second failure of the same instance counts on the same incident."""
        now = self.core.clock.now()
        with self.core.db.begin() as conn:
            inst = conn.execute(select(instances.c.case_id).where(instances.c.id == instance_id)).first()
            if inst is None:
                return
            case = _lock_case(conn, inst.case_id)
            incident = self._upsert(conn, case, instance_id, failure, now)
            self.core.append(conn, case, kind="incident_opened", actor=actor, at=now, instance_id=instance_id,
                             payload={"incident_id": incident.id, "element": incident.element,
                                      "error": incident.error, "occurrences": incident.occurrences})

    def _upsert(self, conn: Connection, case: dict[str, Any], instance_id: int, failure: StepFailed,
                now: datetime) -> Incident:
        element = (failure.task_name or None) and str(failure.task_name)[:255]
        found = conn.execute(select(incidents.c.id, incidents.c.occurrences).where(
            incidents.c.instance_id == instance_id)).first()
        values = {"element": element, "error": str(failure), "status": OPEN, "last_at": now,
                  "resolved_by": None, "resolved_at": None, "reason": None}
        if found is None:
            conn.execute(incidents.insert().values(case_id=case["id"], instance_id=instance_id,
                                                   gemeente=case["gemeente"], occurrences=1, first_at=now,
                                                   **values))
        else:
            conn.execute(update(incidents).where(incidents.c.id == found.id).values(
                occurrences=found.occurrences + 1, **values))
        return self._get(conn, instance_id=instance_id)

    # -- reading ----------------------------------------------------------------------------------
    def incidents(self, gemeente: str, status: str | None = OPEN) -> list[Incident]:
        query = _SELECT.where(incidents.c.gemeente == gemeente)
        if status is not None:
            query = query.where(incidents.c.status == status)
        with self.reader.connect() as conn:
            rows = conn.execute(query.order_by(incidents.c.last_at.desc(), incidents.c.id.desc())).mappings()
            return [_incident(r) for r in rows]

    def incident(self, incident_id: int, gemeente: str) -> Incident:
        with self.reader.connect() as conn:
            return self._get(conn, incident_id=incident_id, gemeente=gemeente)

    def _get(self, conn: Connection, *, incident_id: int | None = None, instance_id: int | None = None,
             gemeente: str | None = None) -> Incident:
        query = _SELECT
        if incident_id is not None:
            query = query.where(incidents.c.id == incident_id)
        if instance_id is not None:
            query = query.where(incidents.c.instance_id == instance_id)
        if gemeente is not None:  # another gemeente's incident does not exist for the caller
            query = query.where(incidents.c.gemeente == gemeente)
        row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"incident {incident_id or ''} bestaat niet".replace("  ", " "))
        return _incident(row)

    # -- acting on one ----------------------------------------------------------------------------
    def retry(self, incident_id: int, gemeente: str, actor: str, also: AlsoWrite | None = None) -> Incident:
        """Run the instance again now, as Camunda's retry does: the incident is closed (with the
        caller's log lines) and the instance's step runs in a transaction of its own; failing
        again reopens the incident, one occurrence more. Returns the incident as it then is."""
        now = self.core.clock.now()
        with self.core.db.begin() as conn:
            incident, case = self._lock_open(conn, incident_id, gemeente)
            conn.execute(update(incidents).where(incidents.c.id == incident.id).values(
                status="retried", resolved_by=actor, resolved_at=now))
            self.core.append(conn, case, kind="incident_retried", actor=actor, at=now,
                             instance_id=incident.instance_id, payload={"incident_id": incident.id})
            self._done(conn, incident.id, also)
        self._run_again(incident)
        return self.incident(incident.id, gemeente)

    def _run_again(self, incident: Incident) -> None:
        """The step the worker would take: due timers fire and the engine runs on. Also what moves
        an instance on whose due timer fired while it was migrated (its next task was left ready)."""
        now = self.core.clock.now()
        try:
            with self.core.db.begin() as conn:
                case = _lock_case(conn, incident.case_id)
                inst = conn.execute(select(instances).where(instances.c.id == incident.instance_id)
                                    ).mappings().first()
                if inst is None or inst["status"] != "running":
                    return
                self.core.advance(conn, case, incident.instance_id, "timer", now, "timer_fired",
                                  {"at": now.isoformat(), "incident_id": incident.id},
                                  lambda workflow: workflow.refresh_timers(), inst=inst)
        except StepFailed as exc:
            self.record(incident.instance_id, exc)

    def cancel(self, incident_id: int, gemeente: str, actor: str, reason: str,
               also: AlsoWrite | None = None) -> Incident:
        """Cancel the instance (its timers and tasks end) and close the incident, with a reason."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput("reden: geef een reden op voor het annuleren")
        if len(reason) > MAX_REASON:
            raise InvalidInput(f"reden: ten hoogste {MAX_REASON} tekens")
        now = self.core.clock.now()
        with self.core.db.begin() as conn:
            incident, case = self._lock_open(conn, incident_id, gemeente)
            self.core.advance(conn, case, incident.instance_id, actor, now, CANCELLED_EVENT,
                              {"reason": reason, "incident_id": incident.id}, lambda wf: wf.cancel())
            conn.execute(update(instances).where(instances.c.id == incident.instance_id).values(
                status="cancelled"))
            conn.execute(update(incidents).where(incidents.c.id == incident.id).values(
                status="cancelled", resolved_by=actor, resolved_at=now, reason=reason))
            return self._done(conn, incident.id, also)

    def _done(self, conn: Connection, incident_id: int, also: AlsoWrite | None) -> Incident:
        incident = self._get(conn, incident_id=incident_id)
        if also is not None:
            also(conn, incident)
        return incident

    def _lock_open(self, conn: Connection, incident_id: int,
                   gemeente: str) -> tuple[Incident, dict[str, Any]]:
        incident = self._get(conn, incident_id=incident_id, gemeente=gemeente)
        case = _lock_case(conn, incident.case_id)
        incident = self._get(conn, incident_id=incident_id)  # as it is now that the case is ours
        if incident.status != OPEN:
            raise ConflictError(f"incident {incident_id} is al afgehandeld ({incident.status})")
        return incident, case


def _incident(row: RowMapping) -> Incident:
    return Incident(row["id"], row["case_id"], row["case_number"], row["instance_id"], row["process_id"],
                    row["gemeente"], row["element"], row["error"], row["status"], row["occurrences"],
                    row["first_at"], row["last_at"], row["resolved_by"], row["resolved_at"], row["reason"])
