"""Errors as JSON with a message that names the problem; never a traceback."""
from __future__ import annotations

import logging
from uuid import UUID

from flask import jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from casework.accounts.admin import FormErrors
from casework.errors import FormRefused, HeldByOther, NotAllowed, TaskGone
from engine.errors import ConflictError, EngineError, InvalidInput, NotFound, StepFailed
from web.api import bp
from web.api.schemas import ID_MAX, BodyRefused

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
    # InvalidInput: well-formed, but the engine refuses its content (e.g. no case for a replayed
    # message): 422 like every other refused content, so 400 means "not JSON or a bad parameter".
    status = {NotFound: 404, ConflictError: 409, StepFailed: 422, InvalidInput: 422}.get(type(exc), 422)
    return jsonify(_body(str(exc))), status


@bp.errorhandler(FormRefused)
def form_refused(exc: FormRefused):
    """The same messages per field as the task page shows; nothing was written."""
    return jsonify({"error": str(exc), "errors": exc.errors, "field": next(iter(exc.errors), "data")}), 422


@bp.errorhandler(FormErrors)
def form_errors(exc: FormErrors):
    """A use case's refusal with a message per field (the page shows the same at its fields)."""
    return jsonify({"error": str(exc), "errors": exc.errors, "field": next(iter(exc.errors), "data")}), 422


@bp.errorhandler(BodyRefused)
def body_refused(exc: BodyRefused):
    """The request does not fit /api/openapi.json: 400 (no JSON) or 422, a message per field."""
    first = next(iter(exc.errors), "body")
    return jsonify({"error": str(exc), "errors": exc.errors, "field": first}), exc.status


@bp.errorhandler(NotAllowed)
def not_allowed(exc: NotAllowed):
    return jsonify(_body(str(exc))), 403


@bp.errorhandler(HeldByOther)
@bp.errorhandler(TaskGone)
def conflict(exc: Exception):
    return jsonify(_body(str(exc))), 409


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return _with_allow(jsonify(_body(exc.description or exc.name)), exc), exc.code


def _with_allow(response, exc):
    """A 405 names the methods the path does allow (RFC 9110, section 15.5.6)."""
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


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
        return _with_allow(jsonify(_body(message)), exc), code
    return None


def ids_in_range() -> None:
    """A path id no row can have is simply not there: 404 before any query (an INTEGER column
    overflows on PostgreSQL at 2^31, and PostgreSQL refuses NUL in text). Called by
    web/api/auth.require_token once the caller is known: without a token every path is a 401."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and not 1 <= value <= ID_MAX:
            raise ApiError(404, "niet gevonden")
        if isinstance(value, str) and not _plausible(name, value):
            raise ApiError(404, "niet gevonden")


def _plausible(name: str, value: str) -> bool:
    if name == "task_id":  # the engine's task ids are UUIDs
        try:
            return str(UUID(value)) == value.lower()
        except ValueError:
            return False
    return 0 < len(value) <= 255 and "\x00" not in value
