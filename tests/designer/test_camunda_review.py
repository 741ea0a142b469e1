"""A Camunda Modeler model through the designer's pages: the reviewer sees each translation line.

The invoice-approval model of tests/fixtures/camunda is submitted as a designer would, the second
designer reads on the review page what every camunda: construct becomes, approves, and the version
runs with the generated form and the lane (issue 21, item 6).
"""
from __future__ import annotations

import re
from pathlib import Path

from tests.designer.helpers import GEMEENTE, post_form, post_json, sign_in

CAMUNDA = Path(__file__).parent.parent / "fixtures" / "camunda"
FILES = {p.name: p.read_text() for p in sorted(CAMUNDA.iterdir()) if p.suffix in (".bpmn", ".dmn", ".json")}


def test_validation_answers_with_the_translation_lines(app):
    answer = post_json(sign_in(app, "ontwerper"), "/ontwerp/valideren", {"files": FILES}).get_json()
    assert answer["ok"] and answer["problems"] == []
    assert len(answer["translations"]) == 9
    lines = answer["translations"]
    assert any("camunda:candidateGroups='casemanager' → lane 'casemanager'" in t for t in lines)


def test_the_reviewer_approves_the_translation_and_the_case_gets_its_form_and_lane(app, engine):
    author = sign_in(app, "ontwerper")
    answer = post_json(author, "/ontwerp/processen/factuur_goedkeuren/indienen",
                       {"files": FILES, "base_version_id": None, "note": "factuur uit Camunda"}).get_json()
    assert answer["ok"], answer
    second = sign_in(app, "ontwerper2")
    review = second.get(answer["url"]).get_data(as_text=True)
    assert "Vertaald uit Camunda Modeler" in review
    assert "camunda:formData (4 velden: leverancier, bedrag, soort, goedkeurder) → formulier " \
           "&#39;factuur-registreren.json&#39;" in review
    post_form(second, f"/ontwerp/aanvragen/{answer['id']}/goedkeuren")
    case, _ = engine.start_case(GEMEENTE, "999990019", "Jan", "factuur_goedkeuren", {})
    [task] = engine.ready_tasks(case_id=case.id)
    assert task.lane == "casemanager"
    form = engine.task_form(task.task_id)
    assert list(form["properties"]) == ["leverancier", "bedrag", "soort", "goedkeurder"]


def test_the_generated_form_opens_with_its_labels_and_default(app, engine):
    """camunda:value names are the choices' labels and defaultValue is what the form starts with."""
    author = sign_in(app, "ontwerper")
    answer = post_json(author, "/ontwerp/processen/factuur_goedkeuren/indienen",
                       {"files": FILES, "base_version_id": None}).get_json()
    post_form(sign_in(app, "ontwerper2"), f"/ontwerp/aanvragen/{answer['id']}/goedkeuren")
    case, _ = engine.start_case(GEMEENTE, "999990019", "Jan", "factuur_goedkeuren", {})
    [task] = engine.ready_tasks(case_id=case.id)
    page = sign_in(app, "cm").get(f"/taken/{task.task_id}").get_data(as_text=True)
    assert "Bedrag (euro)" in page and "Reiskosten" in page
    checked = re.search(r'<input[^>]*value="scholing"[^>]*>', page).group(0)
    assert "checked" in checked
