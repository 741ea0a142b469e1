"""Versions a person can read, in real headless Chromium (Debian's /usr/bin/chromium), axe-checked
(issue 20, item 8): the version list labels each version with its gemeente in one sequence; the
designer deactivates version 2 with a reason, a new case then starts on version 1 while version 2
keeps no new cases, and reactivating version 2 makes new cases start on it again."""
from __future__ import annotations

from datetime import date

import pytest
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from cli.schema import upgrade
from engine.storage.db import instances
from tests.browser import assert_accessible, serving
from tests.designer.helpers import GEMEENTE, PASSWORD, USERS, edited_bundle
from tests.engine.helpers import TEST_SEALER, model_files
from web.app import create_app

pytestmark = pytest.mark.browser
PEIL = {"peildatum": date(2026, 1, 31)}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('versions') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "version-state-browser-test"})
    engine = app.extensions["trede.engine"]
    engine.sealer = TEST_SEALER
    engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"), actor="release")  # versie 1, alle gemeenten
    engine.deploy({k: v.encode() for k, v in edited_bundle().items()}, gemeente=GEMEENTE, actor="setup")
    hashed = generate_password_hash(PASSWORD)
    for username, naam, roles in USERS:
        create_user(engine.db, username, PASSWORD, naam, GEMEENTE, roles, password_hash=hashed)
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def _started_on(engine, case_id: int) -> int:
    from engine.models.versions import get_version

    with engine.db.connect() as conn:
        version_id = conn.execute(instances.select().where(instances.c.case_id == case_id)).mappings().one()[
            "process_version_id"]
        return get_version(conn, version_id).version


def _row(page, label: str):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=label, exact=False))


def test_deactivate_version_2_start_a_case_on_version_1_and_reactivate(browser, live):
    engine = live["engine"]
    page = browser.new_context(locale="nl-NL").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill("ontwerper")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()

    page.goto(live["base"] + "/ontwerp/processen/intake")
    table = page.locator("table").first
    firsts = table.locator("tbody tr td:first-child").all_inner_texts()
    labels = [text.split(" (actief)")[0] for text in firsts]
    assert labels == ["Versie 2 (Ooststellingwerf)", "Versie 1 (alle gemeenten)"]
    assert "(actief)" in _row(page, "Versie 2 (Ooststellingwerf)").inner_text()
    assert "(*)" not in page.content()
    assert_accessible(page)

    # the shared version is a release's: no buttons on it for a gemeente's designer
    assert _row(page, "Versie 1 (alle gemeenten)").get_by_role("button").count() == 0
    page.get_by_label("Reden (versie 2)").fill("voorwaarde bij trede 3 klopt niet")
    page.get_by_role("button", name="Deactiveren (versie 2)").click()
    page.wait_for_load_state()
    assert page.get_by_text("Versie 2 is gedeactiveerd: nieuwe zaken starten er niet meer op").is_visible()
    second = _row(page, "Versie 2 (Ooststellingwerf)").inner_text()
    assert "Gedeactiveerd (geen nieuwe zaken)" in second and "voorwaarde bij trede 3 klopt niet" in second
    assert "(actief)" in _row(page, "Versie 1 (alle gemeenten)").inner_text()
    assert_accessible(page)

    case, _ = engine.start_case(GEMEENTE, "999990019", "Jan Jansen", "intake", PEIL)
    assert _started_on(engine, case.id) == 1
    page.reload()
    cells = _row(page, "Versie 1 (alle gemeenten)").locator("td").all_inner_texts()
    assert cells[5] == "1"  # Lopende zaken: the new case runs on version 1

    page.get_by_label("Reden (versie 2)").fill("voorwaarde toch juist")
    page.get_by_role("button", name="Weer activeren (versie 2)").click()
    page.wait_for_load_state()
    assert page.get_by_text("Versie 2 is weer actief.").is_visible()
    assert "(actief)" in _row(page, "Versie 2 (Ooststellingwerf)").inner_text()
    assert_accessible(page)
    again, _ = engine.start_case(GEMEENTE, "999990020", "Piet Jansen", "intake", PEIL)
    assert _started_on(engine, again.id) == 2
    assert errors == []
