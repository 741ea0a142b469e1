"""Sign-in with local accounts: the blueprint, the sign-in-required hook and CSRF protection.

``init_app`` is what the factory calls; every page needs a signed-in user except the ones in
PUBLIC_ENDPOINTS. The REST API has its own bearer-token auth and is left alone here.
"""
from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from flask import Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from casework.accounts import sessions
from casework.accounts.service import User
from casework.roles import AREAS
from web.auth.throttle import LoginThrottle

csrf = CSRFProtect()

SESSION_KEY = "sid"  # the session's secret; the server holds its hash (casework/accounts/sessions.py)
PUBLIC_ENDPOINTS = {"health.health", "auth.login", "static", "aanbod.form", "oidc.start", "oidc.callback"}


def init_app(app: Flask) -> None:
    from web.api import bp as api_bp
    from web.auth.routes import bp

    # Cookie flags (Secure, HttpOnly, SameSite=Lax) and the idle timeout are set in create_app's
    # defaults: Flask's own defaults would win over a setdefault here. CSRF tokens cover the rest.
    app.extensions["trede.login_throttle"] = LoginThrottle(app.config, app.extensions["trede.engine"].db)
    csrf.init_app(app)
    csrf.exempt(api_bp)  # token-authenticated JSON API: no cookies, so no CSRF risk
    app.register_blueprint(bp)
    from web.auth import oidc
    oidc.init_app(app)  # optional sign-in through the gemeente's OpenID Connect provider
    app.before_request(require_login)
    app.context_processor(lambda: {"current_user": g.get("user"), "main_menu": main_menu()})
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(403, _forbidden)


def _csrf_failed(_error):
    return render_template("error.html", title="Formulier verlopen",
                           message="Het formulier is verlopen of niet compleet. Laad de pagina opnieuw en "
                                   "probeer het nog eens."), 400


def _forbidden(_error):
    return render_template("error.html", title="Geen toegang",
                           message="U heeft geen rechten voor deze handeling."), 403


def require_login():
    g.user = _load_user()
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC_ENDPOINTS or endpoint.startswith("api."):
        return None
    if g.user is None:
        # Only a local path goes into ?next=, never a full URL (open redirect).
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def mark_active() -> None:
    """Remember when the session was last used, for the idle timeout."""
    session["last_seen"] = int(time.time())


def _idle_expired() -> bool:
    last_seen = session.get("last_seen")
    limit = current_app.config.get("SESSION_IDLE_MINUTES", 30) * 60
    return last_seen is None or time.time() - last_seen > limit


_ENDED = {
    sessions.IDLE: "Uw sessie is verlopen omdat u een tijd niet actief was. Meld u opnieuw aan.",
    sessions.TOO_LONG: "Uw sessie is verlopen: u was langer dan {hours} uur aangemeld. Meld u opnieuw aan.",
}


def begin_session(user: User) -> None:
    """A fresh session for a user who just signed in (no fixation), kept on the server too."""
    engine = current_app.extensions["trede.engine"]
    session.clear()
    session[SESSION_KEY] = sessions.start(engine.db, user.id, engine.clock.now(), _policy())
    mark_active()


def end_session() -> None:
    """Sign-out: the server forgets the session, so no copy of the cookie works any more."""
    secret = session.get(SESSION_KEY)
    if secret:
        engine = current_app.extensions["trede.engine"]
        sessions.end(engine.db, secret, engine.clock.now())
    session.clear()


def _policy() -> sessions.Policy:
    return sessions.Policy(idle=timedelta(minutes=current_app.config.get("SESSION_IDLE_MINUTES", 30)),
                           absolute=timedelta(hours=current_app.config.get("SESSION_MAX_HOURS", 12)))


def _load_user() -> User | None:
    secret = session.get(SESSION_KEY)
    if secret is None:
        session.pop("user_id", None)  # a cookie from before server-side sessions: sign in again
        return None
    if _idle_expired():
        # Idle too long (a workstation left unlocked): sign out, say why on the sign-in page.
        end_session()
        flash(_ENDED[sessions.IDLE])
        return None
    engine = current_app.extensions["trede.engine"]
    policy = _policy()
    resumed = sessions.resume(engine.db, secret, engine.clock.now(), policy)
    if resumed.user is None:
        # signed out (elsewhere, or this is a replayed cookie), deactivated, idle or too old
        session.clear()
        message = _ENDED.get(resumed.reason or "")
        if message:
            flash(message.format(hours=int(policy.absolute.total_seconds() // 3600)))
        return None
    mark_active()
    return resumed.user


def main_menu() -> list[tuple[str, str]]:
    """(endpoint, label) of the areas the signed-in user may use, for the header."""
    user = g.get("user")
    if user is None:
        return []
    return [(endpoint, label) for roles, endpoint, label in AREAS
            if user.roles & roles and endpoint in current_app.view_functions]


def landing_url(user: User) -> str:
    menu = [endpoint for roles, endpoint, _ in AREAS
            if user.roles & roles and endpoint in current_app.view_functions]
    return url_for(menu[0]) if menu else url_for("health.index")


def safe_next(target: str | None) -> str | None:
    """Only a local path: a ?next= or next field must never send a user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def current_user() -> User:
    user = g.get("user")
    if user is None:
        abort(401)
    return user


def guard_blueprint(bp, roles: frozenset[str]) -> None:
    """Every page of ``bp`` is for users with one of ``roles`` (403 otherwise)."""
    @bp.before_request
    def _check():
        if g.get("user") is not None and not g.user.roles & roles:
            abort(403)


def role_required(*roles: str):
    """Only users with one of ``roles`` may use the view (403 otherwise)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not any(current_user().has(r) for r in roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


def case_engine():
    """The app's CaseEngine (set up by the factory)."""
    return current_app.extensions["trede.engine"]
