"""A gemeente's letter template (issue 18 item 9): the name as written in its letters, the sender,
the signature line and a logo, and whether a letter is checked by someone other than its author.

Kept in ``gemeente_settings`` (casework owns the gemeente's settings); the beheerder edits it, each
change a line in the beheer log. The letters themselves are written by processes/beschikking_pdf.py,
which receives the template as a ``Briefhoofd``.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.people import User
from casework.tables import gemeente_settings
from engine.storage.db import read_only, utcnow
from processes.beschikking_pdf import Briefhoofd, gemeentenaam

LOGO_MAX_BYTES = 200 * 1024
_PNG, _JPEG = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
LIMITS = {"brief_naam": 128, "brief_afzender": 500, "brief_ondertekening": 300}


@dataclass(frozen=True)
class LetterSettings:
    hoofd: Briefhoofd
    vier_ogen: bool  # a letter is checked by someone other than the person whose decision it is
    has_logo: bool


def letter_settings(conn: Connection, gemeente: str) -> LetterSettings:
    query = select(gemeente_settings).where(gemeente_settings.c.gemeente == gemeente)
    row = conn.execute(query).mappings().first()
    if row is None:
        return LetterSettings(Briefhoofd.default(gemeente), True, False)
    hoofd = Briefhoofd(row["brief_naam"] or gemeentenaam(gemeente), row["brief_afzender"] or "",
                       row["brief_ondertekening"] or "", row["brief_logo"])
    return LetterSettings(hoofd, bool(row["brief_vier_ogen"]), row["brief_logo"] is not None)


def read(db: Engine, gemeente: str) -> LetterSettings:
    with read_only(db).connect() as conn:
        return letter_settings(conn, gemeente)


def save(db: Engine, admin: User, form: dict[str, str], logo: bytes | None, remove_logo: bool) -> None:
    """The beheerder's edit of the template; FormErrors by field, nothing written when one is wrong."""
    if not admin.has("beheerder"):
        raise FormErrors({"": "Alleen de beheerder past de briefsjabloon aan."})
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    labels = {"brief_naam": "Naam van de gemeente", "brief_afzender": "Afzender",
              "brief_ondertekening": "Ondertekening"}
    for name, limit in LIMITS.items():
        text = "\n".join(line.rstrip() for line in (form.get(name) or "").strip().splitlines())
        if len(text) > limit:
            errors[name] = f"{labels[name]}: hoogstens {limit} tekens."
        values[name] = text or None
    if not values["brief_naam"]:
        errors["brief_naam"] = "Naam van de gemeente: vul de naam in zoals die in brieven staat."
    if logo:
        if len(logo) > LOGO_MAX_BYTES:
            errors["brief_logo"] = "Logo: het bestand is groter dan 200 kB."
        elif not logo.startswith((_PNG, _JPEG)):
            errors["brief_logo"] = "Logo: kies een PNG- of JPEG-afbeelding."
        values["brief_logo"] = logo
    elif remove_logo:
        values["brief_logo"] = None
    if errors:
        raise FormErrors(errors)
    values["brief_vier_ogen"] = form.get("brief_vier_ogen") == "ja"
    with db.begin() as conn:
        stamp = {"updated_by": admin.username, "updated_at": utcnow()}
        changed = conn.execute(update(gemeente_settings).where(gemeente_settings.c.gemeente == admin.gemeente)
                               .values(**values, **stamp)).rowcount
        if not changed:
            conn.execute(gemeente_settings.insert().values(gemeente=admin.gemeente, team_scoped=False,
                                                           **values, **stamp))
        record(conn, admin.gemeente, admin.username, "briefsjabloon_gewijzigd", None,
               f"naam: {values['brief_naam']}; vier ogen: {'aan' if values['brief_vier_ogen'] else 'uit'}"
               + ("; logo vervangen" if logo else "; logo verwijderd" if remove_logo else ""))


def sample_letter(db: Engine, gemeente: str) -> bytes:
    """A sample beschikking in the gemeente's template (the beheerder's preview), dated today."""
    from casework.people import today as local_today
    from processes import beschikking_pdf
    from processes.beschikking import bezwaar_einde

    today = local_today()
    return beschikking_pdf.render(
        gemeente=gemeente, case_number="VOORBEELD", naam="J. Voorbeeld", onderwerp="Voorbeeldvoorziening",
        besluit="toekennen", motivering="Dit is een voorbeeld van de motivering.",
        regel="Voorbeeld: de regel die van toepassing is", verzonden_op=today,
        bezwaar_einde=bezwaar_einde(today), adres="Voorbeeldstraat 1\n1234 AB  VOORBEELD",
        hoofd=read(db, gemeente).hoofd)
