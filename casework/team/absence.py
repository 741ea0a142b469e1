"""Absence cover: a user absent from/to (inclusive, Europe/Amsterdam dates) with a vervanger.

During the absence the vervanger sees the absent user's claimed tasks in the "Waarneming" view of
their worklist and may take them over; the absent user's team sees them in "Onverdeeld in mijn
team" and may take them over as well (a deadline does not wait for the vervanger). Absences are
never deleted: ending one early moves its end date to yesterday, and the beheer log keeps both.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.accounts.service import User
from casework.people import today
from casework.tables import absences, users
from casework.team.scope import member_or_error
from engine.errors import NotFound
from engine.storage.db import read_only, utcnow


@dataclass(frozen=True)
class Absence:
    id: int
    username: str
    vervanger: str
    start: date
    end: date
    created_by: str

    def state(self, on: date) -> str:
        if self.end < self.start:
            return "ingetrokken"
        if self.end < on:
            return "voorbij"
        return "nu" if self.start <= on else "gepland"




def absent_now(conn: Connection, gemeente: str, on: date | None = None) -> dict[str, str]:
    """username -> vervanger of everyone absent today."""
    on = on or today()
    return dict(conn.execute(select(absences.c.username, absences.c.vervanger).where(
        absences.c.gemeente == gemeente, absences.c.start_date <= on, absences.c.end_date >= on)).all())


def absent_teammates(conn: Connection, user: User, on: date | None = None) -> list[str]:
    """Absent colleagues of the user's own team (nobody when the user has no team)."""
    away = absent_now(conn, user.gemeente, on)
    if not away or not user.team:
        return []
    return list(conn.execute(select(users.c.username).where(
        users.c.gemeente == user.gemeente, users.c.team == user.team, users.c.username.in_(away),
        users.c.username != user.username)).scalars())


def absence_list(db: Engine, gemeente: str, usernames: list[str]) -> list[Absence]:
    """Current and planned absences of these users (past ones are in the beheer log)."""
    with read_only(db).connect() as conn:
        rows = conn.execute(select(absences).where(
            absences.c.gemeente == gemeente, absences.c.username.in_(usernames),
            absences.c.end_date >= today())
            .order_by(absences.c.start_date, absences.c.id)).mappings().all()
    return [Absence(r["id"], r["username"], r["vervanger"], r["start_date"], r["end_date"], r["created_by"])
            for r in rows]


def mark_absent(db: Engine, actor: User, form: dict[str, str]) -> None:
    errors: dict[str, str] = {}
    start = _date(form.get("afwezig_van", ""), "afwezig_van", "Afwezig van", errors)
    end = _date(form.get("afwezig_tot", ""), "afwezig_tot", "Afwezig tot en met", errors)
    if start and end and end < start:
        errors["afwezig_tot"] = "Afwezig tot en met: deze datum ligt voor de begindatum."
    elif end and end < today():
        errors["afwezig_tot"] = "Afwezig tot en met: deze datum is al voorbij."
    with db.begin() as conn:
        absent = member_or_error(conn, actor, form.get("medewerker", ""), "medewerker", "Medewerker", errors)
        cover = member_or_error(conn, actor, form.get("vervanger", ""), "vervanger", "Vervanger", errors,
                                casework=True)
        if absent and cover and absent.username == cover.username:
            errors["vervanger"] = "Vervanger: kies iemand anders dan de afwezige medewerker."
        # Each missing value has its message in ``errors``; the None checks tell the type checker so.
        if errors or absent is None or cover is None or start is None or end is None:
            raise FormErrors(errors)
        if _overlaps(conn, actor.gemeente, absent.username, start, end):
            raise FormErrors({"afwezig_van":
                              f"Afwezig van: {absent.naam} is in deze periode al afwezig gemeld."})
        conn.execute(absences.insert().values(gemeente=actor.gemeente, username=absent.username,
                                              vervanger=cover.username, start_date=start, end_date=end,
                                              created_by=actor.username, created_at=utcnow()))
        record(conn, actor.gemeente, actor.username, "afwezigheid_gemeld", absent.username,
               f"{start:%d-%m-%Y} t/m {end:%d-%m-%Y}, vervanger {cover.username}")


def end_absence(db: Engine, actor: User, absence_id: int) -> None:
    """End an absence today (it stays on record): the end date becomes yesterday."""
    yesterday = today() - timedelta(days=1)
    with db.begin() as conn:
        row = conn.execute(select(absences).where(absences.c.id == absence_id,
                                                  absences.c.gemeente == actor.gemeente)).mappings().first()
        if row is None or member_or_error(conn, actor, row["username"], "x", "x", {}) is None:
            raise NotFound("afwezigheid niet gevonden")
        if row["end_date"] <= yesterday:
            return
        conn.execute(update(absences).where(absences.c.id == absence_id).values(end_date=yesterday))
        record(conn, actor.gemeente, actor.username, "afwezigheid_beeindigd", row["username"],
               f"was {row['start_date']:%d-%m-%Y} t/m {row['end_date']:%d-%m-%Y}; "
               f"beëindigd per {today():%d-%m-%Y}")


def _overlaps(conn: Connection, gemeente: str, username: str, start: date, end: date) -> bool:
    return conn.execute(select(absences.c.id).where(
        absences.c.gemeente == gemeente, absences.c.username == username, absences.c.start_date <= end,
        absences.c.end_date >= start, absences.c.end_date >= absences.c.start_date)).first() is not None


def _date(value: str, field: str, label: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = f"{label}: vul een geldige datum in, bijvoorbeeld {today():%Y-%m-%d}."
        return None
