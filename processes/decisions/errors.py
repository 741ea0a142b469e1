"""The one exception a caller of the decision service has to handle."""

from __future__ import annotations


class DecisionError(Exception):
    """A user-facing problem with a decision request; the message names it in one line."""


class UnknownDecision(DecisionError):
    """No pack defines a decision of this id (the REST layer answers 404)."""
