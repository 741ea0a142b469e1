"""Public offer form: no sign-in, CSRF-protected, rate-limited per address, can only submit.

It answers with the form or with a receipt; it shows nothing that is stored (no other reads).
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from processes import aanbod
from web.auth import case_engine

bp = Blueprint("aanbod", __name__, url_prefix="/aanbod")


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
    secret = str(current_app.config["SECRET_KEY"]).encode()
    try:
        number = aanbod.submit(case_engine(), data, files, request.remote_addr or "?", secret)
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
