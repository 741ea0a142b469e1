"""Who acts, through which way in: what every use case is given.

The entrypoint (a web page, the REST API, the CLI) builds one ``Context`` per request; the use
cases read the actor's gemeente, roles and team from it for their rules, and the channel for the
processing-log line they write.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Connection

from casework.people import User
from engine.audit.processing_log import STATUS_ERROR, STATUS_OK, Pseudonymizer, Trace, log_processing
from engine.service import CaseEngine
from engine.storage.db import utcnow

# Which register activity a change through each way in is logged as (Logboek Dataverwerkingen).
WRITE_ACTIVITY = {"web": "taak-afhandelen", "api": "api-muteren", "cli": "taak-afhandelen"}


@dataclass(frozen=True)
class Channel:
    """How the request reached trede, as the processing log records it."""

    kind: str  # web | api | cli
    name: str | None = None  # e.g. "POST /api/tasks/<task_id>/complete"
    origin: str | None = None  # the caller's address
    trace: Trace = field(default_factory=Trace)  # continues the caller's W3C trace context


@dataclass(frozen=True)
class Context:
    engine: CaseEngine
    user: User
    channel: Channel
    pseudonymizer: Pseudonymizer | None = None

    @property
    def actor_name(self) -> str:
        """The name in the processing log: API tokens are marked, so a line says which system it was."""
        return f"api:{self.user.username}" if self.user.system else self.user.username

    def log(self, activity_key: str, bsn: str | None, object_ref: str | None, result: str,
            ok: bool, start: datetime, conn: Connection | None = None) -> None:
        """One processing-log line for one data subject (AVG art. 30; Logboek Dataverwerkingen);
        with ``conn`` inside the caller's transaction, so the change and its line land together."""
        log_processing(conn if conn is not None else self.engine.db, activity_key, self.actor_name, bsn,
                       result,
                       gemeente=self.user.gemeente, name=self.channel.name, trace=self.channel.trace,
                       start=start, end=utcnow(),
                       status_code=STATUS_OK if ok else STATUS_ERROR, object_ref=object_ref,
                       origin=self.channel.origin, pseudonymizer=self.pseudonymizer,
                       sealer=self.engine.sealer)  # the installation's seal key, as verify uses

    def write_activity(self) -> str:
        return WRITE_ACTIVITY[self.channel.kind]
