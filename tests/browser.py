"""What the browser and live-server tests share: Debian's Chromium, axe-core, a served app.

The ``browser`` fixture itself lives in tests/conftest.py (one Chromium per test module).
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from casework.accounts import demo

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = demo.DEMO_PASSWORD


def demo_app(tmp_path_factory, label: str):
    """A migrated SQLite app with every bundled process deployed and the demo accounts: what
    `make run` serves, for the browser tests that walk it. Returns (app, engine)."""
    from cli.schema import upgrade
    from processes.catalogue import deploy_all
    from web.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp(label) / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test"})
    engine = app.extensions["trede.engine"]
    deploy_all(engine)
    demo.load(engine)
    return app, engine


@contextmanager
def serving(app, poll_interval: float = 0.5) -> Iterator[str]:
    """``app`` (any WSGI app) on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": poll_interval},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def chromium() -> Iterator:
    """A headless Debian Chromium driven by Playwright, for as long as the generator lives."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium "
                    "(run: bash scripts/setup.sh --browser)")
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run npm install (scripts/setup.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


def assert_accessible(page) -> None:
    # Evaluated through the DevTools protocol, not added as an inline <script>: the pages' CSP
    # (script-src 'self') rightly blocks inline scripts, and we test the pages with their CSP on.
    page.evaluate("(source) => { if (!window.axe) { (0, eval)(source); } }", AXE.read_text())
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    problems = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"]]
    assert problems == [], f"axe on {page.url}:\n" + "\n".join(problems)


def sign_in(browser, base: str, username: str):
    """A new browser context signed in as ``username`` (demo password) on the app served at ``base``."""
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(base + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page
