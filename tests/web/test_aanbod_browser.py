"""The public offer form (seed 000) in headless Chromium: errors per field, then a receipt; axe-checked."""

from __future__ import annotations

import pytest

from cli.schema import upgrade
from processes.catalogue import deploy_all
from processes.documents import Documents
from tests.browser import assert_accessible, serving
from tests.web.test_casefiles import offer_case
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def public_site(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('aanbod') / 'trede.db'}"
    upgrade(url)
    # plain http on 127.0.0.1: the session cookie (which carries the CSRF token) may not be "Secure"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test", "SESSION_COOKIE_SECURE": False})
    engine = app.extensions["trede.engine"]
    deploy_all(engine)
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def test_provider_submits_an_offer_with_evidence(browser, public_site, tmp_path):  # noqa: F811
    evidence = tmp_path / "verzekering.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% polis aansprakelijkheid\n")
    # bypass_csp: only so axe can be injected; the page itself runs no inline script
    page = browser.new_context(locale="nl-NL", bypass_csp=True).new_page()
    page.goto(public_site["base"] + "/aanbod/")
    assert "/login" not in page.url  # public: no sign-in
    assert_accessible(page)

    page.get_by_label("Naam organisatie").fill("Zorgboerderij De Vlinder")
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_role("button", name="Aanbod indienen").click()
    assert page.get_by_text("Een KvK-nummer bestaat uit 8 cijfers.").is_visible()
    assert page.get_by_text("Voeg de bewijsstukken toe").is_visible()
    assert page.get_by_label("Naam organisatie").input_value() == "Zorgboerderij De Vlinder"  # kept
    assert_accessible(page)

    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_label("Contactpersoon").fill("Els de Smet")
    page.get_by_label("E-mailadres").fill("els@devlinder.nl")
    page.get_by_label("Plaats van de werkplek").fill("Oostburg")
    page.get_by_label("Werkzaamheden en begeleiding").fill("Dierverzorging en tuinwerk.")
    page.get_by_label("De werkzaamheden worden in de regio Zeeuws-Vlaanderen aangeboden.").check()
    page.get_by_label("Bewijsstukken").set_input_files(str(evidence))
    page.get_by_role("button", name="Aanbod indienen").click()
    page.get_by_role("heading", name="Uw aanbod is ontvangen").wait_for()
    kenmerk = page.locator("strong").first.inner_text()
    engine = public_site["engine"]
    assert kenmerk.startswith("AANBOD-")  # not the case number: that would show the global counter
    case_id = offer_case(engine, kenmerk)
    assert [d.filename for d in Documents(engine).list(case_id)] == ["verzekering.pdf"]
    assert [t.task_name for t in engine.ready_tasks(case_id=case_id)] == ["toetsen"]
    assert_accessible(page)
