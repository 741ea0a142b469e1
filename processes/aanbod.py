"""The public workplace offer of a provider (Zeeuws-Vlaanderen, seed 000 "Inschrijving en procedure").

"Een aanbod dat voldoet aan de genoemde voorwaarden, kunt u indienen via het contactformulier. Wij
vragen u bewijsstukken, waaruit blijkt dat u voldoet aan de kwaliteitseisen, mee te sturen als
bijlagen." The offer starts ``werkplek_aanbod``; the evidence becomes documents on that case, all
in one transaction (an offer never exists without its evidence, or the reverse).

A provider is not an inwoner: the offer creates the provider in the register of parties, or brings
it up to date (found again by its KvK number), and opens a case of its own linked to it
(processes/parties.py); no client row, no BSN (issue 18 item 2).

The provider's own answers to the quality requirements are kept under ``aanbod`` and NOT in the
fields of the toets: the case manager checks the evidence and ticks the requirements there.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from engine.errors import InvalidInput
from engine.service import CaseEngine
from processes import documents, parties
from processes.tables import public_submissions

GEMEENTE = "zeeuws-vlaanderen"
PROCESS = "werkplek_aanbod"
ACTOR = "contactformulier"
MAX_PER_HOUR = 5  # offers (cases) from one address
MAX_FILES = 5
# Posts of the form, valid or not, counted before the body is read (issue 17 finding 8): from one
# address, and in all. The form is the one gemeente's (GEMEENTE), so its total is the gemeente's.
ATTEMPTS_PER_ADDRESS = 20
ATTEMPTS_PER_GEMEENTE = 300
# The largest post the form takes, its evidence included (one file may be as large as this).
MAX_BODY = documents.MAX_BYTES
EISEN = {  # seed 000 "Kwaliteitseisen", in the provider's words
    "regioZeeuwsVlaanderen": "De werkzaamheden worden in de regio Zeeuws-Vlaanderen aangeboden.",
    "begeleiderHbo": (
        "De begeleider heeft affiniteit en ervaring met de doelgroep en functioneert op hbo-niveau."
    ),
    "verzekeringGeregeld": "De vereiste (aansprakelijkheids)verzekeringen zijn geregeld.",
    "werkruimteVoldoet": "De werkruimte voldoet aan de door de overheid gestelde eisen.",
    "aansprakelijkheidAanbieder": (
        "Wij zijn aansprakelijk voor schade van kandidaten tijdens hun werkzaamheden."
    ),
    "jaarBeschikbaar": "Wij stellen minimaal een jaar begeleiding en werkzaamheden beschikbaar.",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class TooMany(Exception):
    """More offers (or posts) from this address, or in all, in the last hour than allowed."""


@dataclass(frozen=True)
class Bijlage:
    filename: str
    content: bytes


def address_key(address: str, secret: bytes) -> str:
    """A keyed hash: the rate limit needs to recognise an address, not to store it (AVG)."""
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


def validate(form: dict[str, str], files: list[Bijlage]) -> tuple[dict, dict[str, str]]:
    """The start data, and per field a Dutch message for what is wrong (empty when all is well)."""
    errors: dict[str, str] = {}

    def text(name: str, label: str, limit: int, required: bool = True) -> str:
        value = (form.get(name) or "").strip()
        if required and not value:
            errors[name] = f"Vul {label} in."
        elif len(value) > limit:
            errors[name] = f"{label[:1].upper()}{label[1:]} is te lang (hoogstens {limit} tekens)."
        return value

    def number(name: str, label: str, low: int, high: int) -> int | None:
        raw = (form.get(name) or "").strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            errors[name] = f"Vul bij {label} een heel getal van {low} tot en met {high} in."
            return None
        return int(raw)

    aanbieder = text("aanbieder", "de naam van uw organisatie", 200)
    kvk = text("kvk", "uw KvK-nummer", 8)
    if kvk and not (kvk.isdigit() and len(kvk) == 8):
        errors["kvk"] = "Een KvK-nummer bestaat uit 8 cijfers."
    contact = text("contactpersoon", "de naam van de contactpersoon", 200)
    email = text("email", "uw e-mailadres", 254)
    if email and not EMAIL.match(email):
        errors["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl."
    telefoon = text("telefoon", "uw telefoonnummer", 20, required=False)
    adres = text("adres", "het adres van de werkplek", 200, required=False)
    plaats = text("plaats", "de plaats van de werkplek", 100)
    werkzaamheden = text("werkzaamheden", "de werkzaamheden en de begeleiding", 2000)
    uren = number("urenPerWeek", "uren per week", 1, 40)
    maanden = number("toezeggingMaanden", "het aantal maanden", 1, 120)
    claims = {key: form.get(key) == "ja" for key in EISEN}
    if not files:
        errors["bewijsstukken"] = (
            "Voeg de bewijsstukken toe waaruit blijkt dat u aan de kwaliteitseisen voldoet."
        )
    elif len(files) > MAX_FILES:
        errors["bewijsstukken"] = f"Voeg hoogstens {MAX_FILES} bestanden toe."
    else:
        for bijlage in files:
            try:
                documents.validate(bijlage.filename, bijlage.content)
            except InvalidInput as exc:  # its message names the problem after "bestand: "
                errors["bewijsstukken"] = f"{bijlage.filename}: {str(exc).split(': ', 1)[-1]}."
                break
    data = {
        "aanbieder": aanbieder,
        "werkzaamheden": werkzaamheden,
        "urenPerWeek": uren,
        "toezeggingMaanden": maanden,
        "aanbod": {
            "kvk": kvk,
            "contactpersoon": contact,
            "email": email,
            "telefoon": telefoon,
            "adres": adres,
            "plaats": plaats,
            "eisenVolgensAanbieder": claims,
        },
    }
    return data, errors


def admit(engine: CaseEngine, address: str, secret: bytes) -> int:
    """Count this post before anything of its body is read: TooMany past either limit, else its row
    (an attempt: no case yet), which ``submit`` fills in when the offer is taken."""
    key = address_key(address, secret)
    with engine.db.begin() as conn:
        since = engine.clock.now() - timedelta(hours=1)
        recent = public_submissions.c.at > since
        total = conn.execute(select(func.count()).select_from(public_submissions).where(recent)).scalar_one()
        mine = conn.execute(select(func.count()).select_from(public_submissions).where(
            recent, public_submissions.c.address_key == key)).scalar_one()
        if mine >= ATTEMPTS_PER_ADDRESS or total >= ATTEMPTS_PER_GEMEENTE:
            raise TooMany()
        return int(conn.execute(public_submissions.insert().values(
            address_key=key, at=engine.clock.now())).inserted_primary_key[0])


def submit(engine: CaseEngine, data: dict, files: list[Bijlage], address: str, secret: bytes,
           attempt: int | None = None) -> str:
    """Start the offer's case with its evidence; returns the provider's kenmerk.

    The kenmerk is random and kept with the offer (``aanbod.kenmerk``): the case number would
    tell anyone how many cases the installation holds."""
    key = address_key(address, secret)
    kenmerk = "AANBOD-" + secrets.token_hex(5).upper()
    data = {**data, "aanbod": {**data.get("aanbod", {}), "kenmerk": kenmerk}}
    with engine.transaction() as tx:
        now = tx.now
        recent = tx.conn.execute(
            select(func.count())
            .select_from(public_submissions)
            .where(
                public_submissions.c.address_key == key, public_submissions.c.at > now - timedelta(hours=1),
                public_submissions.c.case_id.is_not(None),
            )
        ).scalar_one()
        if recent >= MAX_PER_HOUR:
            raise TooMany()
        offer = data["aanbod"]
        party_id = parties.save(tx.conn, GEMEENTE, "aanbieder", {**offer, "naam": data["aanbieder"]}, now,
                                ACTOR)
        case = tx.open_case_without_client(GEMEENTE, ACTOR)
        parties.link(case, party_id, ACTOR)
        case.start_process(PROCESS, data, ACTOR)
        for bijlage in files:
            documents.add(case, "bewijsstuk", bijlage.filename, bijlage.content, ACTOR)
        if attempt is None:
            tx.conn.execute(public_submissions.insert().values(address_key=key, at=now, case_id=case.id))
        else:
            tx.conn.execute(public_submissions.update().where(public_submissions.c.id == attempt)
                            .values(case_id=case.id))
        return kenmerk


def prune(engine: CaseEngine, now: datetime | None = None) -> int:
    """Forget rate-limit rows older than a day (they only serve the last hour)."""
    now = now or engine.clock.now()
    with engine.db.begin() as conn:
        return conn.execute(
            public_submissions.delete().where(public_submissions.c.at < now - timedelta(days=1))
        ).rowcount
