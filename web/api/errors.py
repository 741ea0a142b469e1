"""Errors as JSON with a message that names the problem; never a traceback."""
from __future__ import annotations

import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

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


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return jsonify(_body(exc.description or exc.name)), exc.code


@bp.errorhandler(Exception)
def unexpected(exc: Exception):
    log.exception("unexpected API error (%s)", type(exc).__name__)
    return jsonify(_body("interne fout; de actie is niet uitgevoerd")), 500
