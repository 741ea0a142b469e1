"""Forms described by JSON Schema: the fields a template renders (validation: casework/forms.py).

Each field carries its value as the browser sends it back and the message of ``casework.forms``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from casework.forms import Errors, ordered_names, yes_no

CHOOSE = "Maak een keuze"  # a select's empty option, unless the field says otherwise (``x-leeg``)


@dataclass
class Field:
    """One input as the template needs it."""

    name: str
    title: str
    kind: str  # integer | number | text | textarea | date | checkbox | select | radio (enum, required yes/no)
    required: bool
    value: Any = ""
    error: str | None = None
    description: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    special_category: bool = False
    minimum: Any = None
    maximum: Any = None
    max_length: int | None = None
    empty_label: str = CHOOSE

    @property
    def range_hint(self) -> str | None:
        if self.kind in ("integer", "number") and self.minimum is not None and self.maximum is not None:
            return f"Een getal van {self.minimum} tot en met {self.maximum}."
        return None

    @property
    def has_hint(self) -> bool:
        return bool(self.description or self.special_category or self.range_hint)


def build_fields(schema: Mapping[str, Any], values: Mapping[str, Any], errors: Errors) -> list[Field]:
    """The fields to render, in order, filled with ``values`` (raw text or converted data)."""
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    fields = []
    for name in ordered_names(schema):
        prop = props[name]
        fields.append(Field(
            name=name, title=prop.get("title") or name, kind=_kind(prop, name in required),
            required=name in required, value=_display(prop, values.get(name), name in required),
            error=errors.get(name), description=prop.get("description"), options=_options(prop),
            special_category=bool(prop.get("x-bijzondere-categorie")),
            minimum=prop.get("minimum"), maximum=prop.get("maximum"), max_length=prop.get("maxLength"),
            empty_label=str(prop.get("x-leeg") or CHOOSE),
        ))
    return fields


def _kind(prop: Mapping[str, Any], required: bool) -> str:
    if "enum" in prop:
        return "select" if len(prop["enum"]) > 4 or prop.get("x-widget") == "select" else "radio"
    kind = prop.get("type", "string")
    if kind == "boolean":
        # A required yes/no must be answered; a checkbox cannot tell "no" from "not answered".
        return "radio" if required else "checkbox"
    if kind in ("integer", "number"):
        return kind
    if prop.get("format") == "date":
        return "date"
    return "textarea" if prop.get("x-widget") == "textarea" else "text"


def _options(prop: Mapping[str, Any]) -> list[tuple[str, str]]:
    if prop.get("type") == "boolean":
        return [("ja", "Ja"), ("nee", "Nee")]
    values = prop.get("enum") or []
    names = prop.get("x-enumNames") or []
    return [(str(v), str(names[i]) if i < len(names) else str(v)) for i, v in enumerate(values)]


def _display(prop: Mapping[str, Any], value: Any, required: bool) -> Any:
    if prop.get("type") == "boolean":
        answer = value if isinstance(value, bool) else yes_no(value)
        if not required:
            return answer is True
        return "" if answer is None else ("ja" if answer else "nee")
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
