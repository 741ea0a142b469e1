"""The health page: shows that the app runs and reaches its database."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request
from sqlalchemy import func, select, text

from engine.storage.db import cases, process_versions

bp = Blueprint("health", __name__)


def _status() -> dict:
    engine = current_app.extensions["trede.engine"]
    try:
        with engine.reader.connect() as conn:
            conn.execute(text("SELECT 1"))
            n_cases = conn.execute(select(func.count()).select_from(cases)).scalar_one()
            n_versions = conn.execute(select(func.count()).select_from(process_versions)).scalar_one()
        return {"status": "ok", "database": engine.db.dialect.name, "cases": n_cases,
                "process_versions": n_versions}
    except Exception:  # noqa: BLE001 - the page must answer even when the database is down
        return {"status": "error", "database": engine.db.dialect.name,
                "message": "database onbereikbaar of niet gemigreerd (trede db upgrade)"}


@bp.get("/health")
def health():
    status = _status()
    code = 200 if status["status"] == "ok" else 503
    if request.accept_mimetypes.best == "application/json":
        return jsonify(status), code
    return render_template("health.html", status=status), code


@bp.get("/")
def index():
    """Signed in: straight to the area of one's role (worklist, audit, designer)."""
    from web.auth import landing_url

    user = g.get("user")
    if user is not None:
        target = landing_url(user)
        if target != request.path:
            return redirect(target)
    return render_template("health.html", status=_status())
