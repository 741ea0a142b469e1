"""Form definitions (.json) that travel in a bundle next to the models that use them.

A user task names its form with the property ``formJsonSchemaFilename`` (as SpiffArena does);
the file must be in the bundle and be a JSON object with ``properties``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from lxml import etree

from engine.models.expressions import SPIFF_NS

FORM_SUFFIX = ".json"
FORM_PROPERTY = "formJsonSchemaFilename"


def is_form(name: str) -> bool:
    return name.lower().endswith(FORM_SUFFIX)


def basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def form_file_problems(name: str, content: bytes) -> list[tuple[int | None, str]]:
    """(line, message) for a form file that is not a usable form definition."""
    try:
        form = json.loads(content)
    except UnicodeDecodeError:
        return [(None, "formulier is geen UTF-8-tekst")]
    except json.JSONDecodeError as exc:
        return [(exc.lineno, f"formulier is geen geldige JSON: {exc.msg}")]
    if not isinstance(form, dict) or not isinstance(form.get("properties", {}), dict):
        return [(1, "formulier moet een JSON-object met 'properties' zijn")]
    return []


def form_references(root: etree._Element) -> Iterable[tuple[str, int | None, str | None]]:
    """(form file name, line, user task id) for every user task that names a form."""
    for prop in root.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") != FORM_PROPERTY:
            continue
        task = prop.getparent()
        while task is not None and etree.QName(task).localname != "userTask":
            task = task.getparent()
        yield prop.get("value") or "", prop.sourceline, task.get("id") if task is not None else None


def missing_forms(references: Iterable[tuple[str, int | None, str | None]],
                  files: Mapping[str, bytes]) -> Iterable[tuple[str, int | None, str | None]]:
    present = {basename(n) for n in files if is_form(n)}
    for filename, line, task_id in references:
        if basename(filename) not in present:
            yield filename, line, task_id
