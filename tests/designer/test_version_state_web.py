"""Deactivating and reactivating a process version on the designer's process page (issue 20, item 8):
a procesontwerper of the version's gemeente, with a reason, a beheer-log line; new cases skip a
deactivated version, running cases continue; the version list reads "Versie 2 (Ooststellingwerf)"
next to "Versie 1 (alle gemeenten)"."""
from __future__ import annotations

from datetime import date

from casework.accounts.adminlog import recent
from engine.models.versions import latest_version
from tests.designer.helpers import GEMEENTE, edited_bundle, post_form, sign_in
from tests.engine.helpers import model_files

PEIL = {"peildatum": date(2026, 1, 31)}


def _versions(engine):
    """Ooststellingwerf's own version 1 of intake (the designer set-up, tests/designer/helpers.py) and an
    edited version 2."""
    with engine.db.connect() as conn:
        first = latest_version(conn, "intake", GEMEENTE)
    own = engine.deploy({k: v.encode() for k, v in edited_bundle().items()}, gemeente=GEMEENTE, actor="setup")
    [second] = own.new
    return first, second


def test_the_list_labels_versions_with_their_gemeente(app, engine):
    first, second = _versions(engine)
    assert (first.version, second.version) == (1, 2)
    shared = engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"), actor="release")
    # one sequence per process over all gemeenten: intake had 1 and 2, evaluatie only 1
    assert sorted((v.process_id, v.version) for v in shared.new) == [("evaluatie", 2), ("intake", 3)]
    page = sign_in(app, "ontwerper").get("/ontwerp/processen/intake").get_data(as_text=True)
    assert page.index("Versie 3 (alle gemeenten)") < page.index("Versie 2 (Ooststellingwerf)") \
        < page.index("Versie 1 (Ooststellingwerf)")
    assert "(*)" not in page


def test_deactivate_then_reactivate_with_a_reason(app, engine):
    first, second = _versions(engine)
    designer = sign_in(app, "ontwerper")
    refused = post_form(designer, f"/ontwerp/versies/{second.id}/deactiveren", {"reden": " "})
    assert refused.status_code == 302
    assert "Reden: geef op waarom" in designer.get("/ontwerp/processen/intake").get_data(as_text=True)
    post_form(designer, f"/ontwerp/versies/{second.id}/deactiveren", {"reden": "fout in de voorwaarde"})
    page = designer.get("/ontwerp/processen/intake").get_data(as_text=True)
    assert "Gedeactiveerd (geen nieuwe zaken)" in page and "fout in de voorwaarde" in page
    case, _ = engine.start_case(GEMEENTE, "999990019", "Jan", "intake", PEIL)
    with engine.db.connect() as conn:
        assert latest_version(conn, "intake", GEMEENTE).id != second.id
    post_form(designer, f"/ontwerp/versies/{second.id}/activeren", {"reden": "voorwaarde klopt toch"})
    with engine.db.connect() as conn:
        assert latest_version(conn, "intake", GEMEENTE).id == second.id
    lines = recent(engine.db, GEMEENTE, subject="intake")
    assert [line.action for line in lines] == ["versie_geactiveerd", "versie_gedeactiveerd"]
    assert "reden: fout in de voorwaarde" in lines[1].detail and lines[1].actor == "ontwerper"


def test_only_a_procesontwerper_of_the_gemeente_and_never_the_last_version(app, engine):
    first, second = _versions(engine)
    beheer = sign_in(app, "beheer")
    assert post_form(beheer, f"/ontwerp/versies/{second.id}/deactiveren", {"reden": "x"}).status_code == 403
    designer = sign_in(app, "ontwerper")
    post_form(designer, f"/ontwerp/versies/{second.id}/deactiveren", {"reden": "terug naar 1"})
    post_form(designer, f"/ontwerp/versies/{first.id}/deactiveren", {"reden": "alles uit"})
    page = designer.get("/ontwerp/processen/intake").get_data(as_text=True)
    assert "Versie 1 is de laatste actieve versie van intake" in page
    with engine.db.connect() as conn:
        assert latest_version(conn, "intake", GEMEENTE).id == first.id  # nothing half-written
    shared = next(v for v in engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"), actor="release").new
                  if v.process_id == "intake")
    post_form(designer, f"/ontwerp/versies/{shared.id}/deactiveren", {"reden": "x"})
    assert "met een release beheerd" in designer.get("/ontwerp/processen/intake").get_data(as_text=True)


def test_the_process_page_lists_the_decision_tests_of_the_decisions_it_calls(app, engine):
    """klant_in_beeld calls LadderSpoor (bpmn/processes/participatiewet/klant_in_beeld.bpmn)."""
    from casework.designer import model_tests
    from processes.catalogue import bundles

    bundle = next(b for b in bundles() if b.name == "participatiewet")
    engine.deploy(bundle.files, gemeente=GEMEENTE, actor="setup")
    model_tests.add_test(engine.db, GEMEENTE, "decision", "LadderSpoor", "trede 1 naar activering",
                         '{"inputs": {"trede": 1}, "expect": {"spoor": "activering"}}', "ontwerper")
    model_tests.add_test(engine.db, GEMEENTE, "decision", "Looptijd", "looptijd",
                         '{"inputs": {}, "expect": {}}', "ontwerper")
    page = sign_in(app, "ontwerper").get("/ontwerp/processen/klant_in_beeld").get_data(as_text=True)
    listed = page[page.index('id="beslistests"'):]
    assert "trede 1 naar activering" in listed and "LadderSpoor" in listed
    assert "looptijd" not in listed  # another process's decision
