"""SpiffArena's form layout (``formUiSchemaFilename``): translated into trede's form, or refused.

SpiffArena gives a user task two files: the JSON Schema of its form (``formJsonSchemaFilename``, which
trede reads as it is) and a react-jsonschema-form UI schema with the layout. Trede's forms carry their
layout in the schema itself, so the UI schema is merged into it, with a line per translation:
``ui:order`` → ``x-order``, ``ui:widget`` textarea/select → ``x-widget``, ``ui:help`` → the field's
description, ``ui:title`` → its title; hints without effect in trede (``ui:placeholder``,
``ui:autofocus``) are named as such; everything else is refused with the construct named.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from engine.models.expressions import SPIFF_NS
from engine.models.forms import FORM_PROPERTY, basename

UI_PROPERTY = "formUiSchemaFilename"
_S = f"{{{SPIFF_NS}}}"
_WIDGETS = ("textarea", "select")
_WITHOUT_EFFECT = {"ui:placeholder": "trede toont geen voorbeeldtekst in een leeg veld",
                   "ui:autofocus": "trede zet de cursor in het eerste veld met een fout"}


@dataclass
class UiTranslation:
    files: dict[str, bytes]
    notes: list[tuple[str, int | None, str | None, str]] = field(default_factory=list)
    refused: list[tuple[str, int | None, str | None, str]] = field(default_factory=list)
    rewritten: dict[str, etree._Element] = field(default_factory=dict)
    merged: set[tuple[str, str]] = field(default_factory=set)  # (UI schema, form) pairs done


def translate_ui_schemas(name: str, root: etree._Element, result: UiTranslation) -> None:
    """Merge the UI schema of every user task of this BPMN document into its form schema."""
    by_base = {basename(n): n for n in result.files}
    for prop in list(root.iter(f"{_S}property")):
        if prop.get("name") != UI_PROPERTY:
            continue
        props = prop.getparent()
        task = props.getparent() if props is not None else None  # extensionElements
        task = task.getparent() if task is not None else None
        where = (name, prop.sourceline, task.get("id") if task is not None else None)
        ui_name = prop.get("value") or ""
        form_prop = next((p for p in (props if props is not None else [])
                          if p.get("name") == FORM_PROPERTY), None)
        ui_file, form_file = by_base.get(basename(ui_name)), by_base.get(basename(
            form_prop.get("value") or "")) if form_prop is not None else None
        if ui_file is None or form_file is None:
            missing = ui_name if ui_file is None else "het formulier (formJsonSchemaFilename)"
            result.refused.append((*where, f"formulieropmaak {ui_name!r}: {missing} zit niet in de bundel"))
            continue
        if (ui_file, form_file) in result.merged:  # another task with the same form and layout
            if props is not None:
                props.remove(prop)
            result.rewritten[name] = root
            continue
        try:
            ui = json.loads(result.files[ui_file])
            form = json.loads(result.files[form_file])
        except (ValueError, UnicodeDecodeError):
            result.refused.append((*where, f"formulieropmaak {ui_name!r} is geen geldige JSON"))
            continue
        lines = _merge(ui, form, ui_name, where, result)
        if lines is None:
            continue
        result.files[form_file] = json.dumps(form, ensure_ascii=False, indent=2).encode()
        result.merged.add((ui_file, form_file))
        if props is not None:
            props.remove(prop)
        result.rewritten[name] = root
        for line in lines:
            result.notes.append((*where, f"formulieropmaak {ui_name!r}: {line} in {basename(form_file)!r}"))


def _merge(ui: Any, form: dict[str, Any], ui_name: str, where: tuple[str, int | None, str | None],
           result: UiTranslation) -> list[str] | None:
    if not isinstance(ui, dict) or not isinstance(form.get("properties"), dict):
        result.refused.append((*where, f"formulieropmaak {ui_name!r} is geen JSON-object"))
        return None
    lines: list[str] = []
    for key, value in ui.items():
        if key == "ui:order" and isinstance(value, list):
            form["x-order"] = [v for v in value if v != "*"]
            lines.append(f"ui:order → x-order {form['x-order']}")
        elif key in form["properties"] and isinstance(value, dict):
            for ui_key, setting in value.items():
                line = _field(form["properties"][key], key, ui_key, setting)
                if line is None:
                    result.refused.append((*where, f"formulieropmaak {ui_name!r}: {ui_key} van veld {key!r} "
                                                   "wordt niet ondersteund; schrijf in plaats daarvan "
                                                   "ui:widget textarea of select, ui:help of ui:title"))
                    return None
                lines.append(line)
        else:
            result.refused.append((*where, f"formulieropmaak {ui_name!r}: {key!r} wordt niet ondersteund "
                                           "(geen veld van het formulier); schrijf ui:order of de opmaak "
                                           "van een veld"))
            return None
    return lines


def _field(prop: dict[str, Any], name: str, ui_key: str, setting: Any) -> str | None:
    if ui_key == "ui:widget" and setting in _WIDGETS:
        prop["x-widget"] = setting
        return f"ui:widget {setting!r} van veld {name!r} → x-widget"
    if ui_key == "ui:help" and isinstance(setting, str):
        prop["description"] = setting
        return f"ui:help van veld {name!r} → de toelichting bij het veld"
    if ui_key == "ui:title" and isinstance(setting, str):
        prop["title"] = setting
        return f"ui:title van veld {name!r} → het label"
    if ui_key in _WITHOUT_EFFECT:
        return f"{ui_key} van veld {name!r} zonder effect in trede: {_WITHOUT_EFFECT[ui_key]}"
    return None
