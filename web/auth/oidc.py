"""Optional sign-in through the gemeente's OpenID Connect provider (authorization code + PKCE).

Configured per gemeente, in a JSON file named by TREDE_OIDC_CONFIG (the settings; or ``OIDC_PROVIDERS``
in the app config), secrets kept out of the database::

    {"woerden": {"discovery_url": "https://login.woerden.nl/.well-known/openid-configuration",
                 "client_id": "trede", "client_secret": "...", "claim": "preferred_username",
                 "label": "Inloggen met uw Woerdense account"}}

Authlib does the protocol: state and nonce in the session, PKCE (S256), the code exchange, and the
ID token checked against the provider's keys (signature, issuer, audience, expiry, nonce). trede
then matches the user: the configured claim (default ``preferred_username``) must equal the
username of an *active* trede account of *that* gemeente. Nobody is created or given roles on the
way in: accounts and roles stay managed in trede (beheer), and an unknown or deactivated person
is refused with a message saying so. The password sign-in stays available next to it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, session, url_for
from sqlalchemy import func, select

from casework.accounts.service import User
from casework.people import get_user
from casework.tables import users
from engine.storage.db import read_only

bp = Blueprint("oidc", __name__, url_prefix="/login/oidc")
DEFAULT_CLAIM = "preferred_username"
SIGNED_IN_VIA = "oidc"  # session key: the gemeente's provider and the ID token of this sign-in
MAX_HINT = 1500  # characters of ID token kept in the (cookie) session for the sign-out hint
SCOPE = "openid profile email"


def init_app(app: Flask) -> None:
    from web.app import settings_of
    providers = load_providers(app.config.get("OIDC_PROVIDERS"), settings_of(app).oidc_config)
    oauth = OAuth(app)
    for gemeente, conf in providers.items():
        oauth.register(
            name=gemeente, client_id=conf["client_id"], client_secret=conf.get("client_secret"),
            server_metadata_url=conf["discovery_url"],
            client_kwargs={"scope": conf.get("scope", SCOPE), "code_challenge_method": "S256",
                           "timeout": 10,
                           # a public client (no secret) authenticates with PKCE alone
                           **({} if conf.get("client_secret") else {"token_endpoint_auth_method": "none"})})
    app.extensions["trede.oidc"] = (oauth, providers)
    app.register_blueprint(bp)


def load_providers(configured: dict | None, path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The providers given in the app config, else those in the file at ``path`` (none without)."""
    if configured is None:
        configured = json.loads(Path(path).read_text()) if path else {}
    for gemeente, conf in configured.items():
        missing = [k for k in ("discovery_url", "client_id") if not conf.get(k)]
        if missing:
            raise ValueError(f"OIDC-configuratie van {gemeente}: {', '.join(missing)} ontbreekt")
    return dict(configured)


def sign_in_options() -> list[tuple[str, str]]:
    """(gemeente, button label) for the sign-in page."""
    _, providers = current_app.extensions["trede.oidc"]
    return [(g, conf.get("label") or f"Inloggen via de gemeente ({g})")
            for g, conf in sorted(providers.items())]


@bp.get("/<gemeente>")
def start(gemeente: str):
    client = _client(gemeente)
    conf = current_app.extensions["trede.oidc"][1][gemeente]
    callback = conf.get("redirect_uri") or url_for("oidc.callback", gemeente=gemeente, _external=True)
    return client.authorize_redirect(callback)


@bp.get("/<gemeente>/callback")
def callback(gemeente: str):
    client = _client(gemeente)
    try:
        token = client.authorize_access_token()
    except OAuthError as exc:  # refused at the provider, a replayed or forged answer, a bad token
        return _refused(f"Inloggen via de gemeente is niet gelukt ({exc.error}). Probeer het opnieuw.", 400)
    claim = current_app.extensions["trede.oidc"][1][gemeente].get("claim", DEFAULT_CLAIM)
    value = (token.get("userinfo") or {}).get(claim)  # the verified ID token's claims
    if value is None:  # some providers put profile claims only at the userinfo endpoint
        try:
            value = client.userinfo(token=token).get(claim)
        except (OAuthError, OSError, ValueError):
            value = None
    user = _matching_user(gemeente, value) if isinstance(value, str) and value else None
    if user is None:
        return _refused(f"Er is geen actief trede-account bij deze gemeente voor ‘{value or '?'}’ "
                        f"(gegeven {claim}). Vraag de beheerder om een account.", 403)
    from web.auth import begin_session, landing_url
    begin_session(user)  # a fresh session at sign-in: no fixation
    # kept for signing out at the provider too (RP-initiated logout, the ID token as hint); the
    # session is a cookie (4 kB at most), so a large token is left out: client_id alone then
    id_token = token.get("id_token")
    session[SIGNED_IN_VIA] = {"gemeente": gemeente,
                              "id_token": id_token if id_token and len(id_token) <= MAX_HINT else None}
    return redirect(landing_url(user))


def provider_logout_url(via: dict | None, back_to: str) -> str | None:
    """Where to send someone who signed in through a provider when they sign out of trede: the
    provider's end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0), so the gemeente's
    single sign-on session ends as well. None: a local sign-out is all there is (password sign-in,
    or a provider that offers no such endpoint or cannot be reached)."""
    oauth, providers = current_app.extensions["trede.oidc"]
    gemeente = (via or {}).get("gemeente")
    if gemeente not in providers:
        return None
    try:
        endpoint = oauth.create_client(gemeente).load_server_metadata().get("end_session_endpoint")
    except (OAuthError, OSError, ValueError):
        return None
    if not endpoint:
        return None
    params = {"post_logout_redirect_uri": back_to, "client_id": providers[gemeente]["client_id"]}
    if via.get("id_token"):
        params["id_token_hint"] = via["id_token"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def _client(gemeente: str):
    oauth, providers = current_app.extensions["trede.oidc"]
    if gemeente not in providers:
        abort(404)
    return oauth.create_client(gemeente)


def _matching_user(gemeente: str, value: str) -> User | None:
    db = current_app.extensions["trede.engine"].db
    with read_only(db).connect() as conn:
        user_id = conn.execute(select(users.c.id).where(
            users.c.gemeente == gemeente, func.lower(users.c.username) == value.strip().lower(),
            users.c.active.is_(True))).scalar()
    return get_user(db, user_id) if user_id is not None else None


def _refused(message: str, status: int):
    return render_template("error.html", title="Inloggen niet gelukt", message=message), status
