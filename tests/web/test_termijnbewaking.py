"""Termijnbewaking: the open fatale termijnen of the cases a user may see, soonest first
(web/worklist/deadlines.py). A termijn runs on while no task is open, so the worklist alone does not
show it."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.web.helpers import start_case
from web.dossier.present import LOCAL


def test_open_deadlines_soonest_first_with_the_passed_ones_marked(engine, signed_in, case):
    today = datetime.now(LOCAL).date()
    started = today - timedelta(weeks=8, days=10)  # eight weeks ran out (Algemene termijnenwet) days ago
    late = engine.add_deadline(case.id, "Besluit aanvraag LKS", started, "P8W", actor="cm",
                               legal_basis="Awb 4:13")
    coming = engine.add_deadline(case.id, "Beslissing op bezwaar", today, "P6W", actor="cm")
    engine.add_deadline(case.id, "Streefdatum plan", today, "P1W", actor="cm", kind="streefdatum")
    other, _ = start_case(engine, gemeente="apeldoorn")
    engine.add_deadline(other.id, "Termijn in Apeldoorn", today, "P1W", actor="apel")
    page = signed_in("cm").get("/werkvoorraad/termijnen").get_data(as_text=True)
    assert "2 termijnen." in page
    assert page.index("Besluit aanvraag LKS") < page.index("Beslissing op bezwaar")  # soonest first
    assert f"{(today - late.due_date).days} dagen verstreken" in page and "Awb 4:13" in page
    assert f"nog {(coming.due_date - today).days} dagen" in page
    assert "Streefdatum plan" not in page and "Apeldoorn" not in page  # only fatale, only own gemeente
    soon = signed_in("cm").get("/werkvoorraad/termijnen?binnenkort=1").get_data(as_text=True)
    assert "1 termijn." in soon and "Beslissing op bezwaar" not in soon
    assert "Termijnbewaking" in signed_in("cm").get("/werkvoorraad").get_data(as_text=True)  # linked
