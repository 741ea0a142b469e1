"""Every bundled process opens readable in the modeler (issue 20 item 4), in Debian Chromium.

As a procesontwerper at a 1400 px window: the drawing takes the free width, each process opens with
its lanes drawn and named and no shape on top of another, at a size that can be read; clicking a
problem in the list scrolls the drawing to its element and selects it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from cli.schema import upgrade
from tests.browser import assert_accessible, serving
from tests.designer.helpers import GEMEENTE, PASSWORD, USERS
from tests.engine.helpers import TEST_SEALER
from web.app import create_app

pytestmark = pytest.mark.browser

PROCESSES = Path(__file__).resolve().parents[2] / "bpmn" / "processes"
BUNDLES = ("participatiewet", "apeldoorn", "zeeuws-vlaanderen")


def bundle(name: str) -> dict[str, bytes]:
    folder = PROCESSES / name
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.suffix in (".bpmn", ".dmn", ".json")}


def process_ids() -> list[str]:
    return sorted(p.stem for name in BUNDLES for p in (PROCESSES / name).glob("*.bpmn"))


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('diagrams') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "diagram-browser-test"})
    engine = app.extensions["trede.engine"]
    engine.sealer = TEST_SEALER
    for name in BUNDLES:
        engine.deploy(bundle(name), gemeente=GEMEENTE, actor="setup")
    hashed = generate_password_hash(PASSWORD)
    for username, naam, roles in USERS:
        create_user(engine.db, username, PASSWORD, naam, GEMEENTE, roles, password_hash=hashed)
    with serving(app) as base:
        yield base
    engine.db.dispose()


@pytest.fixture(scope="module")
def designer(browser, live):
    page = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 900}).new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.goto(live + "/login")
    page.get_by_label("Gebruikersnaam").fill("ontwerper")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    return page


# What the drawing shows, read from the page: lanes with their names, shapes in screen pixels.
SEEN = """() => {
  const canvas = document.querySelector('#canvas');
  const frame = canvas.getBoundingClientRect();
  const shapes = [...canvas.querySelectorAll('g.djs-shape')].map(g => {
    const r = g.querySelector('.djs-visual').getBoundingClientRect();
    return {id: g.dataset.elementId, x: r.x, y: r.y, w: r.width, h: r.height};
  });
  const lanes = [...canvas.querySelectorAll('g.djs-shape')]
    .filter(g => g.querySelector('.djs-visual > rect') && g.dataset.elementId.indexOf('_label') < 0)
    .map(g => g.dataset.elementId);
  const names = [...canvas.querySelectorAll('g.djs-shape .djs-visual text')].map(t => t.textContent);
  return {frame: {w: frame.width, h: frame.height}, shapes, names};
}"""


def open_process(page, base: str, process_id: str) -> dict:
    page.goto(f"{base}/ontwerp/processen/{process_id}")
    page.get_by_role("link", name="Openen in modeler (versie 1)").click()
    page.wait_for_selector("#designer[data-ready='true']")
    page.wait_for_selector(f"#designer[data-opened$='{process_id}.bpmn']")
    return page.evaluate(SEEN)


@pytest.mark.parametrize("process_id", process_ids())
def test_each_bundled_process_opens_with_its_lanes_and_no_overlap(designer, live, process_id):
    from tests.designer.test_bundled_diagrams import overlap  # the same notion as the file check

    seen = open_process(designer, live, process_id)
    lanes = designer.evaluate("""() => {
      const registry = window.tredeDesigner.bpmn.get('elementRegistry');
      return registry.filter(e => e.type === 'bpmn:Lane').map(e => e.businessObject.name || e.id);
    }""")
    assert lanes, "the lanes are drawn"
    for name in lanes:  # each lane's name is written in its band
        assert any(name.replace(" ", "") in text.replace(" ", "") for text in seen["names"]) or \
            designer.locator("#canvas").get_by_text(name).count() > 0
    assert seen["frame"]["w"] >= 0.6 * 1400, "the drawing takes the free width of the window"
    nodes = designer.evaluate("""() => window.tredeDesigner.bpmn.get('elementRegistry')
      .filter(e => e.type !== 'bpmn:Lane' && e.type !== 'bpmn:Process' && e.type !== 'label' && !e.waypoints
                   && e.type !== 'bpmn:BoundaryEvent')
      .map(e => ({id: e.id, x: e.x, y: e.y, w: e.width, h: e.height}))""")
    boxes = {n["id"]: (n["x"], n["y"], n["w"], n["h"]) for n in nodes}
    ids = sorted(boxes)
    for index, a in enumerate(ids):
        for b in ids[index + 1:]:
            assert not overlap(boxes[a], boxes[b]), f"{a} and {b} overlap in {process_id}"
    scale = designer.evaluate("() => window.tredeDesigner.bpmn.get('canvas').zoom()")
    assert scale >= 0.5, f"{process_id} opens at {scale:.2f}: too small to read"
    assert designer.js_errors == []


def test_a_problem_in_the_list_scrolls_to_its_element(designer, live):
    open_process(designer, live, "voorziening")
    designer.evaluate("() => window.tredeDesigner.bpmn.get('canvas').zoom(1.0, {x: 0, y: 0})")
    far = designer.evaluate("""() => {  // a step at the far right end of the long process
      const registry = window.tredeDesigner.bpmn.get('elementRegistry');
      const tasks = registry.filter(e => e.type === 'bpmn:ScriptTask');
      tasks.sort((a, b) => b.x - a.x);
      return tasks[0].id;
    }""")
    visible = """(id) => {
      const frame = document.querySelector('#canvas').getBoundingClientRect();
      const r = document.querySelector(`#canvas g.djs-element[data-element-id="${id}"] .djs-visual`)
        .getBoundingClientRect();
      return r.x >= frame.x && r.x + r.width <= frame.x + frame.width
        && r.y >= frame.y && r.y + r.height <= frame.y + frame.height;
    }"""
    assert not designer.evaluate(visible, far)
    designer.evaluate("""(id) => {  // the script now imports a module: validation refuses it
      const element = window.tredeDesigner.bpmn.get('elementRegistry').get(id);
      window.tredeDesigner.bpmn.get('modeling').updateProperties(element, {script: 'import os'});
    }""", far)
    designer.get_by_role("button", name="Valideren").click()
    designer.locator("#problemen button").first.wait_for()
    designer.locator(f"#problemen li[data-element='{far}'] button").first.click()
    designer.wait_for_function(visible, arg=far)
    selected = designer.evaluate("() => window.tredeDesigner.bpmn.get('selection').get().map(e => e.id)")
    assert selected == [far]
    assert_accessible(designer)
