"""Sign-in and sign-out pages."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for

from casework.accounts import demo
from casework.accounts.service import authenticate
from web.auth import begin_session, end_session, landing_url, oidc, safe_next
from web.auth.oidc import sign_in_options

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    db = current_app.extensions["trede.engine"].db
    error = None
    if request.method == "POST":
        username, address = request.form.get("username", ""), request.remote_addr or "?"
        throttle = current_app.extensions["trede.login_throttle"]
        if throttle.blocked(username, address):
            # Checked before the password: a locked account cannot be guessed at all.
            error = (f"Te veel mislukte pogingen. Probeer het over {throttle.wait_minutes()} minuten "
                     "opnieuw of neem contact op met de beheerder.")
            return _login_page(db, error), 429
        user = authenticate(db, username, request.form.get("password", ""))
        if user is not None:
            throttle.succeeded(username)
            begin_session(user)  # a fresh session at sign-in: no fixation
            return redirect(safe_next(request.args.get("next")) or landing_url(user))
        throttle.failed(username, address)
        error = "Gebruikersnaam of wachtwoord klopt niet."
    return _login_page(db, error)


def _login_page(db, error: str | None) -> str:
    show_demo = current_app.config.get("DEMO") or demo.demo_present(db)
    return render_template("auth/login.html", error=error, username=request.form.get("username", ""),
                           demo_accounts=demo.demo_accounts() if show_demo else [],
                           oidc_options=sign_in_options())


@bp.post("/logout")
def logout():
    back = url_for("auth.login", _external=True)
    at_provider = oidc.provider_logout_url(session.get(oidc.SIGNED_IN_VIA), back)
    end_session()
    flash("U bent afgemeld.")
    return redirect(at_provider or url_for("auth.login"))

