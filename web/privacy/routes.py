"""The privacy officer's inzage page: a BSN in (POST, never in a URL), a JSON file out, logged."""
from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from casework.inzage import export_person
from processes.bsn import check_bsn, normalize_bsn
from web.audit.ldv import note_subject, processes_personal_data, pseudonymizer
from web.auth import case_engine, current_user, role_required

bp = Blueprint("privacy", __name__, url_prefix="/inzage", template_folder="templates")


@bp.get("")
@role_required("privacy")
def index():
    return render_template("privacy/index.html", error=None, empty=False)


@bp.post("")
@role_required("privacy")
@processes_personal_data("inzage-export")
def export():
    raw = request.form.get("bsn", "")
    if check_bsn(raw):
        # Never echo the number back: the message says what is wrong, not what was typed.
        error = "BSN: vul een geldig burgerservicenummer in (9 cijfers, elfproef)."
        return render_template("privacy/index.html", error=error, empty=False), 422
    bsn, engine, user = normalize_bsn(raw), case_engine(), current_user()
    found = export_person(engine.db, user.gemeente, bsn, pseudonymizer(), engine.clock.now())
    note_subject(bsn, object_ref="inzageverzoek", result=f"export: {len(found['zaken'])} zaken")
    if not found["clienten"]:
        return render_template("privacy/index.html", error=None, empty=True)
    stamp = found["opgesteld_op"][:10]
    return Response(json.dumps(found, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="inzage-{stamp}.json"'})
