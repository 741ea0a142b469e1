"""Quarterly report pages (teamleider, own gemeente only): figures with charts, CSV and XLSX
downloads, publishing, and the published reports shown from storage."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from engine.errors import NotFound
from processes.reports import export, store
from processes.reports.periods import Period, legal_day, parse_period, recent_periods
from processes.reports.quarterly import build, section
from web.auth import case_engine, current_user, guard_blueprint
from web.reports.chart import bar_chart

bp = Blueprint("reports", __name__, url_prefix="/rapportages")
READERS = frozenset({"teamleider"})
guard_blueprint(bp, READERS)


def _period(code: str) -> Period:
    try:
        return parse_period(code)
    except ValueError:
        abort(404)


@bp.get("/")
def index():
    engine, user = case_engine(), current_user()
    chosen = request.args.get("periode")
    if chosen:
        return redirect(url_for("reports.show", code=chosen))
    return render_template("reports/index.html", periods=recent_periods(legal_day(engine.clock.now())),
                           publications=store.published(engine.db, user.gemeente))


def _running(period: Period) -> bool:
    """A period not yet over: its figures can still change, so it is shown but not published."""
    return period.end >= legal_day(case_engine().clock.now())


@bp.get("/<code>")
def show(code: str):
    period = _period(code)
    report = build(case_engine().db, current_user().gemeente, period)
    return render_template("reports/show.html", report=report, charts=charts(report), publication=None,
                           code=period.code, running=_running(period))


@bp.get("/<code>.csv")
def csv_download(code: str):
    report = build(case_engine().db, current_user().gemeente, _period(code))
    return _csv(report, f"rapportage-{report['gemeente']}-{code}.csv")


@bp.get("/<code>.xlsx")
def xlsx_download(code: str):
    report = build(case_engine().db, current_user().gemeente, _period(code))
    return _xlsx(report, f"rapportage-{report['gemeente']}-{code}.xlsx")


@bp.post("/<code>/publiceren")
def publish(code: str):
    engine, user = case_engine(), current_user()
    period = _period(code)
    if _running(period):
        flash("Een periode kan pas na afloop worden gepubliceerd: tot dan kunnen de cijfers nog veranderen.",
              "error")
        return redirect(url_for("reports.show", code=period.code))
    report = build(engine.db, user.gemeente, period)
    publication_id = store.publish(engine.db, report, user.username, engine.clock.now())
    flash(f"De rapportage over {report['titel'].removeprefix('Kwartaalrapportage ')} is gepubliceerd.")
    return redirect(url_for("reports.published", publication_id=publication_id))


@bp.get("/gepubliceerd/<int:publication_id>")
def published(publication_id: int):
    found = _publication(publication_id)
    return render_template("reports/show.html", report=found.report, charts=charts(found.report),
                           publication=found, code=found.periode)


@bp.get("/gepubliceerd/<int:publication_id>.csv")
def published_csv(publication_id: int):
    found = _publication(publication_id)
    return _csv(found.report, f"rapportage-{found.gemeente}-{found.periode}-gepubliceerd-{found.id}.csv")


@bp.get("/gepubliceerd/<int:publication_id>.xlsx")
def published_xlsx(publication_id: int):
    found = _publication(publication_id)
    return _xlsx(found.report, f"rapportage-{found.gemeente}-{found.periode}-gepubliceerd-{found.id}.xlsx")


def _publication(publication_id: int) -> store.Publication:
    try:  # another gemeente's publication answers 404: we do not even confirm it exists
        return store.get(case_engine().db, publication_id, current_user().gemeente)
    except NotFound:
        abort(404)


def _csv(report: dict, filename: str) -> Response:
    # BOM: Excel then reads the file as UTF-8 (ë in "Geïsoleerd")
    return Response("\ufeff" + export.to_csv(report), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _xlsx(report: dict, filename: str) -> Response:
    return Response(export.to_xlsx(report),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def charts(report: dict) -> list:
    found = []
    stand = section(report, "standcijfers")
    if stand:
        counts = stand["counts"]
        found.append(bar_chart("Aantal personen per trede", [f"trede {t}" for t in range(1, 7)],
                               [(stand["columns"][1], counts[0]), (stand["columns"][3], counts[1])]))
    outflow = section(report, "uitstroom")
    if outflow:
        rows = [r for r in outflow["rows"] if r[1] is not None]
        found.append(bar_chart("Resultaten re-integratie", [r[0].split(" (")[0] for r in rows],
                               [("aantal", [r[1] for r in rows])]))
    return found
