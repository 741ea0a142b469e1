"""The roles a user can have, with their Dutch names for the UI."""
from __future__ import annotations

ROLES: dict[str, str] = {
    "casemanager": "Casemanager",
    # Wassenaar: category 2A (bemiddelbaar binnen 24-48 maanden) "wordt bemiddeld door de
    # participatieconsulenten" (seed 004, Tabel 3); the pack routes that work to this role.
    "participatieconsulent": "Participatieconsulent",
    # Apeldoorn: the goals of Werkt mee are "opgesteld door de lokale toegang samen met de inwoner en
    # de aanbieder" (seed 001 par. 8); the pack routes Werkt mee's casemanager work to this role.
    "lokale_toegang": "Lokale toegang",
    "teamleider": "Teamleider",
    "arbeidsdeskundige": "Arbeidsdeskundige",
    "financien": "Financiën",
    "procesontwerper": "Procesontwerper",
    "auditor": "Auditor",
    "beheerder": "Beheerder",
    "privacy": "Privacyfunctionaris",  # answers inzageverzoeken (AVG art. 15)
}

# Who may read fields marked x-bijzondere-categorie (health data, AVG art. 9): only the people
# who need them for the plan van aanpak.
SPECIAL_CATEGORY_ROLES = frozenset({"casemanager", "participatieconsulent", "arbeidsdeskundige",
                                    "teamleider"})

# Who may start a new case (intake), write notes and work on tasks.
CASEWORK_ROLES = frozenset({"casemanager", "participatieconsulent", "lokale_toegang", "teamleider",
                            "arbeidsdeskundige", "financien"})
# Who may read worklists, task forms and dossiers: the case workers, and the auditor (read only).
# Process designers and administrators have no need for personal data (AVG data minimisation).
CASE_READ_ROLES = CASEWORK_ROLES | {"auditor"}
# Who reads the register of providers and employers (issue 18 item 2): the people who assess offers.
PARTY_READ_ROLES = frozenset({"casemanager", "teamleider"})

# Where each kind of user starts after sign-in, and the main menu: (role set, endpoint, label).
AREAS = [
    (CASE_READ_ROLES - {"auditor"}, "worklist.index", "Werkvoorraad"),
    (CASEWORK_ROLES, "dossier.new", "Nieuwe zaak"),
    (PARTY_READ_ROLES, "partijen.index", "Partijen"),
    (frozenset({"auditor"}), "audit.index", "Audit"),
    (frozenset({"procesontwerper", "beheerder"}), "designer.index", "Processen"),
    (frozenset({"financien"}), "ledger.index", "Grootboek"),
    (frozenset({"privacy"}), "privacy.index", "Inzage"),
    (frozenset({"teamleider"}), "reports.index", "Rapportages"),
    (frozenset({"teamleider", "beheerder"}), "team.index", "Team"),
    (frozenset({"beheerder"}), "beheer.index", "Beheer"),
]

GEMEENTEN: dict[str, str] = {
    "ooststellingwerf": "Ooststellingwerf",
    "apeldoorn": "Apeldoorn",
    "wassenaar": "Wassenaar",
    "zeeuws-vlaanderen": "Zeeuws-Vlaanderen",
    "woerden": "Woerden",
}


def gemeente_name(code: str) -> str:
    return GEMEENTEN.get(code, code)


# Lanes in the models are named for people ("casemanager werk", "financiële administratie");
# these are the names that are not simply "<role> <anything>". A gemeente's rule pack may route a
# model's lane to another one (processes/decisions/routing.py): "participatieconsulent", "lokale toegang".
LANE_ALIASES = {"financiële administratie": "financien", "financiele administratie": "financien",
                "financiën": "financien", "lokale toegang": "lokale_toegang"}


def lane_role(lane: str | None) -> str | None:
    """The role that works in a lane; None when the lane names no role (anyone may work there)."""
    if not lane:
        return None
    name = lane.strip().lower()
    if name in LANE_ALIASES:
        return LANE_ALIASES[name]
    first = name.split()[0] if name.split() else ""
    return first if first in ROLES else None


def may_work_in_lane(roles: frozenset[str], lane: str | None) -> bool:
    role = lane_role(lane)
    return role is None or role in roles
