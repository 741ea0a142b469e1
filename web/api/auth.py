"""Every API call carries a bearer token; each route names the scope it needs."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request

from web.api import bp
from web.api.errors import ApiError, ids_in_range
from web.api.tokens import Refused, authenticate

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def require_token():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise ApiError(401, "authenticatie vereist: stuur 'Authorization: Bearer <token>'")
    engine = current_app.extensions["trede.engine"]
    principal = authenticate(engine.db, header[len("Bearer "):].strip(), engine.clock.now())
    if isinstance(principal, Refused):
        raise ApiError(401, principal.message)
    g.principal = principal
    ids_in_range()  # after the token: an anonymous caller learns nothing, not even a 404
    return None


def requires(scope: str):
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if scope not in g.principal.scopes:
                raise ApiError(403, f"dit token mag dit niet (scope {scope!r} ontbreekt)")
            return view(*args, **kwargs)
        return wrapper
    return decorate
