"""A teamleider reopens a mistakenly completed task from the dossier, in headless Chromium (issue 18
item 4): the reason is required, the task comes back, and the page stays accessible (WCAG 2.1 AA)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.storage.db import cases
from tests.browser import assert_accessible
from tests.web.test_browser import live, sign_in  # noqa: F401  (the served app, signed-in pages)

pytestmark = pytest.mark.browser


def test_teamleider_reopens_a_completed_task_with_a_reason(browser, live):  # noqa: F811
    engine, case = live["engine"], live["case"]
    task = engine.ready_tasks(case_id=case.id)[0]
    engine.complete(task.task_id, {"trede": 3}, actor="casemanager.ooststellingwerf")
    with engine.db.connect() as conn:
        client_id = conn.execute(select(cases.c.client_id).where(cases.c.id == case.id)).scalar()

    page = sign_in(browser, live, "teamleider.ooststellingwerf")
    page.goto(f"{live['base']}/dossier/{client_id}")
    section = page.get_by_role("region", name="Afgeronde taak heropenen")
    section.get_by_label(f"Taak ({case.case_number})").select_option(task.task_id)
    section.get_by_label("Reden").fill("Trede 3 moest trede 2 zijn.")
    section.get_by_role("button", name="Taak heropenen").click()
    assert "is heropend en staat weer open" in page.get_by_role("status").first.inner_text()
    assert task.task_id in [t.task_id for t in engine.ready_tasks(case_id=case.id)]
    assert engine.history(case.id)[-1].kind == "task_corrected"
    assert_accessible(page)
    page.context.close()

    page = sign_in(browser, live, "casemanager.ooststellingwerf")  # not a teamleider: no such section
    page.goto(f"{live['base']}/dossier/{client_id}")
    assert page.get_by_role("region", name="Afgeronde taak heropenen").count() == 0
    page.context.close()
