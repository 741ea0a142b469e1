"""The worklist page as a user gets it (issue 4, "Done when"): full page renders, server side.

On the generated PostgreSQL data set (bench.pgdata), the gemeente with the most open tasks gets a
case manager and a teamleider account; the Flask app (``web.create_app``) then serves
``/werkvoorraad`` through its test client: sign-in hook, authorization matrix, every query, the
Jinja template and the security headers -- everything the server does for the page, minus the
socket. Views: ``mijn`` (the case manager's claimed tasks), ``team`` (unclaimed tasks of their
lanes), ``alle`` (the teamleider: every open task of the gemeente) and a search by surname (POST,
as the page sends it). Latency percentiles; measured, never asserted.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from bench.generator import user_name
from bench.stats import Samples
from casework.tables import users
from engine.storage.db import utcnow, work_items

VIEWS = ("mijn", "team", "alle", "zoeken")


@dataclass
class PageResult:
    gemeente: str
    open_tasks: int  # open tasks in the gemeente
    samples: dict[str, Samples]
    bytes_alle: int  # size of one "alle" page, to show it is the real page


def _busiest_gemeente(db) -> tuple[str, int]:
    with db.connect() as conn:
        row = conn.execute(select(work_items.c.gemeente, func.count()).group_by(work_items.c.gemeente)
                           .order_by(func.count().desc()).limit(1)).one()
    return row[0], row[1]


def _account(db, username: str, gemeente: str, roles: str) -> int:
    """A users row straight in the table: the generated gemeenten are not in the demo's list."""
    with db.begin() as conn:
        found = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
        if found is not None:
            return found
        return conn.execute(users.insert().values(
            username=username, password_hash="!", naam="Bench", gemeente=gemeente, roles=roles,
            team=None, active=True, created_at=utcnow())).inserted_primary_key[0]


def _client(app, user_id: int):
    from casework.accounts import sessions
    from web.auth import SESSION_KEY

    engine = app.extensions["trede.engine"]
    secret = sessions.start(engine.db, user_id, engine.clock.now())  # a server-side session, as sign-in
    client = app.test_client()
    with client.session_transaction() as session:  # signed in, without paying for scrypt
        session[SESSION_KEY] = secret
        session["last_seen"] = int(time.time())
    return client


def measure(url: str, reps: int) -> PageResult:
    from web.app import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": False})
    db = app.extensions["trede.engine"].db
    try:
        gemeente, open_tasks = _busiest_gemeente(db)
        casemanager = _client(app, _account(db, user_name(gemeente, 1), gemeente, "casemanager"))
        lead = _client(app, _account(db, f"teamleider.{gemeente}", gemeente, "teamleider casemanager"))
        html = casemanager.get("/werkvoorraad").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
        calls = {
            "mijn": lambda: casemanager.get("/werkvoorraad?view=mijn"),
            "team": lambda: casemanager.get("/werkvoorraad?view=team"),
            "alle": lambda: lead.get("/werkvoorraad?view=alle"),
            # the search is posted and answered with a redirect to a bookmarkable GET (issue 18):
            # timed as the person experiences it, both requests
            "zoeken": lambda: casemanager.post("/werkvoorraad", data={"csrf_token": token, "view": "team",
                                                                      "q": "jans"}, follow_redirects=True),
        }
        for call in calls.values():  # warm: plan cache, pool, template compilation
            _ok(call())
        samples = {view: Samples(view) for view in VIEWS}
        for _ in range(reps):
            for view, call in calls.items():  # in turns, so drift hits every view alike
                _ok(samples[view].timed(call))
        size = len(calls["alle"]().get_data())
    finally:
        db.dispose()
    return PageResult(gemeente, open_tasks, samples, size)


def _ok(response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"worklist page answered {response.status_code}")
