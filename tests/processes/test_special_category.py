"""The domain's list of health-data fields (encrypted at rest) agrees with the forms that mark them."""
from __future__ import annotations

from pathlib import Path

from processes import special_category

ROOT = Path(__file__).resolve().parents[2]


def test_every_field_a_form_marks_special_is_encrypted():
    forms = list((ROOT / "bpmn").rglob("*.json")) + list((ROOT / "tests" / "web" / "models").glob("*.json"))
    files = {str(p.relative_to(ROOT)): p.read_text() for p in forms}
    marked = set().union(*(special_category.marked_fields(t) for t in files.values()))
    assert marked == special_category.FIELDS  # no listed field without a form, no form field unlisted
    assert special_category.unprotected_marks(files) == []


def test_a_bundle_marking_an_unlisted_field_is_named():
    form = '{"properties": {"medicatie": {"type": "string", "x-bijzondere-categorie": true}}}'
    problems = special_category.unprotected_marks({"forms/intake.json": form})
    assert problems and "forms/intake.json" in problems[0] and "medicatie" in problems[0]
