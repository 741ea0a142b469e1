"""Health data (x-bijzondere-categorie): for casemanager, arbeidsdeskundige and teamleider only."""
from __future__ import annotations

import io

from pypdf import PdfReader

from casework.accounts.service import create_user
from tests.web.helpers import PASSWORD
from web import special_category

SECRET = "rugklachten sinds 2024"


def _complete_with_health_data(engine, case):
    task = engine.ready_tasks(case_id=case.id)[0]
    engine.complete(task.task_id, {"trede": 3, "akkoord": True, "lichamelijkeSituatie": SECRET}, "cm")


def test_the_task_form_shows_health_fields_only_to_roles_that_need_them(signed_in, engine, case):
    task_id = engine.ready_tasks(case_id=case.id)[0].task_id
    assert "Lichamelijke situatie" in signed_in("cm").get(f"/taken/{task_id}").get_data(as_text=True)
    page = signed_in("fin").get(f"/taken/{task_id}").get_data(as_text=True)
    assert "Lichamelijke situatie" not in page and "gezondheidsgegevens" in page and "afgeschermd" in page


def test_the_auditor_sees_the_history_without_health_data(app, signed_in, engine, case):
    _complete_with_health_data(engine, case)
    create_user(engine.db, "aud", PASSWORD, "Audrey", "ooststellingwerf", ["auditor"])
    client = signed_in("aud")
    page = client.get(f"/audit/zaken/{case.case_number}").get_data(as_text=True)
    assert SECRET not in page and special_category.HIDDEN in page
    assert "Trede" in page or "trede" in page  # the rest of the data is still there
    pdf = client.get(f"/audit/zaken/{case.case_number}/export.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.status_code == 200 and "rugklachten" not in text and "afgeschermd" in text


def test_special_fields_come_from_the_deployed_forms(engine):
    assert "lichamelijkeSituatie" in special_category.special_fields(engine.db, "ooststellingwerf")
    assert special_category.may_read(frozenset({"arbeidsdeskundige"}))
    assert not special_category.may_read(frozenset({"financien"}))
    assert not special_category.may_read(frozenset({"procesontwerper"}))
    assert not special_category.may_read(frozenset({"auditor"}))
    data = {"trede": 3, "lichamelijkeSituatie": SECRET, "sub": [{"lichamelijkeSituatie": "x"}]}
    hidden = special_category.redact(data, frozenset({"lichamelijkeSituatie"}))
    assert hidden == {"trede": 3, "lichamelijkeSituatie": special_category.HIDDEN,
                      "sub": [{"lichamelijkeSituatie": special_category.HIDDEN}]}
