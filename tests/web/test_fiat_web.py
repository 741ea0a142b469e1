"""Refusing a fiat in the browser: the opmerking is required then (message at the field), and the
teamleider who gets the payment back reads it on the task page (issue: a refused fiat must not
book money; seed 002 art 28 for the jobcoaching advance used here)."""
from __future__ import annotations

import re

from processes import ledger
from processes.catalogue import deploy_all
from tests.processes.test_werkgeversinstrumenten import JOBCOACH

REDEN = "Rekeningnummer van de werkgever ontbreekt op de aanvraag."


def _fiat_task(engine):
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", "999990111", "Lotte Schaafsma", "jobcoaching",
                                {"gemeente": "ooststellingwerf"})
    for name, data, actor in (("aanvraag", JOBCOACH, "cm"), ("besluiten", {"besluit": "toekennen"}, "lead")):
        (item,) = [t for t in engine.ready_tasks(case_id=case.id) if t.task_name == name]
        engine.claim(item.task_id, actor)
        engine.complete(item.task_id, data, actor=actor)
    (item,) = engine.ready_tasks(case_id=case.id)
    assert item.task_name == "fiatteren"
    return case, item


def _hidden(html: str) -> dict[str, str]:
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1],
            "case_version": re.search(r'name="case_version" value="(\d+)"', html)[1], "actie": "afronden"}


def test_nee_needs_an_opmerking_books_nothing_and_the_teamleider_reads_why(signed_in, engine):
    case, item = _fiat_task(engine)
    fin = signed_in("fin")
    engine.claim(item.task_id, "fin")
    url = f"/taken/{item.task_id}"
    hidden = _hidden(fin.get(url).get_data(as_text=True))
    response = fin.post(url, data={**hidden, "gefiatteerd": "nee"})
    assert response.status_code == 422
    message = "Opmerking: u fiatteert niet; schrijf wat er gecorrigeerd moet worden."
    assert message in response.get_data(as_text=True)
    assert fin.post(url, data={**hidden, "gefiatteerd": "nee", "opmerking": REDEN}).status_code == 302
    with engine.db.connect() as conn:
        assert ledger.lines(conn, case_id=case.id) == []

    (back,) = engine.ready_tasks(case_id=case.id)
    assert (back.task_name, back.lane) == ("fiatteren_herstellen", "teamleider")
    html = signed_in("lead").get(f"/taken/{back.task_id}").get_data(as_text=True)
    assert "Opmerking van de financiële administratie" in html and REDEN in html
    assert "Gecorrigeerd: opnieuw ter fiattering aanbieden" in html
