"""The roles a user can have, with their Dutch names for the UI."""
from __future__ import annotations

ROLES: dict[str, str] = {
    "casemanager": "Casemanager",
    "teamleider": "Teamleider",
    "arbeidsdeskundige": "Arbeidsdeskundige",
    "financien": "Financiën",
    "procesontwerper": "Procesontwerper",
    "auditor": "Auditor",
    "beheerder": "Beheerder",
}

# Who may read fields marked x-bijzondere-categorie (health data, AVG art. 9): only the people
# who need them for the plan van aanpak.
SPECIAL_CATEGORY_ROLES = frozenset({"casemanager", "arbeidsdeskundige", "teamleider"})

# Who may start a new case (intake) and work on tasks.
CASEWORK_ROLES = frozenset({"casemanager", "teamleider", "arbeidsdeskundige", "financien"})

GEMEENTEN: dict[str, str] = {
    "ooststellingwerf": "Ooststellingwerf",
    "apeldoorn": "Apeldoorn",
    "wassenaar": "Wassenaar",
    "zeeuws-vlaanderen": "Zeeuws-Vlaanderen",
    "woerden": "Woerden",
}


def gemeente_name(code: str) -> str:
    return GEMEENTEN.get(code, code)
