"""The auditor's search form over the processing log: parse, validate, query, present."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app

from casework.accounts.service import User
from engine.audit.processing_log import REGISTER, LogQuery, activity_by_uri, search
from engine.service import CaseEngine
from processes.bsn import is_valid_bsn, normalize_bsn
from web.app import settings_of
from web.audit.ldv import pseudonymizer
from web.audit.service import LOCAL_TZ

STATUS_LABELS = {0: "onbepaald", 1: "gelukt", 2: "fout"}


@dataclass
class LogSearch:
    query: LogQuery | None = None
    errors: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    searched: bool = False


def parse(user: User, form: dict[str, str]) -> LogSearch:
    """A query from the form; the BSN stays in this request only and is never echoed back."""
    errors: dict[str, str] = {}
    bsn = normalize_bsn(form.get("bsn", "")) if form.get("bsn", "").strip() else None
    if bsn and not is_valid_bsn(bsn):
        errors["bsn"] = "BSN: vul een geldig burgerservicenummer in (9 cijfers, elfproef)."
    key = form.get("activiteit", "").strip() or None
    if key and key not in REGISTER:
        errors["activiteit"] = "Verwerkingsactiviteit: kies een activiteit uit de lijst."
    since = _day(form.get("van"), "van", errors)
    until = _day(form.get("tot"), "tot", errors)
    if since and until and until < since:
        errors["tot"] = "Tot en met: kies een datum op of na de begindatum."
    if errors:
        return LogSearch(errors=errors)
    return LogSearch(LogQuery(
        gemeente=user.gemeente, subject_bsn=bsn, actor=form.get("actor", "").strip() or None,
        activity_key=key,
        since=datetime.combine(since, time(), tzinfo=LOCAL_TZ) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), tzinfo=LOCAL_TZ) if until else None))


def _day(text: str | None, name: str, errors: dict[str, str]) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{'Van' if name == 'van' else 'Tot en met'}: vul een datum in als JJJJ-MM-DD."
        return None


def run(engine: CaseEngine, found: LogSearch) -> LogSearch:
    if found.query is not None:
        base = settings_of(current_app).register_base
        found.rows = [_present(r, base) for r in search(engine.db, found.query, pseudonymizer(), base)]
        found.searched = True
    return found


def _present(row: dict[str, Any], register_base: str) -> dict[str, Any]:
    entry = activity_by_uri(row["processing_activity_id"], register_base)
    return {**row, "activity_name": entry.name if entry else row["processing_activity_id"],
            "status": STATUS_LABELS.get(row["status_code"], str(row["status_code"]))}
