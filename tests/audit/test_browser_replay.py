"""The visual replay in real headless Chromium: step through a case and see the path light up."""
from __future__ import annotations

import pytest

from casework.accounts import demo
from cli.schema import upgrade
from tests.browser import PASSWORD, assert_accessible, serving
from tests.web.helpers import BSN, deploy, start_case
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('audit-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test",
                      "PSEUDONYM_KEY": "00112233445566778899aabbccddeeff"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    demo.load(engine)
    case, _ = start_case(engine)
    engine.complete(engine.ready_tasks(case_id=case.id)[0].task_id, {"trede": 3}, actor="cm")
    engine.complete(engine.ready_tasks(case_id=case.id)[0].task_id, {"besluit": "toekennen"}, actor="cm")
    with serving(app) as base:
        yield {"base": base, "case": case}
    engine.db.dispose()


def _sign_in(browser, live):
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(live["base"] + "/audit/")
    page.get_by_label("Gebruikersnaam").fill("auditor.ooststellingwerf")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/audit/")
    return page


def _marked(page, marker: str) -> set[str]:
    return set(page.eval_on_selector_all(f"#diagram .djs-element.{marker}",
                                         "els => els.map(e => e.getAttribute('data-element-id'))"))


def _at_step(page, seq: int) -> None:
    page.wait_for_selector(f"#afspelen[data-current-step='{seq}']")


def test_auditor_steps_through_the_replay_with_the_keyboard(browser, live, tmp_path):
    errors: list[str] = []
    page = _sign_in(browser, live)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    number = live["case"].case_number
    assert number in page.get_by_role("table").inner_text()  # the gemeente's cases, listed
    assert_accessible(page)
    page.get_by_label("Zaaknummer").fill(number)
    page.get_by_role("button", name="Zaak openen").click()
    page.get_by_role("heading", name=f"Zaakhistorie {number}").wait_for()
    page.get_by_role("heading", name="Verificatie: de historie klopt", exact=True).wait_for()
    page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Zaak stap voor stap afspelen").click()
    _at_step(page, 1)
    page.wait_for_selector("#diagram .djs-element[data-element-id='diagnose']")
    assert "Stap 1 van 4: Dossier geopend" in page.locator("#stap-positie").inner_text()
    assert _marked(page, "audit-done") == set()

    page.get_by_role("button", name="Volgende stap").focus()
    page.keyboard.press("ArrowRight")
    _at_step(page, 2)
    assert _marked(page, "audit-current") == {"start"}

    page.keyboard.press("Enter")  # the focused button itself, by keyboard
    _at_step(page, 3)
    assert _marked(page, "audit-done") >= {"start", "diagnose", "f1"}  # the flow between them too
    assert _marked(page, "audit-current") == {"diagnose"}
    details = page.locator("#stap-details").inner_text()
    assert "Diagnose klant in beeld" in details and "cm" in details and "trede" in details

    page.keyboard.press("End")
    _at_step(page, 4)
    assert _marked(page, "audit-done") >= {"start", "diagnose", "besluit", "f1", "f2"}
    assert _marked(page, "audit-current") == {"besluit"}
    assert "afronden" not in _marked(page, "audit-done")
    assert page.get_by_role("button", name="Volgende stap").is_disabled()
    page.screenshot(path=str(tmp_path / "replay.png"), full_page=True)  # kept for a person to look at

    page.get_by_role("button", name="Eerste stap").click()
    _at_step(page, 1)
    assert _marked(page, "audit-done") == set()
    assert_accessible(page)
    assert errors == []
    page.context.close()


def test_auditor_searches_the_processing_log_by_bsn(browser, live):
    page = _sign_in(browser, live)
    page.get_by_role("link", name="Verwerkingenlogboek").click()
    page.get_by_role("heading", name="Verwerkingenlogboek").wait_for()
    assert_accessible(page)
    page.get_by_label("BSN van de inwoner").fill(BSN)
    page.get_by_role("button", name="Zoeken").click()
    status = page.get_by_role("status").filter(has_text="gevonden voor de opgegeven inwoner")
    status.wait_for()
    assert "regel" in status.inner_text()
    assert BSN not in page.url and BSN not in page.content()  # not in the address bar, not echoed
    assert_accessible(page)
    page.get_by_role("link", name="Verwerkingsregister").click()
    page.get_by_role("heading", name="Verwerkingsregister").wait_for()
    assert_accessible(page)
    page.context.close()
