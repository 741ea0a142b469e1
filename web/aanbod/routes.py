"""Public offer form: no sign-in, CSRF-protected, rate-limited, can only submit.

It answers with the form or with a receipt; it shows nothing that is stored (no other reads).
A post is counted (per address and in all) and its size checked against its Content-Length
before any hook or view reads its body (issue 17 finding 8): a flood of invalid posts meets the
429 as early and as cheaply as valid ones.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from processes import aanbod
from web.auth import case_engine

bp = Blueprint("aanbod", __name__, url_prefix="/aanbod")


TOO_MANY = ("Er zijn het afgelopen uur te veel aanvragen via dit formulier ingediend. "
            "Probeer het over een uur opnieuw.")


def guard_before_parsing(app: Flask) -> None:
    """First of all hooks: the CSRF check (registered earlier) would parse the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _count_and_cap)


def _count_and_cap():
    if request.endpoint != "aanbod.form" or request.method != "POST":
        return None
    try:
        g.aanbod_attempt = aanbod.admit(case_engine(), request.remote_addr or "?", _secret())
    except aanbod.TooMany:
        return _form_page({}, {"_form": TOO_MANY}), 429
    request.max_content_length = aanbod.MAX_BODY  # also a body sent without a Content-Length
    if request.content_length is not None and request.content_length > aanbod.MAX_BODY:
        raise RequestEntityTooLarge()  # the Dutch 413 page (web/http_security.py), nothing read
    return None


def _secret() -> bytes:
    return str(current_app.config["SECRET_KEY"]).encode()


def _form_page(values: dict, errors: dict):
    return render_template("aanbod/form.html", values=values, errors=errors, eisen=aanbod.EISEN)


@bp.route("/", methods=["GET", "POST"])
def form():
    if request.method == "GET":
        return render_template(
            "aanbod/form.html",
            values={"urenPerWeek": "24", "toezeggingMaanden": "12"},
            errors={},
            eisen=aanbod.EISEN,
        )
    files = [
        aanbod.Bijlage(f.filename or "bijlage", f.read(aanbod.documents.MAX_BYTES + 1))
        for f in request.files.getlist("bewijsstukken")
        if f and f.filename
    ]
    data, errors = aanbod.validate(request.form.to_dict(), files)
    if errors:
        return render_template(
            "aanbod/form.html", values=request.form.to_dict(), errors=errors, eisen=aanbod.EISEN
        ), 400
    try:
        number = aanbod.submit(case_engine(), data, files, request.remote_addr or "?", _secret(),
                               attempt=g.get("aanbod_attempt"))
    except aanbod.TooMany:
        return render_template(
            "aanbod/form.html",
            values=request.form.to_dict(),
            eisen=aanbod.EISEN,
            errors={
                "_form": "U heeft het afgelopen uur al vaker een aanbod ingediend. "
                "Probeer het over een uur opnieuw."
            },
        ), 429
    return render_template("aanbod/ontvangen.html", kenmerk=number)
