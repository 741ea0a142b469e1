"""Errors as JSON with a message that names the problem; never a traceback."""
from __future__ import annotations

import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from casework.errors import FormRefused, HeldByOther, NotAllowed, TaskGone
from engine.errors import ConflictError, EngineError, InvalidInput, NotFound, StepFailed
from web.api import bp

log = logging.getLogger("trede.api")


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def _body(message: str, field: str | None = None) -> dict:
    body = {"error": message}
    if field:
        body["field"] = field
    return body


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    return jsonify(_body(exc.message, exc.field)), exc.status


@bp.errorhandler(EngineError)
def engine_error(exc: EngineError):
    status = {NotFound: 404, ConflictError: 409, StepFailed: 422, InvalidInput: 400}.get(type(exc), 400)
    return jsonify(_body(str(exc))), status


@bp.errorhandler(FormRefused)
def form_refused(exc: FormRefused):
    """The same messages per field as the task page shows; nothing was written."""
    return jsonify({"error": str(exc), "errors": exc.errors}), 422


@bp.errorhandler(NotAllowed)
def not_allowed(exc: NotAllowed):
    return jsonify(_body(str(exc))), 403


@bp.errorhandler(HeldByOther)
@bp.errorhandler(TaskGone)
def conflict(exc: Exception):
    return jsonify(_body(str(exc))), 409


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return jsonify(_body(exc.description or exc.name)), exc.code


@bp.errorhandler(Exception)
def unexpected(exc: Exception):
    log.exception("unexpected API error (%s)", type(exc).__name__)
    return jsonify(_body("interne fout; de actie is niet uitgevoerd")), 500


@bp.before_app_request
def unmatched_api_path():
    """A path under /api/ that matches no route (e.g. a negative id) gets a JSON 404/405.

    Without this the request has no blueprint, so the page layer would answer it: a redirect
    to the HTML sign-in page, which an API client cannot use (found by schemathesis).
    """
    exc = request.routing_exception
    if exc is not None and (request.path == "/api" or request.path.startswith("/api/")):
        code = getattr(exc, "code", 404) or 404
        if code in (301, 302, 307, 308):
            return None  # a trailing-slash redirect: let the router answer it
        message = "deze methode is hier niet toegestaan" if code == 405 else "niet gevonden"
        return jsonify(_body(message)), code
    return None


INT64_MAX = 2**63 - 1


@bp.before_request
def ids_in_range():
    """An id larger than the database's BIGINT is simply not there (a 404, not a driver overflow 500)."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= INT64_MAX:
            raise ApiError(404, "niet gevonden")
    return None
