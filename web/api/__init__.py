"""JSON REST API over the engine operations, described at /api/openapi.json."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from web.api import auth, errors, routes  # noqa: E402,F401  (register handlers on bp)
