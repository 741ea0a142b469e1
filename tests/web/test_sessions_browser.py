"""Sessions end on the server, in real headless Chromium (issue 17, finding 3): a case manager
signs out and the cookie they had, replayed in another browser, opens the sign-in page; a
beheerder deactivates a colleague who is signed in, whose next click opens the sign-in page."""
from __future__ import annotations

import pytest

from casework.accounts.service import create_user
from cli.schema import upgrade
from tests.browser import assert_accessible, serving
from tests.web.helpers import PASSWORD, add_users, deploy
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sessions-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    add_users(engine)
    create_user(engine.db, "beh", PASSWORD, "Bea Beheer", "ooststellingwerf", ["beheerder"])
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def _sign_in(browser, live, username: str):
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(live["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()
    return page


def _session_cookies(page) -> list[dict]:
    return [c for c in page.context.cookies() if c["name"] == "session"]


def test_a_cookie_replayed_after_sign_out_opens_the_sign_in_page(browser, live):
    page = _sign_in(browser, live, "cm")
    page.get_by_role("heading", name="Werkvoorraad").wait_for()
    page.reload()  # the server sends the cookie back refreshed: that is the copy to replay
    stolen = _session_cookies(page)
    assert stolen

    page.get_by_role("button", name="Afmelden").click()
    page.get_by_text("U bent afgemeld.").wait_for()
    page.context.close()

    replay = browser.new_context(locale="nl-NL")
    replay.add_cookies(stolen)
    other = replay.new_page()
    other.goto(live["base"] + "/werkvoorraad")
    assert "/login" in other.url
    other.get_by_role("button", name="Aanmelden").wait_for()
    assert other.get_by_role("heading", name="Werkvoorraad").count() == 0
    assert_accessible(other)
    replay.close()


def test_a_user_deactivated_while_signed_in_gets_the_sign_in_page_at_the_next_click(browser, live):
    colleague = _sign_in(browser, live, "cm2")
    colleague.get_by_role("heading", name="Werkvoorraad").wait_for()

    beheer = _sign_in(browser, live, "beh")
    beheer.goto(live["base"] + "/beheer")
    beheer.get_by_role("link", name="Kees Collega").click()
    beheer.get_by_label("Reden").fill("uit dienst")
    beheer.get_by_role("button", name="Gebruiker deactiveren").click()
    beheer.get_by_text("De gebruiker is gedeactiveerd.").wait_for()
    beheer.context.close()

    colleague.reload()
    assert "/login" in colleague.url
    colleague.get_by_role("button", name="Aanmelden").wait_for()
    colleague.context.close()
