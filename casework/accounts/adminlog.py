"""The beheer log: every change to accounts, teams, settings, absences and caseloads, append-only.

Written in the same transaction as the change it describes, so a change without its log line (or a
log line without its change) cannot exist. Shown on the beheer screen and the team page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from casework.tables import admin_log
from engine.storage.db import read_only, utcnow

ACTIONS = {
    "gebruiker_aangemaakt": "Gebruiker aangemaakt",
    "rollen_gewijzigd": "Rollen of team gewijzigd",
    "gedeactiveerd": "Gedeactiveerd",
    "gereactiveerd": "Gereactiveerd",
    "wachtwoord_gereset": "Wachtwoord opnieuw ingesteld",
    "team_aangemaakt": "Team aangemaakt",
    "team_hernoemd": "Team hernoemd",
    "instelling_gewijzigd": "Instelling gewijzigd",
    "caseload_overgedragen": "Caseload overgedragen",
    "casemanager_gewijzigd": "Casemanager van een zaak gewijzigd",
    "afwezigheid_gemeld": "Afwezigheid gemeld",
    "afwezigheid_beeindigd": "Afwezigheid beëindigd",
    "versie_gedeactiveerd": "Procesversie gedeactiveerd",
    "versie_geactiveerd": "Procesversie weer actief",
}


@dataclass(frozen=True)
class LogLine:
    at: datetime
    actor: str
    action: str
    subject: str | None
    detail: str

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


def record(conn: Connection, gemeente: str, actor: str, action: str, subject: str | None,
           detail: str) -> None:
    """One line, inside the caller's transaction."""
    conn.execute(admin_log.insert().values(gemeente=gemeente, actor=actor, at=utcnow(), action=action,
                                           subject=subject, detail=detail))


def recent(db: Engine, gemeente: str, subject: str | None = None, actions: tuple[str, ...] = (),
           limit: int = 50) -> list[LogLine]:
    query = select(admin_log).where(admin_log.c.gemeente == gemeente)
    if subject is not None:
        query = query.where(admin_log.c.subject == subject)
    if actions:
        query = query.where(admin_log.c.action.in_(actions))
    with read_only(db).connect() as conn:
        query = query.order_by(admin_log.c.at.desc(), admin_log.c.id.desc()).limit(limit)
        rows = conn.execute(query).mappings()
        return [LogLine(r["at"], r["actor"], r["action"], r["subject"], r["detail"]) for r in rows]
