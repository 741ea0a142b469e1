"""Form submissions checked against the task's form definition (JSON Schema, as trede's forms use it).

One check for every way in: the web page sends text, the REST API sends JSON values; both are
converted the same way (integers to int, numbers to int or float as JSON would, dates to ``date``,
yes/no choices to booleans). Each message is Dutch and names the field, because it is shown both
at the field and in the error summary (and in the API's 422 answer).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from casework import plausibility

Errors = dict[str, str]
SCALARS = (str, int, float, bool)


def ordered_names(schema: Mapping[str, Any]) -> list[str]:
    """Field names in ``x-order`` first, then the rest in definition order."""
    props = schema.get("properties") or {}
    order = [n for n in schema.get("x-order", []) if n in props]
    return order + [n for n in props if n not in order]


def schema_defaults(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The ``default`` of each field (JSON Schema) that a form starts with (a Camunda ``defaultValue``)."""
    return {name: prop["default"] for name, prop in (schema.get("properties") or {}).items()
            if isinstance(prop, Mapping) and "default" in prop}


def validate_submission(schema: Mapping[str, Any], raw: Mapping[str, Any],
                        today: date | None = None) -> tuple[dict[str, Any], Errors]:
    """Check the raw form fields against the schema; returns (converted data, errors by field).

    ``today`` (the Amsterdam date) enables the date rules a field declares (casework.plausibility);
    every use case passes it from the engine's clock."""
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    data: dict[str, Any] = {}
    errors: Errors = {}
    for name in ordered_names(schema):
        prop = props[name]
        title = prop.get("title") or name
        if prop.get("type") == "boolean":
            given = raw.get(name)
            answer = yes_no(given)
            if answer is None and (name in required or _text(given) != ""):
                errors[name] = f"{title}: kies ja of nee."
            else:
                # An optional boolean is a checkbox: unticked sends nothing at all, which means False.
                data[name] = bool(answer)
            continue
        text = _text(raw.get(name))
        if text is None:
            errors[name] = f"{title}: vul één waarde in, geen lijst of object."
            continue
        if not text:
            if name in required:
                errors[name] = f"{title}: vul dit veld in."
            else:
                data[name] = None
            continue
        value, message = _convert(prop, text)
        if message:
            errors[name] = f"{title}: {message}"
        else:
            data[name] = value
    errors.update(conditional_errors(schema, data, errors))
    if today is not None:
        errors.update({k: v for k, v in plausibility.date_errors(schema, data, today).items()
                       if k not in errors})
    return data, errors


def conditional_errors(schema: Mapping[str, Any], data: Mapping[str, Any], errors: Errors) -> Errors:
    """Fields that JSON Schema ``allOf: [{if, then: {required}}]`` makes required by another answer.

    Only ``if`` conditions of the form ``{"properties": {field: {"const": value}}}`` are read (what
    our forms use, e.g. "opmerking verplicht als niet gefiatteerd"); ``x-melding`` gives the message
    per field, so the user reads why the field is required now.
    """
    props = schema.get("properties") or {}
    found: Errors = {}
    for rule in schema.get("allOf") or []:
        condition = (rule.get("if") or {}).get("properties") or {}
        if not condition or any(k not in data or data[k] != c.get("const") for k, c in condition.items()):
            continue
        messages = rule.get("x-melding") or {}
        for name in (rule.get("then") or {}).get("required") or []:
            if name in errors or name in found or str(data.get(name) or "").strip():
                continue
            title = (props.get(name) or {}).get("title") or name
            found[name] = messages.get(name) or f"{title}: vul dit veld in."
    return found


def unknown_fields(schema: Mapping[str, Any], raw: Mapping[str, Any]) -> Errors:
    """Fields the form does not have: refused, so a typo never silently loses an answer."""
    props = schema.get("properties") or {}
    return {name: f"{name}: dit veld staat niet op het formulier." for name in raw if name not in props}


def _text(value: Any) -> str | None:
    """The submitted value as text; None for a list or object (no form field takes one)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value).strip() if isinstance(value, SCALARS) else None


def yes_no(value: Any) -> bool | None:
    text = str(value if value is not None else "").strip().lower()
    if text in {"on", "true", "1", "ja", "yes"}:
        return True
    if text in {"nee", "false", "0", "no"}:
        return False
    return None


def _convert(prop: Mapping[str, Any], text: str) -> tuple[Any, str | None]:
    kind = prop.get("type", "string")
    if "enum" in prop:
        allowed = {str(v): v for v in prop["enum"]}
        if text not in allowed:
            return None, "kies een van de mogelijkheden."
        return allowed[text], None
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", text):
            return None, "vul een heel getal in, bijvoorbeeld 3."
        return _in_range(prop, int(text))
    if kind == "number":
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None, "vul een getal in, bijvoorbeeld 12,50."
        if not number.is_finite():
            return None, "vul een getal in, bijvoorbeeld 12,50."
        value, message = _in_range(prop, number)
        return (None, message) if message else (_json_number(value), None)
    if prop.get("format") == "date":
        return _parse_date(text)
    if (declared := plausibility.check_format(prop.get("format", ""), text)) is not None:
        return declared
    return _check_text(prop, text)


def _json_number(value: Decimal) -> int | float:
    # The same number the REST API would deliver from JSON: the decision service takes int and
    # float, not Decimal.
    return int(value) if value == value.to_integral_value() else float(value)


def _in_range(prop: Mapping[str, Any], number: int | Decimal) -> tuple[Any, str | None]:
    low, high = prop.get("minimum"), prop.get("maximum")
    if low is not None and high is not None and not (low <= number <= high):
        return None, f"vul een getal van {low} tot en met {high} in."
    if low is not None and number < low:
        return None, f"vul een getal van {low} of hoger in."
    if high is not None and number > high:
        return None, f"vul een getal van {high} of lager in."
    return number, None


def _parse_date(text: str) -> tuple[date | None, str | None]:
    # <input type="date"> sends ISO; people typing by hand in older browsers write dd-mm-jjjj.
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
    iso = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else text
    try:
        return date.fromisoformat(iso), None
    except ValueError:
        return None, "vul een geldige datum in, bijvoorbeeld 31-12-2026."


def _check_text(prop: Mapping[str, Any], text: str) -> tuple[str | None, str | None]:
    max_length, min_length = prop.get("maxLength"), prop.get("minLength")
    if max_length is not None and len(text) > max_length:
        return None, f"gebruik maximaal {max_length} tekens (nu {len(text)})."
    if min_length is not None and len(text) < min_length:
        return None, f"gebruik minimaal {min_length} tekens."
    pattern = prop.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        return None, "de invoer heeft niet de juiste vorm."
    return text, None


