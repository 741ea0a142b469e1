"""Demo accounts: one user for every role in each of the five demo gemeenten (idempotent).

`trede demo load` calls ``load(engine)``. The password is published on the sign-in page in demo
mode, so it is the same for every account and means nothing outside a demo.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from casework.roles import GEMEENTEN, ROLES
from casework.tables import users
from engine.service import CaseEngine

DEMO_PASSWORD = "demo-trede"
TEAM = "Team Werk"

# (username prefix, naam, roles). Two case managers so a teamleider has someone to reassign to; two
# people in the financiële administratie, since a ledger line is approved by another than the one
# whose fiat booked it (four eyes, processes/ledger.py): with one, every demo payment stopped there.
_PEOPLE = [
    ("casemanager", "Sanne de Vries", ("casemanager",)),
    ("casemanager2", "Mohamed El Amrani", ("casemanager",)),
    ("teamleider", "Petra Bakker", ("teamleider",)),
    ("arbeidsdeskundige", "Joost Visser", ("arbeidsdeskundige",)),
    ("financien", "Ayse Yilmaz", ("financien",)),
    ("financien2", "Bart Kok", ("financien",)),
    ("procesontwerper", "Femke Smit", ("procesontwerper",)),
    ("auditor", "Ruud Mulder", ("auditor",)),
    ("beheerder", "Lotte Jansen", ("beheerder",)),
    ("privacy", "Noor Hendriks", ("privacy",)),
]
# Roles only some gemeenten's policy has: the people who work the lanes their pack routes there.
_LOCAL_PEOPLE = {
    "wassenaar": [("participatieconsulent", "Arwen Bos", ("participatieconsulent",))],  # seed 004
    "apeldoorn": [("lokaletoegang", "Kees Hermsen", ("lokale_toegang",))],  # seed 001 par. 8
}
assert {r for people in (_PEOPLE, *_LOCAL_PEOPLE.values()) for _, _, roles in people
        for r in roles} == set(ROLES)


def demo_accounts() -> list[dict[str, str]]:
    """Every demo account (for the sign-in page and the loader)."""
    return [{"username": f"{prefix}.{gemeente}", "naam": naam, "gemeente": gemeente,
             "roles": " ".join(roles), "password": DEMO_PASSWORD}
            for gemeente in GEMEENTEN for prefix, naam, roles in [*_PEOPLE, *_LOCAL_PEOPLE.get(gemeente, [])]]


def demo_present(db: Engine) -> bool:
    first = demo_accounts()[0]["username"]
    with db.connect() as conn:
        return conn.execute(select(users.c.id).where(users.c.username == first)).first() is not None


def load(engine: CaseEngine) -> str:
    with engine.db.connect() as conn:
        existing = set(conn.execute(select(users.c.username)).scalars())
    # One hash for all: 40 scrypt runs would only slow the loader down for a public password.
    shared_hash = generate_password_hash(DEMO_PASSWORD)
    created = 0
    for account in demo_accounts():
        if account["username"] in existing:
            continue
        create_user(engine.db, account["username"], DEMO_PASSWORD, account["naam"], account["gemeente"],
                    account["roles"].split(), team=TEAM, password_hash=shared_hash)
        created += 1
    return f"demo-accounts: {created} aangemaakt (wachtwoord {DEMO_PASSWORD})"
