"""Walking a jobcoaching subsidy year: the quarterly reports and the half-yearly evaluation that
seed 002 art 28 C asks for, up to the jaarevaluatie (shared by the jobcoaching process tests)."""

from __future__ import annotations

from datetime import date

from engine.service import CaseEngine
from tests.processes.helpers import advance_to, do, task_names

RAPPORTAGE = {"urenKwartaal": 9, "toelichting": "Urenverantwoording conform coachingplan."}
EVALUATIE = {
    "werknemerAanwezig": True,
    "verslag": "Doelen op schema; minder begeleiding nodig bij het orderpicken.",
    "coachingplanGeactualiseerd": False,
}


def walk_subsidiejaar(engine: CaseEngine, case_id: int, until: date) -> list[str]:
    """Move the clock to ``until`` and do every quarterly report and evaluation that fell due by
    then (all on that day); returns the task names done, in order."""
    done: list[str] = []
    while True:
        advance_to(engine, until)
        ready = task_names(engine, case_id)
        if "kwartaalrapportage" in ready:
            today = engine.clock.now().date()
            do(engine, case_id, "kwartaalrapportage", {"rapportageOntvangenOp": today, **RAPPORTAGE})
            done.append("kwartaalrapportage")
        elif "halfjaarevaluatie" in ready:
            today = engine.clock.now().date()
            do(engine, case_id, "halfjaarevaluatie", {"gesprekGevoerdOp": today, **EVALUATIE})
            done.append("halfjaarevaluatie")
        else:
            return done
