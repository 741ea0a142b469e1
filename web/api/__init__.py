"""JSON REST API over the engine operations, described at /api/openapi.json."""
from flask import Blueprint
from werkzeug.routing import BaseConverter

bp = Blueprint("api", __name__, url_prefix="/api")


class MessageName(BaseConverter):
    """A message's name: any path segment but ``dead``, which is the dead-letter list's own path
    (so ``/api/messages/dead`` answers GET only, and its 405 and OPTIONS name exactly that)."""

    regex = r"(?!dead$)[^/]+"


@bp.record_once
def _register_converter(state) -> None:
    state.app.url_map.converters["message_name"] = MessageName

from web.api import auth, errors, routes  # noqa: E402,F401  (register handlers on bp)
