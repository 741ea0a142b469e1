"""Shared set-up for the web tests: the test bundle, users in two gemeenten, a case, sign-in."""
from __future__ import annotations

import re
from pathlib import Path

from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from engine.service import CaseEngine

MODELS = Path(__file__).parent / "models"
PASSWORD = "geheim-wachtwoord"
BSN = "999990019"  # test range, passes the elfproef
OTHER_BSN = "999990021"  # fails the elfproef
BSN_2 = "111222333"
PROPOSAL = {"outputs": {"recht": True}, "regel": "R3 (uitstroom > 6 maanden)", "versie": "2026-01-01",
            "gemeente": "ooststellingwerf", "peildatum": "2026-01-05", "inputs": {"maandenUitstroom": 7}}

# username, naam, gemeente, roles
USERS = [
    ("cm", "Carla Casemanager", "ooststellingwerf", ["casemanager"]),
    ("cm2", "Kees Collega", "ooststellingwerf", ["casemanager"]),
    ("lead", "Tineke Teamleider", "ooststellingwerf", ["teamleider"]),
    ("fin", "Frits Financien", "ooststellingwerf", ["financien"]),
    ("apel", "Anna Apeldoorn", "apeldoorn", ["casemanager", "teamleider"]),
]
_HASH: list[str] = []


def deploy(engine: CaseEngine) -> None:
    engine.deploy({p.name: p.read_bytes() for p in MODELS.iterdir() if p.suffix in (".bpmn", ".json")})


def add_users(engine: CaseEngine) -> None:
    if not _HASH:  # hash once per run: scrypt is deliberately slow
        _HASH.append(generate_password_hash(PASSWORD))
    for username, naam, gemeente, roles in USERS:
        create_user(engine.db, username, PASSWORD, naam, gemeente, roles, team="Team Werk",
                    password_hash=_HASH[0])


def start_case(engine: CaseEngine, gemeente: str = "ooststellingwerf", bsn: str = BSN,
               naam: str = "Jan Jansen", proposal: bool = True):
    data = {"beslissing_UitstroompremieRecht": PROPOSAL} if proposal else {}
    return engine.start_case(gemeente, bsn, naam, "begeleiding", data)


def csrf_token(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match[1]


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})
