"""Incidents, for the beheerder of a gemeente: see them, retry one after a fix, or cancel one with a
reason (issue 17; Camunda's incidents are the model users know).

An incident is a process instance the worker put aside because its step failed (a model error, a
timer beyond its bounds, the step's CPU or memory limit; ``engine.scheduling.incidents``). Only a
beheerder of the incident's own gemeente sees or acts on it; another gemeente's incident does not
exist for them. Every incident shown or acted on gets a line in the processing log (it names a
client's case), and retry and cancel a line in the beheer log, in the transaction that acts.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.context import Context
from casework.errors import NotAllowed
from engine.errors import InvalidInput
from engine.scheduling.incidents import Incident
from engine.storage.db import cases, clients, read_only, utcnow

ACTIVITY = "incident-afhandelen"
MAX_SHOWN = 200  # the newest first; the page says when there are more
MAX_REASON = 2000


def _beheerder(ctx: Context) -> None:
    if ctx.user.system or not ctx.user.has("beheerder"):
        raise NotAllowed("alleen een beheerder van de gemeente ziet en behandelt incidenten")


def list_incidents(ctx: Context) -> list[Incident]:
    """The gemeente's open incidents, newest first (at most ``MAX_SHOWN``)."""
    _beheerder(ctx)
    start = utcnow()
    shown = ctx.engine.incidents(ctx.user.gemeente)[:MAX_SHOWN]
    if shown:
        bsns = _bsns(ctx, [i.case_id for i in shown])
        with ctx.engine.db.begin() as conn:
            for incident in shown:
                ctx.log(ACTIVITY, bsns.get(incident.case_id), incident.case_number, "incident bekeken",
                        True, start, conn)
    return shown


def retry_incident(ctx: Context, incident_id: int) -> Incident:
    """Run the case's step again now (after a fix, e.g. a migration); failing again reopens it."""
    _beheerder(ctx)
    start = utcnow()

    def log(conn: Connection, incident: Incident) -> None:
        _log(ctx, conn, incident, "incident_opnieuw", "opnieuw geprobeerd", start)

    return ctx.engine.retry_incident(incident_id, ctx.user.gemeente, ctx.user.username, also=log)


def cancel_incident(ctx: Context, incident_id: int, reason: str) -> Incident:
    """Cancel the process the incident holds; the reason goes into the case history."""
    _beheerder(ctx)
    reason = (reason or "").strip()
    if not reason:
        raise FormErrors({"reden": "Reden: geef op waarom het proces wordt beëindigd."})
    if len(reason) > MAX_REASON:
        raise FormErrors({"reden": f"Reden: ten hoogste {MAX_REASON} tekens."})
    start = utcnow()

    def log(conn: Connection, incident: Incident) -> None:
        _log(ctx, conn, incident, "incident_geannuleerd", "proces beëindigd", start, detail=reason)

    try:
        return ctx.engine.cancel_incident(incident_id, ctx.user.gemeente, ctx.user.username, reason, also=log)
    except InvalidInput as exc:
        raise FormErrors({"reden": f"Reden: {exc}."}) from exc


def _log(ctx: Context, conn: Connection, incident: Incident, action: str, result: str, start: datetime,
         detail: str | None = None) -> None:
    """The beheer log (with the reason) and the processing log (without: free text stays out)."""
    record(conn, ctx.user.gemeente, ctx.user.username, action, incident.case_number,
           f"incident {incident.id} ({incident.element or incident.process_id}): {result}"
           + (f"; reden: {detail}" if detail else ""))
    bsn = conn.execute(select(clients.c.bsn).join(cases, cases.c.client_id == clients.c.id)
                       .where(cases.c.id == incident.case_id)).scalar()
    ctx.log(ACTIVITY, bsn, incident.case_number, result, True, start, conn)


def _bsns(ctx: Context, case_ids: list[int]) -> dict[int, str]:
    with read_only(ctx.engine.db).connect() as conn:
        rows = conn.execute(select(cases.c.id, clients.c.bsn)
                            .outerjoin(clients, cases.c.client_id == clients.c.id)
                            .where(cases.c.id.in_(case_ids))).all()
    return {case_id: bsn for case_id, bsn in rows}
