"""What a beheerder does with the accounts of their own gemeente: create, change roles and team,
deactivate and reactivate, reset a password. Teams and settings are in ``casework/accounts/teams.py``.

Rules (decided here, documented in docs/security.md):
- a beheerder only ever sees and changes users of their own gemeente (another gemeente: NotFound);
- users are never deleted, only deactivated: case histories name them;
- the gemeente always keeps at least one active beheerder, and a beheerder cannot deactivate
  themselves or take away their own beheerder role (a colleague must do it), so nobody locks the
  gemeente out of its own administration by accident;
- every change writes a line to the beheer log in the same transaction;
- deactivating a user or resetting their password ends their sign-in sessions at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping
from werkzeug.security import generate_password_hash

from casework.accounts import sessions
from casework.accounts.adminlog import record
from casework.accounts.passwords import password_problem
from casework.accounts.service import User
from casework.roles import ROLES
from casework.tables import teams, users
from casework.team.caseload import Caseload, caseload
from engine.errors import NotFound
from engine.storage.db import read_only, utcnow, work_items
from engine.storage.rows import inserted_id

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class FormErrors(ValueError):
    """Field -> Dutch message; nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    naam: str
    roles: tuple[str, ...]
    team: str | None
    active: bool
    created_at: datetime

    @property
    def role_names(self) -> str:
        return ", ".join(ROLES.get(r, r) for r in self.roles)


def accounts(db: Engine, gemeente: str) -> list[Account]:
    """Every user of the gemeente, active and deactivated."""
    with read_only(db).connect() as conn:
        rows = conn.execute(select(users).where(users.c.gemeente == gemeente)
                            .order_by(users.c.active.desc(), users.c.naam)).mappings().all()
    return [_account(r) for r in rows]


def account(db: Engine, admin: User, user_id: int) -> Account:
    with read_only(db).connect() as conn:
        return _account(_row(conn, admin, user_id))


def create_account(db: Engine, admin: User, form: dict[str, str], roles: list[str]) -> Account:
    username = form.get("gebruikersnaam", "").strip().lower()
    naam = form.get("naam", "").strip()
    errors = _role_errors(roles)
    if not USERNAME.match(username):
        errors["gebruikersnaam"] = ("Gebruikersnaam: gebruik 3 tot 64 kleine letters, cijfers, punten, "
                                    "streepjes of liggende streepjes, bijvoorbeeld casemanager3.woerden.")
    if not naam or len(naam) > 255:
        errors["naam"] = "Naam: vul de naam van de medewerker in (maximaal 255 tekens)."
    errors.update(_password_errors(form, username))
    with db.begin() as conn:
        team = _team_or_error(conn, admin.gemeente, form.get("team", ""), errors)
        if "gebruikersnaam" not in errors and conn.execute(
                select(users.c.id).where(users.c.username == username)).first():
            errors["gebruikersnaam"] = f"Gebruikersnaam: {username} bestaat al; kies een andere."
        if errors:
            raise FormErrors(errors)
        user_id = inserted_id(conn.execute(users.insert().values(
            username=username, password_hash=generate_password_hash(form["wachtwoord"]), naam=naam,
            gemeente=admin.gemeente, roles=" ".join(roles), team=team, active=True,
            created_at=utcnow())))
        record(conn, admin.gemeente, admin.username, "gebruiker_aangemaakt", username,
               f"{naam}; rollen: {' '.join(roles)}; team: {team or 'geen'}")
        return _account(_row(conn, admin, user_id))


def change_roles(db: Engine, admin: User, user_id: int, roles: list[str], team_name: str) -> Account:
    errors = _role_errors(roles)
    with db.begin() as conn:
        _lock_gemeente_users(conn, admin.gemeente)
        row = _row(conn, admin, user_id)
        team = _team_or_error(conn, admin.gemeente, team_name, errors)
        before = set(row["roles"].split())
        if "beheerder" in before and "beheerder" not in roles and not errors:
            if row["id"] == admin.id:
                errors["rollen"] = ("Rollen: u kunt uw eigen beheerdersrol niet weghalen; "
                                    "laat een andere beheerder dat doen.")
            elif row["active"] and _active_beheerders(conn, admin.gemeente) <= 1:
                errors["rollen"] = "Rollen: dit is de laatste actieve beheerder van uw gemeente."
        if errors:
            raise FormErrors(errors)
        conn.execute(update(users).where(users.c.id == user_id).values(roles=" ".join(roles), team=team))
        record(conn, admin.gemeente, admin.username, "rollen_gewijzigd", row["username"],
               f"rollen: {row['roles']} → {' '.join(roles)}; "
               f"team: {row['team'] or 'geen'} → {team or 'geen'}")
        return _account(_row(conn, admin, user_id))


