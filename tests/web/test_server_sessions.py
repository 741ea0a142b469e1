"""Sign-in sessions end on the server (issue 17, finding 3; OWASP ASVS 4.0.3 V3.3.1, V3.3.2):
a cookie replayed after sign-out, even the refreshed one the server sent back, gets the sign-in
page; so does a session of a deactivated user or after a password reset; and a busy session
ends after its absolute lifetime (12 hours by default)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from casework.accounts import admin
from casework.accounts.service import create_user
from casework.people import find_user
from casework.tables import user_sessions
from tests.web.helpers import PASSWORD, csrf_token


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/werkvoorraad")


def _on_sign_in_page(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_cookie_replayed_after_sign_out_gets_the_sign_in_page(app, signed_in):
    client = signed_in("cm")
    assert client.get("/werkvoorraad").status_code == 200
    refreshed = _cookie(client)  # the cookie as the server last sent it back
    assert _replay(app, refreshed).status_code == 200  # a copy works while signed in ...
    client.post("/logout", data={"csrf_token": csrf_token(client, "/werkvoorraad")})
    assert _on_sign_in_page(_replay(app, refreshed))  # ... and not after sign-out


def test_sign_out_is_kept_on_the_server(app, engine, signed_in):
    client = signed_in("cm")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/werkvoorraad")})
    with engine.db.connect() as conn:
        reasons = conn.execute(select(user_sessions.c.end_reason)).scalars().all()
    assert reasons == ["afgemeld"]  # only a hash of the cookie's secret is stored


def _beheerder(engine):
    create_user(engine.db, "beh", PASSWORD, "Bea Beheer", "ooststellingwerf", ["beheerder"])
    return find_user(engine.db, "beh")


def test_deactivating_a_user_ends_their_sessions_at_once(app, engine, signed_in):
    client = signed_in("cm")
    beheerder, cm = _beheerder(engine), find_user(engine.db, "cm")
    admin.set_active(engine.db, beheerder, cm.id, False, "uit dienst")
    assert _on_sign_in_page(client.get("/werkvoorraad"))
    admin.set_active(engine.db, beheerder, cm.id, True, "terug in dienst")
    assert _on_sign_in_page(client.get("/werkvoorraad"))  # reactivation does not revive the session


def test_a_password_reset_signs_out_whoever_used_the_old_password(app, engine, signed_in):
    client = signed_in("cm")
    beheerder, cm = _beheerder(engine), find_user(engine.db, "cm")
    new = "een nieuw lang wachtwoord"
    admin.reset_password(engine.db, beheerder, cm.id, {"wachtwoord": new, "wachtwoord2": new})
    assert _on_sign_in_page(client.get("/werkvoorraad"))


def test_a_busy_session_still_ends_after_its_absolute_lifetime(app, engine, signed_in):
    client = signed_in("cm")
    for _ in range(35):  # a page every 20 minutes: never idle, for 11 h 40 min
        engine.clock.advance(timedelta(minutes=20))
        assert client.get("/werkvoorraad").status_code == 200
    engine.clock.advance(timedelta(minutes=21))
    assert _on_sign_in_page(client.get("/werkvoorraad"))
    assert "langer dan 12 uur aangemeld" in client.get("/login").get_data(as_text=True)


def test_the_idle_timeout_holds_on_the_server_too(app, engine, signed_in):
    client = signed_in("cm")
    engine.clock.advance(timedelta(minutes=31))  # the cookie's own clock would still allow it
    assert _on_sign_in_page(client.get("/werkvoorraad"))
    assert "een tijd niet actief" in client.get("/login").get_data(as_text=True)


def test_the_absolute_lifetime_is_a_setting(app, engine, signed_in):
    app.config["SESSION_MAX_HOURS"] = 1
    client = signed_in("cm")
    engine.clock.advance(timedelta(minutes=29))
    assert client.get("/werkvoorraad").status_code == 200
    engine.clock.advance(timedelta(minutes=29))
    assert client.get("/werkvoorraad").status_code == 200
    engine.clock.advance(timedelta(minutes=3))
    assert _on_sign_in_page(client.get("/werkvoorraad"))


def test_sessions_that_can_no_longer_be_used_are_cleared_at_the_next_sign_in(app, engine, signed_in):
    for _ in range(3):  # sign in and out three times
        client = signed_in("cm")
        client.post("/logout", data={"csrf_token": csrf_token(client, "/werkvoorraad")})
    signed_in("cm")
    with engine.db.connect() as conn:
        rows = conn.execute(select(user_sessions.c.ended_at)).scalars().all()
    assert rows == [None]  # only the session in use is left
