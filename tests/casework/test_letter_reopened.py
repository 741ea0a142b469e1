"""A letter whose decision is reopened (issue 18 items 4 and 9), on SQLite and PostgreSQL with the real
werknemersvoorziening model (seed 002 par. 3B.4).

Awb 3:41: a beschikking takes effect by being sent, so a concept whose decision a teamleider reopens
must never go out: it is withdrawn, the dossier says so with the reason, and the new decision gets a
letter of its own. A letter already sent counts and is changed only through bezwaar or a new decision
(Awb 4:48-4:50): it is flagged "verzonden op basis van een heropend besluit", not withdrawn.
"""
from __future__ import annotations

import pytest

from casework import correction, letters
from casework.accounts.service import create_user
from casework.context import Channel, Context
from casework.people import find_user
from casework.tasks import complete_task, find_task
from engine.audit.processing_log import Pseudonymizer
from engine.errors import ConflictError
from processes import beschikking
from tests.processes.helpers import TEAMLEIDER, do, make_engine, send_letters
from tests.processes.test_werknemersvoorziening import AANVRAAG, REDELIJK, start

ADRES = {"straat": "Kerkstraat 1", "postcode": "8431 AA", "woonplaats": "Oosterwolde"}
REDEN = "Verkeerde offerte gebruikt."


@pytest.fixture
def decided(db):
    engine = make_engine(db)
    case, _ = start(engine)
    do(engine, case.id, "aanvraag", AANVRAAG)
    do(engine, case.id, "redelijkheid", REDELIJK)
    task = do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    for name in (TEAMLEIDER, "tl.devries"):
        create_user(engine.db, name, "", name.replace(".", " ").title(), "ooststellingwerf", ["teamleider"],
                    password_hash="x")
    return engine, case, task


def _as(engine, name: str) -> Context:
    return Context(engine, find_user(engine.db, name), Channel("cli"), Pseudonymizer(b"k" * 32))


def _letters(engine, case_id):
    return beschikking.BezwaarService(engine).list(case_id)[0]


def test_a_concept_whose_decision_is_reopened_is_withdrawn_and_the_new_decision_gets_its_own(decided):
    engine, case, task = decided
    (concept,) = _letters(engine, case.id)
    correction.correct(_as(engine, "tl.devries"), case.id, task.task_id, REDEN)
    (withdrawn,) = _letters(engine, case.id)
    assert (withdrawn.brief_status, withdrawn.heropend) == ("ingetrokken", REDEN)
    assert beschikking.letter_state(withdrawn) == f"ingetrokken: het besluit is heropend ({REDEN})"
    # it can be neither checked nor sent afterwards, whoever tries
    with pytest.raises(ConflictError, match="ingetrokken"):
        letters.check_letter(_as(engine, TEAMLEIDER), case.id, concept.id)
    with pytest.raises(ConflictError, match="ingetrokken"):
        letters.send_letter(_as(engine, TEAMLEIDER), case.id, concept.id, ADRES)
    event = engine.history(case.id)[-1]
    assert (event.kind, event.payload) == ("beschikking_ingetrokken", {
        "beschikking_id": concept.id, "brief_status": "ingetrokken", "reden": REDEN})
    # the colleague decides again (Awb 7:5 does not apply: no bezwaar): a new concept for the new decision
    other = _as(engine, "tl.devries")
    complete_task(other, find_task(engine.db, other.user, task.task_id),
                  {"besluit": "afwijzen", "motivering": "De offerte is te hoog."}, None)
    old, new = _letters(engine, case.id)
    assert (old.brief_status, new.brief_status, new.besluit) == ("ingetrokken", "concept", "afwijzen")
    letters.check_letter(_as(engine, TEAMLEIDER), case.id, new.id)
    assert letters.send_letter(_as(engine, TEAMLEIDER), case.id, new.id, ADRES).verzonden
    assert engine.verify(case.id).ok, engine.verify(case.id).problems


def test_a_sent_letter_is_not_withdrawn_but_flagged(decided):
    engine, case, task = decided
    send_letters(engine, case.id)
    correction.correct(_as(engine, "tl.devries"), case.id, task.task_id, REDEN)
    (sent,) = _letters(engine, case.id)
    assert (sent.brief_status, sent.status, sent.heropend) == ("verzonden", "geldig", REDEN)
    assert beschikking.letter_state(sent) == (
        f"verzonden; verzonden op basis van een heropend besluit ({REDEN})")
    assert engine.history(case.id)[-1].kind == "beschikking_heropend"
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