def set_active(db: Engine, admin: User, user_id: int, active: bool, reason: str) -> Account:
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason or len(reason) > 500:
        errors["reden"] = "Reden: vul in waarom (maximaal 500 tekens)."
    with db.begin() as conn:
        _lock_gemeente_users(conn, admin.gemeente)
        row = _row(conn, admin, user_id)
        if row["active"] == active:
            errors["reden"] = f"Deze gebruiker is al {'actief' if active else 'gedeactiveerd'}."
        elif not active and row["id"] == admin.id:
            errors["reden"] = "U kunt uw eigen account niet deactiveren; laat een andere beheerder dat doen."
        elif (not active and "beheerder" in row["roles"].split()
              and _active_beheerders(conn, admin.gemeente) <= 1):
            errors["reden"] = "Dit is de laatste actieve beheerder van uw gemeente."
        elif not active and (load := caseload(conn, admin.gemeente, row["username"])).case_ids:
            errors["reden"] = successor_first(row["naam"], load)
        if errors:
            raise FormErrors(errors)
        conn.execute(update(users).where(users.c.id == user_id).values(active=active))
        if not active:  # signed out everywhere at once, not at their next page (issue 17, finding 3)
            sessions.end_all_of(conn, user_id, utcnow(), sessions.DEACTIVATED)
        record(conn, admin.gemeente, admin.username, "gereactiveerd" if active else "gedeactiveerd",
               row["username"], reason)
        return _account(_row(conn, admin, user_id))


def open_tasks(conn: Connection, gemeente: str, username: str) -> int:
    """The open tasks someone holds: work that would be stranded under a name nobody signs in as."""
    return conn.execute(select(func.count()).select_from(work_items).where(
        work_items.c.gemeente == gemeente, work_items.c.claimed_by == username)).scalar_one()


def successor_first(naam: str, load: Caseload) -> str:
    """Both counts (issue 18 item 5): open tasks, and clients whose casemanager they are, even where
    nothing is open now (a timer will make the next task)."""
    tasks = f"{load.tasks} open {'taak' if load.tasks == 1 else 'taken'}"
    clients = f"{load.clients} {'cliënt' if load.clients == 1 else 'cliënten'} in de caseload"
    return (f"{naam} heeft nog {tasks} en {clients}. Draag de caseload eerst over aan een opvolger "
            "(pagina Team, Caseload overdragen); daarna kunt u deactiveren.")


def reset_password(db: Engine, admin: User, user_id: int, form: dict[str, str]) -> None:
    """A new password chosen by the beheerder (to hand over in person); the policy applies."""
    with db.begin() as conn:
        row = _row(conn, admin, user_id)
        errors = _password_errors(form, row["username"])
        if errors:
            raise FormErrors(errors)
        conn.execute(update(users).where(users.c.id == user_id)
                     .values(password_hash=generate_password_hash(form["wachtwoord"])))
        # whoever signed in with the old password (perhaps not its owner) is signed out
        sessions.end_all_of(conn, user_id, utcnow(), sessions.PASSWORD_RESET)
        record(conn, admin.gemeente, admin.username, "wachtwoord_gereset", row["username"],
               "nieuw wachtwoord ingesteld door de beheerder")


def _row(conn: Connection, admin: User, user_id: int) -> RowMapping:
    row = conn.execute(select(users).where(users.c.id == user_id, users.c.gemeente == admin.gemeente)
                       ).mappings().first()
    if row is None:
        raise NotFound("gebruiker niet gevonden")  # also for a user of another gemeente
    return row


def _account(row: RowMapping) -> Account:
    return Account(row["id"], row["username"], row["naam"], tuple(row["roles"].split()), row["team"],
                   bool(row["active"]), row["created_at"])


def _role_errors(roles: list[str]) -> dict[str, str]:
    if not roles:
        return {"rollen": "Rollen: kies minstens één rol."}
    if any(r not in ROLES for r in roles):
        return {"rollen": "Rollen: kies alleen rollen uit de lijst."}
    return {}


def _password_errors(form: dict[str, str], username: str) -> dict[str, str]:
    password = form.get("wachtwoord", "")
    if problem := password_problem(password, username):
        return {"wachtwoord": f"Wachtwoord: {problem}."}
    if password != form.get("wachtwoord2", ""):
        return {"wachtwoord2": "Herhaal wachtwoord: de twee wachtwoorden zijn niet gelijk."}
    return {}


def _team_or_error(conn: Connection, gemeente: str, name: str, errors: dict[str, str]) -> str | None:
    name = name.strip()
    if not name:
        return None
    found = conn.execute(select(teams.c.name)
                         .where(teams.c.gemeente == gemeente, teams.c.name == name)).scalar()
    if found is None:
        errors["team"] = "Team: kies een bestaand team van uw gemeente, of maak het eerst aan."
    return found


def _lock_gemeente_users(conn: Connection, gemeente: str) -> None:
    # Two beheerders demoting each other at once must not both pass the "last beheerder" check.
    conn.execute(select(users.c.id).where(users.c.gemeente == gemeente).with_for_update()).all()


def _active_beheerders(conn: Connection, gemeente: str) -> int:
    rows = conn.execute(select(users.c.roles).where(users.c.gemeente == gemeente, users.c.active.is_(True)))
    return sum("beheerder" in roles.split() for (roles,) in rows)
