"""The model's instructions for a user task, filled in with the task's data.

SpiffWorkflow models carry them as a Jinja template (``instructionsForEndUser``, as SpiffArena's
editor writes them). A model is written by a process designer, so the template runs in Jinja's
sandbox with autoescaping: it can read the task data, not reach into Python, and a value cannot
inject markup. A template that does not render is shown as written, never as an error page.
"""
from __future__ import annotations

from datetime import date, datetime

from jinja2 import ChainableUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from web.dossier.present import datum, datumtijd

_ENV = SandboxedEnvironment(autoescape=True, undefined=ChainableUndefined)


def _finalize(value):
    # dates as the rest of the pages write them (1 mei 2026); a missing value as nothing
    if isinstance(value, datetime):
        return datumtijd(value)
    if isinstance(value, date):
        return datum(value)
    return "" if value is None else value


_ENV.finalize = _finalize


def render(template: str, data: dict) -> Markup:
    try:
        return Markup(_ENV.from_string(template).render(**data))
    except (TemplateError, TypeError, ValueError, AttributeError):
        return escape(template)
