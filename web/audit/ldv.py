"""Flask side of the processing log (Logboek Dataverwerkingen): one line per data subject per request.

Usage in a view that reads or writes personal data::

    @bp.get("/dossier/<int:client_id>")
    @processes_personal_data("dossier-raadplegen")
    def show(client_id):
        ...
        note_subject(client["bsn"], object_ref=case_number)

The decorator times the request and, when the view is done (or failed), writes one span per
subject that was noted, all in one trace per request (continuing the caller's W3C trace context
when it sent one). The status follows the response: an error page logs status ERROR.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps

from flask import current_app, g, request
from werkzeug.exceptions import HTTPException

from engine.audit.processing_log import (
    STATUS_ERROR,
    STATUS_OK,
    Pseudonymizer,
    Trace,
    activity,
    log_processing,
)
from engine.storage.db import utcnow
from web.app import settings_of

EXTENSION = "trede.pseudonymizer"


@dataclass
class _Subject:
    bsn: str | None
    object_ref: str | None
    result: str | None


@dataclass
class _Pending:
    activity_key: str
    start: datetime
    subjects: list[_Subject] = field(default_factory=list)


def init_pseudonymizer(app) -> None:
    """The key comes from config PSEUDONYM_KEY (hex, tests), else from the settings (TREDE_PSEUDONYM_KEY
    or its key file outside the database)."""
    if EXTENSION not in app.extensions:
        key = app.config.get("PSEUDONYM_KEY")
        app.extensions[EXTENSION] = (Pseudonymizer(bytes.fromhex(key)) if key
                                     else settings_of(app).pseudonymizer())


def pseudonymizer() -> Pseudonymizer:
    init_pseudonymizer(current_app)
    return current_app.extensions[EXTENSION]


def request_trace() -> Trace:
    if "ldv_trace" not in g:
        g.ldv_trace = Trace.from_traceparent(request.headers.get("traceparent"))
    return g.ldv_trace


def note_subject(bsn: str | None, object_ref: str | None = None, result: str | None = None) -> None:
    """Record that this request processes ``bsn``'s data (None: the processing has no subject)."""
    pending = g.get("ldv_pending")
    if pending is None:
        raise RuntimeError("note_subject outside a view marked with @processes_personal_data")
    pending.subjects.append(_Subject(bsn, object_ref, result))


def processes_personal_data(activity_key: str):
    activity(activity_key)  # an unknown activity fails at import time, not in production

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.ldv_pending = _Pending(activity_key, utcnow())
            status = 500
            try:
                response = current_app.make_response(view(*args, **kwargs))
                status = response.status_code
                return response
            except HTTPException as exc:
                status = exc.code or 500
                raise
            finally:
                _write(g.pop("ldv_pending"), status)
        return wrapper
    return decorate


def _write(pending: _Pending, status: int) -> None:
    actor, gemeente = _who()
    end = utcnow()
    engine = current_app.extensions["trede.engine"]
    for subject in pending.subjects:
        log_processing(engine.db, pending.activity_key, actor, subject.bsn,
                       subject.result or f"HTTP {status}", gemeente=gemeente, trace=request_trace(),
                       start=pending.start, end=end, status_code=STATUS_OK if status < 400 else STATUS_ERROR,
                       object_ref=subject.object_ref, origin=request.remote_addr,
                       name=f"{request.method} {request.url_rule.rule if request.url_rule else request.path}",
                       pseudonymizer=pseudonymizer(), sealer=engine.sealer,
                       register_base=settings_of(current_app).register_base)


def _who() -> tuple[str, str]:
    """The signed-in user, or the REST API's token holder (web/api sets ``g.principal``)."""
    user, principal = g.get("user"), g.get("principal")
    if user is not None:
        return user.username, user.gemeente
    if principal is not None:
        return f"api:{principal.name}", principal.gemeente
    return "anoniem", "onbekend"
