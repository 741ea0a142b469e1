"""Sign-in through the gemeente's OpenID Connect provider, end to end against a real provider.

The provider is oidc-provider-mock (PyPI; Authlib-based, a real OIDC server with discovery, JWKS,
RS256-signed ID tokens) served on loopback in a thread. It does not check PKCE itself, so a small
WSGI wrapper does: the authorization request must carry an S256 code_challenge and the token
request the matching code_verifier, or the token endpoint answers invalid_grant.
"""
from __future__ import annotations

import base64
import hashlib
import io
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import pytest
import requests

from casework.accounts.service import create_user
from tests.browser import serving
from tests.web.helpers import add_users, csrf_token, login
from web.app import create_app


class PkceCheck:
    """WSGI middleware in front of the provider: PKCE (RFC 7636, S256) or no token."""

    def __init__(self, app) -> None:
        self.app, self.challenges, self.verified = app, set(), 0

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/oauth2/authorize":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            if query.get("code_challenge_method") == ["S256"]:
                self.challenges.add(query["code_challenge"][0])
        if path == "/oauth2/token":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            verifier = parse_qs(body.decode()).get("code_verifier", [""])[0]
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
            if digest.decode() not in self.challenges:
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [b'{"error": "invalid_grant", "error_description": "PKCE verifier mismatch"}']
            self.verified += 1
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def provider():
    users = [oidc_provider_mock.User(sub=sub, claims={"preferred_username": name, "name": name})
             for sub, name in (("u-1", "cm"), ("u-2", "onbekend"), ("u-3", "weg"), ("u-4", "apel"))]
    check = PkceCheck(oidc_provider_mock.app(user_claims=users, require_nonce=True).wsgi_app)
    with serving(check, poll_interval=0.05) as base:
        yield base, check


@pytest.fixture
def oidc_app(db_url, provider):
    base, _ = provider
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret",
                      "OIDC_PROVIDERS": {"ooststellingwerf": {
                          "discovery_url": f"{base}/.well-known/openid-configuration",
                          "client_id": "trede-ooststellingwerf", "client_secret": "geheim",
                          "label": "Inloggen met uw Ooststellingwerfse account"}}})
    engine = app.extensions["trede.engine"]
    add_users(engine)
    yield app
    engine.db.dispose()


def _sign_in_at_provider(client, who: str):
    """Start at trede, choose ``who`` at the provider, come back: trede's answer to the callback."""
    start = client.get("/login/oidc/ooststellingwerf")
    assert start.status_code == 302
    authorize_url = start.headers["Location"]
    params = parse_qs(urlsplit(authorize_url).query)
    assert params["code_challenge_method"] == ["S256"] and params["nonce"] and params["state"]
    form = requests.get(authorize_url, timeout=10)  # the provider's sign-in page
    assert form.status_code == 200
    chosen = requests.post(authorize_url, data={"sub": who}, allow_redirects=False, timeout=10)
    assert chosen.status_code == 302, chosen.text
    back = urlsplit(chosen.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_the_sign_in_page_offers_the_gemeente_provider(oidc_app):
    page = oidc_app.test_client().get("/login").get_data(as_text=True)
    assert "Inloggen met uw Ooststellingwerfse account" in page and "/login/oidc/ooststellingwerf" in page


def test_a_casemanager_signs_in_through_the_provider_with_pkce(oidc_app, provider):
    _, check = provider
    before = check.verified
    client = oidc_app.test_client()
    answer = _sign_in_at_provider(client, "u-1")
    assert answer.status_code == 302 and check.verified == before + 1
    assert client.get("/werkvoorraad").status_code == 200  # signed in as cm


def test_nobody_without_an_active_account_of_that_gemeente_gets_in(oidc_app):
    engine = oidc_app.extensions["trede.engine"]
    create_user(engine.db, "weg", "paard-batterij-nietje", "Weg", "ooststellingwerf", ["casemanager"])
    from sqlalchemy import update

    from casework.tables import users
    with engine.db.begin() as conn:
        conn.execute(update(users).where(users.c.username == "weg").values(active=False))
    for sub, name in (("u-2", "onbekend"), ("u-3", "weg"), ("u-4", "apel")):  # apel: Apeldoorn
        client = oidc_app.test_client()
        answer = _sign_in_at_provider(client, sub)
        text = answer.get_data(as_text=True)
        assert answer.status_code == 403 and "geen actief trede-account" in text and name in text
        assert client.get("/werkvoorraad").status_code == 302  # still signed out


def test_a_forged_or_replayed_callback_is_refused(oidc_app):
    client = oidc_app.test_client()
    client.get("/login/oidc/ooststellingwerf")
    answer = client.get("/login/oidc/ooststellingwerf/callback?code=verzonnen&state=verzonnen")
    assert answer.status_code == 400 and "niet gelukt" in answer.get_data(as_text=True)
    assert client.get("/werkvoorraad").status_code == 302


def test_an_unconfigured_gemeente_has_no_provider(oidc_app):
    assert oidc_app.test_client().get("/login/oidc/woerden").status_code == 404


def test_the_provider_here_refuses_a_code_without_the_matching_pkce_verifier(provider):
    base, _ = provider  # guards the wrapper: without it the PKCE assertion above would prove nothing
    answer = requests.post(f"{base}/oauth2/token", timeout=10, data={
        "grant_type": "authorization_code", "code": "x", "code_verifier": "niet-de-goede"})
    assert answer.status_code == 400 and "PKCE" in answer.text


def test_signing_out_ends_the_session_at_the_provider_too(oidc_app):
    """OpenID Connect RP-Initiated Logout: whoever came in through the gemeente's provider leaves
    through it, with the ID token as hint, and lands back on trede's sign-in page."""
    client = oidc_app.test_client()
    assert _sign_in_at_provider(client, "u-1").status_code == 302
    out = client.post("/logout", data={"csrf_token": csrf_token(client, "/werkvoorraad")})
    assert out.status_code == 302
    target = urlsplit(out.headers["Location"])
    params = parse_qs(target.query)
    assert target.path == "/oauth2/end_session" and params["id_token_hint"][0].count(".") == 2
    assert params["post_logout_redirect_uri"] == ["http://localhost/login"]
    assert client.get("/werkvoorraad").status_code == 302  # signed out of trede already
    confirm = requests.post(f"{target.scheme}://{target.netloc}/oauth2/end_session/confirm",
                            data={"redirect_uri": params["post_logout_redirect_uri"][0]},
                            allow_redirects=False, timeout=10)
    assert confirm.status_code == 302 and confirm.headers["Location"] == "http://localhost/login"
    assert "U bent afgemeld." in client.get("/login").get_data(as_text=True)


def test_a_password_sign_in_signs_out_locally(oidc_app):
    client = oidc_app.test_client()
    assert login(client, "cm").status_code == 302
    out = client.post("/logout", data={"csrf_token": csrf_token(client, "/werkvoorraad")})
    assert out.status_code == 302 and urlsplit(out.headers["Location"]).path == "/login"
