"""The beschikking as a PDF letter: decision, amount, motivation, the rule that fired, the bezwaar clause.

One layout (``_letter``) for every letter trede sends, the beschikking and the beslissing op bezwaar:
the gemeente's letterhead (its template: logo, name, sender; ``Briefhoofd``), the addressee with
address, one date (the day it is sent; a concept has none and says so), the body, and the closing
"namens het college van burgemeester en wethouders" (Awb 3:45, 10:3) with the gemeente's signature line.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from processes import ledger

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _latin1(text: str) -> str:
    # The core PDF fonts are Latin-1; the euro sign is written out so that it never becomes "?".
    return text.replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")


def euro(amount: Decimal) -> str:
    """An amount the Dutch way in the letter's Latin-1 font: EUR 1.935,50."""
    return ledger.euro(amount, "EUR")


def decision_line(onderwerp: str, besluit: str, bedrag: Decimal | None) -> str:
    """The operative sentence of the letter."""
    if besluit == "terugvorderen":
        return f"Besluit: wij vorderen {euro(bedrag or Decimal(0))} van u terug ({onderwerp.lower()})."
    if besluit == "beeindigen":
        return f"Besluit: wij beëindigen uw {onderwerp.lower()}."
    verb = "kennen wij toe" if besluit == "toekennen" else "wijzen wij af"
    return f"Besluit: uw aanvraag {onderwerp.lower()} {verb}."


def gemeentenaam(gemeente: str) -> str:
    """The gemeente key as written in a letter: zeeuws-vlaanderen -> Zeeuws-Vlaanderen."""
    return "-".join(part.capitalize() for part in gemeente.split("-"))


def college(gemeente: str) -> str:
    """The bestuursorgaan that decides (Pw art 7: the college) and to which a bezwaar is sent;
    ``gemeente`` is a key (zeeuws-vlaanderen) or a name as written (Zeeuws-Vlaanderen)."""
    naam = gemeente if any(c.isupper() for c in gemeente) else gemeentenaam(gemeente)
    return f"het college van burgemeester en wethouders van {naam}"


@dataclass(frozen=True)
class Briefhoofd:
    """A gemeente's letter template (kept by the beheerder, casework/letter_templates.py)."""

    naam: str  # the gemeente's name as written: Zeeuws-Vlaanderen
    afzender: str = ""  # the sender's lines: department, postal address
    ondertekening: str = ""  # the signature line under "namens het college ..."
    logo: bytes | None = None  # PNG or JPEG

    @classmethod
    def default(cls, gemeente: str) -> Briefhoofd:
        return cls(gemeentenaam(gemeente))


