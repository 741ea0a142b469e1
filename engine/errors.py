"""Errors the engine raises for its callers to turn into clear answers (HTTP status, exit code)."""
from __future__ import annotations


class EngineError(Exception):
    """Base class: the message is meant for the user and names the problem."""


class NotFound(EngineError):
    pass


class ConflictError(EngineError):
    """Someone else changed the case first; nothing was written."""


class StepFailed(EngineError):
    """Running the model failed (a script error, a limit); nothing was written."""

    def __init__(self, message: str, task_name: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.task_name = task_name
        self.line = line


class InvalidInput(EngineError):
    pass
