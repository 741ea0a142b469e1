"""Sign-in hardening: cookie flags, idle timeout, lockout per account and per address, password policy."""
from __future__ import annotations

import time

import pytest

from casework.accounts.passwords import password_problem
from casework.accounts.service import AccountError, create_user
from tests.web.helpers import PASSWORD, csrf_token, login
from web.app import create_app
from web.auth.throttle import LoginThrottle


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    return cookies[-1]


def test_session_cookie_is_secure_httponly_and_samesite(app):
    cookie = _session_cookie(login(app.test_client(), "cm"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_can_be_switched_off_for_local_http(db_url, monkeypatch):
    monkeypatch.setenv("TREDE_SESSION_COOKIE_SECURE", "0")
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] is False
    app.extensions["trede.engine"].db.dispose()


def test_an_idle_session_expires(app, signed_in):
    client = signed_in("cm")
    assert client.get("/werkvoorraad").status_code == 200
    with client.session_transaction() as session:  # 29 minutes idle: still signed in
        session["last_seen"] = int(time.time()) - 29 * 60
    assert client.get("/werkvoorraad").status_code == 200
    with client.session_transaction() as session:  # 31 minutes idle: signed out
        session["last_seen"] = int(time.time()) - 31 * 60
    response = client.get("/werkvoorraad")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "sessie is verlopen" in client.get("/login").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "user_id" not in session


def test_the_idle_timeout_is_configurable(app, signed_in):
    app.config["SESSION_IDLE_MINUTES"] = 5
    client = signed_in("cm")
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - 6 * 60
    assert client.get("/werkvoorraad").status_code == 302


def test_account_is_locked_after_five_failures_even_for_the_right_password(app):
    client = app.test_client()
    for _ in range(5):
        response = login(client, "cm", "verkeerd-wachtwoord")
        assert response.status_code == 200 and "klopt niet" in response.get_data(as_text=True)
    locked = login(client, "cm", PASSWORD)
    assert locked.status_code == 429 and "Te veel mislukte pogingen" in locked.get_data(as_text=True)
    # The same answer for a username that does not exist: the lockout reveals no accounts.
    for _ in range(5):
        login(client, "bestaat-niet", "verkeerd-wachtwoord")
    assert login(client, "bestaat-niet", "x").status_code == 429
    # Another account from the same address still works (the address limit is higher).
    assert login(app.test_client(), "cm2").status_code == 302


def test_one_address_trying_many_accounts_is_stopped(app):
    client = app.test_client()
    address = {"REMOTE_ADDR": "203.0.113.7"}
    for i in range(20):
        token = csrf_token(client)
        client.post("/login", data={"username": f"gok{i}", "password": "x", "csrf_token": token},
                    environ_base=address)
    token = csrf_token(client)
    response = client.post("/login", data={"username": "cm", "password": PASSWORD, "csrf_token": token},
                           environ_base=address)
    assert response.status_code == 429
    assert login(app.test_client(), "cm").status_code == 302  # from another address: fine


def test_the_lockout_ends_after_the_window_and_a_success_resets_the_count(db):
    now = [1000.0]
    throttle = LoginThrottle({"LOGIN_WINDOW_SECONDS": 60}, db, clock=lambda: now[0])
    for _ in range(5):
        throttle.failed("cm", "10.0.0.1")
    assert throttle.blocked("CM ", "10.0.0.2")  # usernames compare like sign-in does
    now[0] += 61
    assert not throttle.blocked("cm", "10.0.0.1")
    for _ in range(4):
        throttle.failed("cm", "10.0.0.1")
    throttle.succeeded("cm")
    throttle.failed("cm", "10.0.0.1")
    assert not throttle.blocked("cm", "10.0.0.3")


@pytest.mark.parametrize("password, problem", [
    ("kort-1", "minstens 12"),
    ("sanne-de-vries-2026", "gebruikersnaam"),
    ("wachtwoord123", "voorspelbaar"),
    ("aaaaaaaaaaaaaaa", "voorspelbaar"),
    ("paard-batterij-nietje-correct", None),
])
def test_password_policy(password, problem):
    found = password_problem(password, "sanne-de-vries")
    assert (found is None) if problem is None else (problem in found)


def test_the_policy_applies_where_a_password_is_set(app, engine):
    with pytest.raises(AccountError, match="minstens 12"):
        create_user(engine.db, "nieuw", "kort", "Nieuw", "woerden", ["casemanager"])
    with pytest.raises(AccountError, match="gebruikersnaam"):
        create_user(engine.db, "nieuwe.collega", "nieuwe.collega-2026", "N", "woerden", ["casemanager"])
    assert create_user(engine.db, "nieuw", "paard-batterij-nietje", "Nieuw", "woerden", ["casemanager"])