def _letter(*, title: str, hoofd: Briefhoofd, case_number: str, naam: str, adres: str | None,
            verzonden_op: date | None, heading: str, body: Callable[[Callable[..., None]], None]) -> bytes:
    """The one layout of trede's letters; ``body(text)`` writes what the letter says."""
    # fpdf (with fontTools) takes a quarter of a second to import: only a letter needs it, not
    # every process that builds an engine (`trede verify`, the worker; issue 16 item 5).
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_creator("trede")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def text(value: str, size: float = 10, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.55, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    if hoofd.logo:
        try:
            pdf.image(io.BytesIO(hoofd.logo), h=18)
            pdf.ln(2)
        except Exception:  # noqa: BLE001 - a logo the PDF library cannot read leaves the letter without it
            pass
    text(f"Gemeente {hoofd.naam}", 14, bold=True)
    if hoofd.afzender:
        text(hoofd.afzender, 9)
    if verzonden_op is None:
        text("CONCEPT - nog niet verzonden; zonder rechtsgevolg tot verzending (artikel 3:41 Awb)", 11,
             bold=True)
    pdf.ln(2)
    text(f"Aan: {naam}")
    text(adres or ("(adres volgt bij verzending)" if verzonden_op is None else ""))
    pdf.ln(2)
    if verzonden_op is not None:
        text(f"Datum verzending: {dutch_date(verzonden_op)}")
    text(f"Zaaknummer: {case_number}")
    pdf.ln(3)
    text(heading, 12, bold=True)
    body(text)
    pdf.ln(2)
    # Awb 3:45 and 10:3: the college decides; the official signs on its behalf (mandaat)
    closing = f"Met vriendelijke groet,\nnamens {college(hoofd.naam)},"
    text(closing + (f"\n\n{hoofd.ondertekening}" if hoofd.ondertekening else ""))
    return bytes(pdf.output())


def bezwaar_clause(verzonden_op: date, einde: date, gemeente: str) -> str:
    """The clause every beschikking carries: Awb 3:45 names the bestuursorgaan to object to and the term;
    6:9 lid 2 tells that a posted bezwaarschrift is in time when posted within the term and received
    within a week after it."""
    return (
        "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dat doet u binnen zes weken "
        "(artikel 6:7 Algemene wet bestuursrecht). Die termijn begint op de dag na de dag waarop wij "
        "dit besluit hebben verzonden (artikel 6:8 Awb), "
        f"dus op {dutch_date(verzonden_op + timedelta(days=1))}; "
        f"uw bezwaarschrift moet uiterlijk op {dutch_date(einde)} binnen zijn bij {college(gemeente)}. "
        "Stuurt u het per post, dan is het ook op tijd als het voor het einde van de termijn is gepost en "
        "uiterlijk een week daarna is ontvangen (artikel 6:9 lid 2 Awb). Zet in uw "
        "bezwaarschrift uw naam en adres, de datum, een omschrijving van het besluit waartegen u bezwaar "
        "maakt, waarom u het er niet mee eens bent, en uw handtekening (artikel 6:5 Awb). Maakt u te laat "
        "bezwaar, dan kunnen wij het alleen behandelen als u de termijn redelijkerwijs niet kon halen "
        "(artikel 6:11 Awb)."
    )


def render(
    *,
    gemeente: str,
    case_number: str,
    naam: str,
    onderwerp: str,
    besluit: str,
    motivering: str,
    regel: str,
    verzonden_op: date | None,
    bedrag: Decimal | None = None,
    bezwaar_einde: date | None,
    adres: str | None = None,
    hoofd: Briefhoofd | None = None,
) -> bytes:
    """The beschikking; without ``verzonden_op`` it is the concept (no date, no objection term yet)."""
    hoofd = hoofd or Briefhoofd.default(gemeente)

    def body(text: Callable[..., None]) -> None:
        text(decision_line(onderwerp, besluit, bedrag), bold=True)
        if bedrag is not None and bedrag > 0:
            text(f"Bedrag: {euro(bedrag)}")
        if besluit == "terugvorderen":
            text(
                "Wij sturen u een betalingsverzoek met het rekeningnummer en de termijn. Kunt u niet in een "
                "keer betalen, neem dan contact met ons op voor een betalingsregeling."
            )
        text("Motivering", bold=True)
        text(motivering or "-")
        text("Toegepaste regel", bold=True)
        text(regel or "-")
        text("Bezwaar maken", bold=True)
        if verzonden_op is None or bezwaar_einde is None:
            text("De bezwaartermijn van zes weken (artikel 6:7 Awb) begint op de dag na verzending "
                 "(artikel 6:8 Awb); de data staan in de verzonden brief.")
        else:
            text(bezwaar_clause(verzonden_op, bezwaar_einde, hoofd.naam))

    return _letter(title=f"Beschikking {onderwerp} - {case_number}", hoofd=hoofd, case_number=case_number,
                   naam=naam, adres=adres, verzonden_op=verzonden_op, heading=f"Beschikking: {onderwerp}",
                   body=body)


def beroep_clause(verzonden_op: date, einde: date) -> str:
    """The clause of a beslissing op bezwaar: beroep at the rechtbank (Awb 8:1), six weeks (6:7, 6:8)."""
    return (
        "Bent u het niet eens met deze beslissing op bezwaar? Dan kunt u beroep instellen bij de rechtbank "
        "(artikel 8:1 Algemene wet bestuursrecht). Dat doet u binnen zes weken (artikel 6:7 Awb). Die "
        "termijn begint op de dag na de dag waarop deze beslissing is verzonden (artikel 6:8 Awb), dus op "
        f"{dutch_date(verzonden_op + timedelta(days=1))}; uw beroepschrift moet uiterlijk op "
        f"{dutch_date(einde)} bij de rechtbank binnen zijn. U stuurt het naar de rechtbank in het "
        "arrondissement waar u woont (artikel 8:7 Awb); de griffie vraagt een griffierecht."
    )


UITKOMST_ZIN = {
    "gegrond": "Wij verklaren uw bezwaar gegrond. Het besluit wordt herroepen en er wordt een nieuw "
               "besluit genomen (artikel 7:11 Awb).",
    "ongegrond": "Wij verklaren uw bezwaar ongegrond. Het besluit blijft in stand.",
    "niet-ontvankelijk": "Wij verklaren uw bezwaar niet-ontvankelijk. Het bezwaar wordt niet inhoudelijk "
                         "behandeld.",
}


def render_beslissing_op_bezwaar(
    *,
    gemeente: str,
    case_number: str,
    naam: str,
    onderwerp: str,
    uitkomst: str,
    beslissing: str,
    verzonden_op: date,
    beroep_einde: date,
    adres: str | None = None,
    hoofd: Briefhoofd | None = None,
) -> bytes:
    """The beslissing op bezwaar as a letter (Awb 7:12: motivated, sent; with the beroep clause)."""

    def body(text: Callable[..., None]) -> None:
        text(UITKOMST_ZIN[uitkomst], bold=True)
        text("Motivering", bold=True)
        text(beslissing or "-")
        text("Beroep instellen", bold=True)
        text(beroep_clause(verzonden_op, beroep_einde))

    return _letter(title=f"Beslissing op bezwaar {onderwerp} - {case_number}",
                   hoofd=hoofd or Briefhoofd.default(gemeente), case_number=case_number, naam=naam,
                   adres=adres, verzonden_op=verzonden_op, heading=f"Beslissing op bezwaar: {onderwerp}",
                   body=body)
