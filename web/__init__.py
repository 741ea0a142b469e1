"""The Flask web application: worklist, dossier, designer, auditor, admin and the REST API.

``create_app`` is loaded on first use (``web:create_app()`` for gunicorn): importing ``web.tables``
(as ``cli.schema`` does for every command) then does not load Flask, so `trede verify` and the
worker start without it (issue 16 item 5).
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name != "create_app":
        raise AttributeError(f"module 'web' has no attribute {name!r}")
    value = import_module("web.app").create_app
    globals()[name] = value
    return value
