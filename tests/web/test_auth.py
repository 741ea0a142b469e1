"""Sign-in, the sign-in requirement, CSRF and the demo accounts."""
from __future__ import annotations

from sqlalchemy import func, select

from casework.accounts import demo
from casework.tables import users
from tests.web.helpers import csrf_token, login


def test_pages_need_sign_in_but_health_and_login_do_not(app):
    client = app.test_client()
    for path in ("/werkvoorraad", "/taken/abc", "/dossier/1", "/dossier/nieuw", "/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert client.get("/health").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/static/trede.css").status_code == 200


def test_api_keeps_its_own_token_auth(app):
    response = app.test_client().get("/api/tasks")
    assert response.status_code == 401 and response.is_json


def test_wrong_password_is_refused_with_a_message(app):
    client = app.test_client()
    response = login(client, "cm", "fout")
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert login(client, "niemand", "fout").status_code == 200
    assert client.get("/werkvoorraad").status_code == 302


def test_sign_in_goes_to_the_page_asked_for_but_never_off_site(app):
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/login?next=/dossier/nieuw", data={
        "username": "cm", "password": "geheim-wachtwoord", "csrf_token": token})
    assert response.headers["Location"] == "/dossier/nieuw"
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/x", data={
        "username": "cm", "password": "geheim-wachtwoord", "csrf_token": token})
    assert response.headers["Location"] == "/werkvoorraad"


def test_sign_out(signed_in):
    client = signed_in("cm")
    assert client.get("/werkvoorraad").status_code == 200
    token = csrf_token(client, "/werkvoorraad")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/werkvoorraad").status_code == 302


def test_a_post_without_csrf_token_is_refused(app, signed_in):
    client = app.test_client()
    response = client.post("/login", data={"username": "cm", "password": "geheim-wachtwoord"})
    assert response.status_code == 400 and "Formulier verlopen" in response.get_data(as_text=True)
    client = signed_in("cm")
    assert client.post("/logout").status_code == 400


def test_demo_load_creates_every_role_in_every_gemeente_once(engine, app):
    assert "Demo-accounts" not in app.test_client().get("/login").get_data(as_text=True)
    summary = demo.load(engine)
    # nine roles in five gemeenten (two case managers, two financien people) and two local roles
    assert "52 aangemaakt" in summary
    assert demo.load(engine).startswith("demo-accounts: 0 aangemaakt")
    with engine.db.connect() as conn:
        rows = conn.execute(select(users.c.gemeente, users.c.roles).where(users.c.username.like("%.%"))).all()
        assert conn.execute(select(func.count()).select_from(users)).scalar_one() == 57
    for gemeente in ("ooststellingwerf", "apeldoorn", "wassenaar", "zeeuws-vlaanderen", "woerden"):
        roles = {r for g, rs in rows if g == gemeente for r in rs.split()}
        # Wassenaar's participatieconsulent (seed 004 Tabel 3), Apeldoorn's lokale toegang (seed 001 par. 8)
        local = {"wassenaar": {"participatieconsulent"}, "apeldoorn": {"lokale_toegang"}}.get(gemeente, set())
        assert roles == {"casemanager", "teamleider", "arbeidsdeskundige", "financien", "procesontwerper",
                         "auditor", "beheerder", "privacy"} | local
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "Demo-accounts" in page and "casemanager.woerden" in page and demo.DEMO_PASSWORD in page
    assert login(app.test_client(), "teamleider.wassenaar", demo.DEMO_PASSWORD).status_code == 302


def test_each_role_lands_in_its_own_area_and_case_data_is_for_case_roles(app, engine):
    demo.load(engine)
    for username, landing in [("casemanager.woerden", "/werkvoorraad"), ("auditor.woerden", "/audit/"),
                              ("procesontwerper.woerden", "/ontwerp")]:
        client = app.test_client()
        response = login(client, username, demo.DEMO_PASSWORD)
        assert response.headers["Location"] == landing, username
    client = app.test_client()
    login(client, "procesontwerper.woerden", demo.DEMO_PASSWORD)
    for path in ("/werkvoorraad", "/dossier/nieuw", "/dossier/1", "/taken/x"):
        assert client.get(path).status_code == 403, path
