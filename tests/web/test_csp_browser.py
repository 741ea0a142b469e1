"""The pages work under their Content-Security-Policy: no violation reported in Chromium's console.

Each role signs in and visits its main pages, including the ones with the most script (the bpmn-js
replay viewer and the modeler). Any "Refused to ..." console message or securitypolicyviolation
event fails the test.
"""
from __future__ import annotations

import pytest

from casework.accounts import demo
from cli.schema import upgrade
from tests.browser import PASSWORD, serving
from tests.web.helpers import deploy, start_case
from web.app import create_app

pytestmark = pytest.mark.browser
G = "ooststellingwerf"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('csp') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "csp-test"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    demo.load(engine)
    case, _ = start_case(engine)
    with serving(app) as base:
        yield {"base": base, "case": case}
    engine.db.dispose()


def _visit(browser, site, role: str, paths: list[str], follow: tuple[str, ...] = ()) -> list[str]:  # noqa: F811
    context = browser.new_context(locale="nl-NL")
    violations: list[str] = []
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    page.on("console", lambda m: violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "CSP violation" in m.text or "Refused to" in m.text
            else None)
    page.on("pageerror", lambda e: violations.append(f"{page.url}: script error {e}"))
    page.goto(site["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill(f"{role}.{G}")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state("networkidle")
    for path in paths:
        response = page.goto(site["base"] + path)
        assert response.status < 400, (role, path, response.status)
        page.wait_for_load_state("networkidle")
    for selector in follow:  # open the first link matching each selector (ids not known up front)
        href = page.eval_on_selector(selector, "a => a.getAttribute('href')")
        page.goto(site["base"] + href)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # the modeler/viewer renders after its fetch
    context.close()
    return violations


def test_pages_run_under_the_csp_without_violations(browser, site):  # noqa: F811
    case = site["case"]
    found = []
    dossier = f"/dossier/zaak/{case.id}"
    found += _visit(browser, site, "casemanager", ["/werkvoorraad", "/dossier/nieuw", dossier],
                    follow=("a[href^='/taken/']",))
    found += _visit(browser, site, "teamleider", ["/werkvoorraad?view=alle"])
    audit_case = f"/audit/zaken/{case.case_number}"
    found += _visit(browser, site, "auditor",
                    ["/audit/", audit_case, "/audit/logboek", "/audit/logboek/keten",
                     audit_case + "/afspelen"])
    found += _visit(browser, site, "procesontwerper", ["/ontwerp"],
                    follow=("a[href^='/ontwerp/processen/']", "a[href*='/modeler']"))
    found += _visit(browser, site, "privacy", ["/inzage"])
    assert found == []


def test_the_violation_detector_itself_works(browser, site):  # noqa: F811
    """A canary: an inline script added at runtime is blocked and reported (silence above means something)."""
    messages: list[str] = []
    page = browser.new_context().new_page()
    page.on("console", lambda m: messages.append(m.text))
    page.goto(site["base"] + "/login")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
                  " document.body.appendChild(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.x") is None
    assert any("Content Security Policy" in m for m in messages)
    page.context.close()
