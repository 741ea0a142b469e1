"""User tasks carry their form definition; the form travels in the deployed bundle."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.models.validation import BundleInvalid, read_model_files
from tests.engine.helpers import BSN, make_engine, only_task

BUNDLE = Path(__file__).parent.parent / "fixtures" / "bundle_with_form"


def test_a_user_task_serves_the_form_of_its_version(db):
    engine = make_engine(db)
    engine.deploy(read_model_files([BUNDLE]))
    case, _ = engine.start_case("woerden", BSN, "Jan", "gesprek_met_formulier", {})
    form = engine.task_form(only_task(engine, case.id).task_id)
    assert form["title"] == "Evaluatiegesprek" and form["required"] == ["verslag"]


def test_a_bundle_without_the_named_form_is_refused(db):
    engine = make_engine(db)
    files = {k: v for k, v in read_model_files([BUNDLE]).items() if k.endswith(".bpmn")}
    with pytest.raises(BundleInvalid) as refused:
        engine.deploy(files)
    assert ("gesprek.bpmn:6: Gebruikerstaak ‘Evaluatiegesprek voeren’ (gesprek): formulier "
            "'gesprek.json' zit niet in de bundel") in str(refused.value)


def test_a_task_without_a_form_has_none(db):
    engine = make_engine(db)
    case, _ = engine.start_case("woerden", BSN, "Jan", "evaluatie", {})
    assert engine.task_form(only_task(engine, case.id).task_id) is None
