"""Sign-in lockout counted in the database: shared by all web workers, kept across a restart."""
from __future__ import annotations

import threading

from sqlalchemy import select, text

from tests.web.helpers import PASSWORD, login
from web.app import create_app
from web.auth.throttle import LoginThrottle, failures_stored
from web.tables import login_throttle

CONFIG = {"SECRET_KEY": "s", "LOGIN_WINDOW_SECONDS": 60}


def test_two_workers_count_together_and_a_restart_forgets_nothing(db):
    now = [5000.0]
    worker_a = LoginThrottle(CONFIG, db, clock=lambda: now[0])
    worker_b = LoginThrottle(CONFIG, db, clock=lambda: now[0])
    for throttle in (worker_a, worker_b, worker_a, worker_b):
        throttle.failed("cm", "10.0.0.1")
    assert not worker_a.blocked("cm", "10.0.0.9")
    worker_b.failed("cm", "10.0.0.1")  # the fifth failure, on whichever worker
    restarted = LoginThrottle(CONFIG, db, clock=lambda: now[0])
    assert worker_a.blocked("cm", "10.0.0.9") and restarted.blocked("CM", "10.0.0.9")
    now[0] += 61
    assert not restarted.blocked("cm", "10.0.0.9")


def test_failures_at_the_same_moment_are_all_counted(db):
    throttle = LoginThrottle({**CONFIG, "LOGIN_MAX_FAILURES_ACCOUNT": 8}, db)
    threads = [threading.Thread(target=throttle.failed, args=("race", f"10.0.1.{i}")) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.blocked("race", "10.9.9.9")


def test_what_was_typed_as_username_is_never_stored_and_old_rows_go(db):
    now = [1000.0]
    throttle = LoginThrottle(CONFIG, db, clock=lambda: now[0])
    throttle.failed("mijn-geheime-wachtwoord", "198.51.100.4")
    with db.connect() as conn:
        keys = conn.execute(select(login_throttle.c.key)).scalars().all()
    assert len(keys) == 2 and not any("geheim" in k or "198.51" in k for k in keys)
    now[0] += 61
    throttle.failed("iemand", "198.51.100.5")
    assert failures_stored(db) == 2  # the expired pair was deleted


def test_a_locked_account_stays_locked_when_the_app_restarts(app, db_url):
    client = app.test_client()
    for _ in range(5):
        login(client, "cm", "verkeerd-wachtwoord")
    restarted = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret"})
    try:
        locked = login(restarted.test_client(), "cm", PASSWORD)
        assert locked.status_code == 429 and "Te veel mislukte pogingen" in locked.get_data(as_text=True)
    finally:
        restarted.extensions["trede.engine"].db.dispose()
    with app.extensions["trede.engine"].db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM login_throttle")).scalar_one() >= 2
