"""What a use case answers when it does not do what was asked (Dutch messages, shown as they are)."""
from __future__ import annotations

from casework.forms import Errors
from engine.errors import ConflictError


class NotAllowed(Exception):
    """The actor may not do this (another lane, not a teamleider, ...)."""


class FormRefused(Exception):
    """The submitted data does not fit the task's form: errors by field, nothing written."""

    def __init__(self, errors: Errors, what: str = "De taak is niet afgerond") -> None:
        count = "1 veld klopt" if len(errors) == 1 else f"{len(errors)} velden kloppen"
        super().__init__(f"{what}: {count} niet.")
        self.errors = errors


class TaskGone(Exception):
    """The task was completed already (by the person named in the message)."""

    def __init__(self, by: str, case_id: int) -> None:
        super().__init__(f"Deze taak is al afgerond door {by}.")
        self.by = by
        self.case_id = case_id


class HeldByOther(ConflictError):
    """Someone else has claimed the task: it waits for them (or a teamleider's reassignment)."""
