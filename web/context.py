"""The use cases' context for a web page or an API call: who acts, and how the request came in."""
from __future__ import annotations

from flask import current_app, g, request

from casework.context import Channel, Context
from casework.people import User, system_user
from web.audit.ldv import pseudonymizer, request_trace


def _channel(kind: str) -> Channel:
    rule = request.url_rule.rule if request.url_rule else request.path
    return Channel(kind, name=f"{request.method} {rule}", origin=request.remote_addr, trace=request_trace())


def page_context(user: User) -> Context:
    """A signed-in person on a page."""
    return Context(current_app.extensions["trede.engine"], user, _channel("web"), pseudonymizer())


def api_context() -> Context:
    """A system through the REST API, acting for its token's gemeente."""
    principal = g.principal
    return Context(current_app.extensions["trede.engine"], system_user(principal.name, principal.gemeente),
                   _channel("api"), pseudonymizer())
