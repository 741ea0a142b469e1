"""The rules live in the use cases (issue 15): a caller that skips the pages meets them all the same."""
from __future__ import annotations

import pytest

from casework.accounts.service import create_user
from casework.closing import close_case
from casework.context import Channel, Context
from casework.destruction import propose
from casework.errors import NotAllowed
from casework.people import find_user
from casework.tasks import complete_task


def _context(app, engine, username):
    return Context(engine, find_user(engine.db, username), Channel("cli"),
                   app.extensions["trede.pseudonymizer"])


def test_an_auditor_reads_but_never_completes_a_task(app, engine, case):
    create_user(engine.db, "aud", "", "Ad Auditor", "ooststellingwerf", ["auditor"], password_hash="x")
    task = engine.ready_tasks(case_id=case.id)[0]
    with pytest.raises(NotAllowed):
        complete_task(_context(app, engine, "aud"), task.task_id, {"trede": 3}, None)
    assert [t.task_id for t in engine.ready_tasks(case_id=case.id)] == [task.task_id]


def test_a_case_of_another_gemeente_cannot_be_closed(app, engine, case):
    from engine.errors import NotFound

    with pytest.raises(NotFound):
        close_case(engine, find_user(engine.db, "apel"), case.id, "afgebroken")
    assert engine.get_case(case.id).version == case.version  # nothing written


def test_only_a_beheerder_proposes_a_destruction_list(app, engine, case):
    with pytest.raises(NotAllowed):
        propose(engine, find_user(engine.db, "cm"), [case.case_number])


def _letter(engine, case) -> int:
    from sqlalchemy import select

    from engine.storage.db import cases
    from processes import beschikking
    from tests.processes.helpers import mark_sent

    with engine.db.begin() as conn:
        row = dict(conn.execute(select(cases).where(cases.c.id == case.id)).mappings().one())
        letter = beschikking.issue(conn, row, onderwerp="Uitstroompremie", besluit="afwijzen",
                                   motivering="Te vroeg aangevraagd.", regel="Seed 002 art. 15", actor="lead",
                                   now=engine.clock.now())
        return mark_sent(conn, letter, engine.clock.now().date())


def test_a_bezwaar_registered_outside_the_pages_meets_the_same_rules_and_is_logged(app, engine, case):
    # Awb 6:5 (gronden), 7:10 (beslistermijn); the processing-log line lands with the bezwaar.
    from casework import bezwaar
    from casework.accounts.admin import FormErrors
    from engine.audit.processing_log import LogQuery, search
    from engine.errors import NotFound

    letter = _letter(engine, case)
    form = {"beschikking_id": str(letter), "ontvangen_op": engine.clock.now().date().isoformat(),
            "gronden": "Ik heb wel op tijd aangevraagd."}
    with pytest.raises(FormErrors) as refused:
        bezwaar.register(_context(app, engine, "cm"), case.id, {**form, "ontvangen_op": "gisteren"})
    assert refused.value.errors == {"ontvangen_op": "Ontvangen op: vul een datum in (jjjj-mm-dd)."}
    with pytest.raises(FormErrors) as refused:
        bezwaar.register(_context(app, engine, "cm"), case.id, {**form, "gronden": " "})
    assert list(refused.value.errors) == ["gronden"]
    with pytest.raises(NotFound):  # another gemeente's case: as if it did not exist
        bezwaar.register(_context(app, engine, "apel"), case.id, form)
    assert engine.get_case(case.id).version == case.version  # nothing of the refusals written

    found = bezwaar.register(_context(app, engine, "cm"), case.id, form)
    assert found.status == "ingediend"
    lines = search(engine.db, LogQuery("ooststellingwerf", activity_key="taak-afhandelen"),
                   app.extensions["trede.pseudonymizer"])
    assert [(line["actor"], line["object_ref"], line["result"]) for line in lines] == [
        ("cm", case.case_number, f"bezwaar {found.id} geregistreerd (ingediend)")]


def test_only_a_casemanager_or_teamleider_decides_on_a_bezwaar(app, engine, case):
    from casework import bezwaar

    letter = _letter(engine, case)
    found = bezwaar.register(_context(app, engine, "cm"), case.id, {
        "beschikking_id": str(letter), "ontvangen_op": engine.clock.now().date().isoformat(),
        "gronden": "Oneens."})
    create_user(engine.db, "aud", "", "Ad Auditor", "ooststellingwerf", ["auditor"], password_hash="x")
    with pytest.raises(NotAllowed):
        bezwaar.decide(_context(app, engine, "aud"), case.id, found.id, "ongegrond", "Juist besloten.",
                       horen="gehoord")
    # Awb 7:2: the hearing (or its 7:3 ground) is part of the decision; without it nothing is decided
    from casework.accounts.admin import FormErrors
    with pytest.raises(FormErrors) as refused:
        bezwaar.decide(_context(app, engine, "cm"), case.id, found.id, "ongegrond", "Juist besloten.")
    assert refused.value.errors["horen"].startswith("Horen: kies")
    decided = bezwaar.decide(_context(app, engine, "cm"), case.id, found.id, "ongegrond", "Juist besloten.",
                             horen="gehoord")
    assert decided.status == "ongegrond"


def test_only_a_designer_or_beheerder_moves_running_cases_to_another_version(app, engine, case):
    from casework.designer import case_migration

    cm = find_user(engine.db, "cm")
    with pytest.raises(NotAllowed):
        case_migration.migrate(engine, cm, "intake", 1, [1])
    with pytest.raises(NotAllowed):
        case_migration.revert(engine, cm, "intake", 1)
    assert engine.get_case(case.id).version == case.version


def test_a_use_cases_log_line_is_sealed_with_the_installations_key(app, engine):
    # The processing log's chain head is sealed like the case histories (engine.audit.log_chain); a
    # line written by a use case must be sealed with the key verify checks, not a default one.
    from engine.audit import log_chain
    from engine.audit.seal import Sealer
    from engine.service import CaseEngine
    from engine.storage.db import utcnow

    installation = CaseEngine(engine.db, sealer=Sealer(b"s" * 32))
    ctx = Context(installation, find_user(engine.db, "cm"), Channel("cli"),
                  app.extensions["trede.pseudonymizer"])
    ctx.log("taak-afhandelen", None, "Z2026-000001", "concept opgeslagen", True, utcnow())
    with engine.db.connect() as conn:
        assert log_chain.verify(conn, "ooststellingwerf", installation.sealer).ok
