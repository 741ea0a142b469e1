"""The beschikking as a PDF letter: decision, amount, motivation, the rule that fired, the bezwaar clause."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

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
    """The bestuursorgaan that decides (Pw art 7: the college) and to which a bezwaar is sent."""
    return f"het college van burgemeester en wethouders van {gemeentenaam(gemeente)}"


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
    verzonden_op: date,
    bedrag: Decimal | None = None,
    bezwaar_einde: date,
    generated_at: datetime,
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(f"Beschikking {onderwerp} - {case_number}")
    pdf.set_creator("trede")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def text(value: str, size: float = 10, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.55, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    text(f"Gemeente {gemeentenaam(gemeente)}", 14, bold=True)
    text(f"Datum verzending: {dutch_date(verzonden_op)}")
    text(f"Zaaknummer: {case_number}")
    text(f"Aan: {naam}")
    pdf.ln(3)
    text(f"Beschikking: {onderwerp}", 12, bold=True)
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
    text(bezwaar_clause(verzonden_op, bezwaar_einde, gemeente))
    pdf.ln(2)
    # Awb 3:45 and 10:3: the college decides; the official signs on its behalf (mandaat)
    text(f"Met vriendelijke groet,\nnamens {college(gemeente)}")
    text(f"Aangemaakt op {generated_at.date().isoformat()} door trede.", 8)
    return bytes(pdf.output())


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
    generated_at: datetime,
) -> bytes:
    """The beslissing op bezwaar as a letter (Awb 7:12: motivated, sent; with the beroep clause)."""
    pdf = FPDF(format="A4")
    pdf.set_title(f"Beslissing op bezwaar {onderwerp} - {case_number}")
    pdf.set_creator("trede")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def text(value: str, size: float = 10, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.55, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    text(f"Gemeente {gemeentenaam(gemeente)}", 14, bold=True)
    text(f"Datum verzending: {dutch_date(verzonden_op)}")
    text(f"Zaaknummer: {case_number}")
    text(f"Aan: {naam}")
    pdf.ln(3)
    text(f"Beslissing op bezwaar: {onderwerp}", 12, bold=True)
    text(UITKOMST_ZIN[uitkomst], bold=True)
    text("Motivering", bold=True)
    text(beslissing or "-")
    text("Beroep instellen", bold=True)
    text(beroep_clause(verzonden_op, beroep_einde))
    pdf.ln(2)
    text(f"Met vriendelijke groet,\nnamens {college(gemeente)}")
    text(f"Aangemaakt op {generated_at.date().isoformat()} door trede.", 8)
    return bytes(pdf.output())
