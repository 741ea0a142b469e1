"""A case's history as a PDF (fpdf2, pure Python), for handing to an auditor outside trede.

The PDF's built-in fonts only know Latin-1 (they cover Dutch, ë and é included); anything else is
replaced rather than refused, so an unusual character in task data never breaks an export.
"""
from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from casework.accounts.service import User
from engine.service import CaseEngine
from web.audit.plain import show
from web.audit.service import AuditCase, seal_valid, stamp

_REPLACE = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "€": "EUR ",
            "→": "->", "≤": "<=", "≥": ">="}


def _latin1(text: str) -> str:
    for char, replacement in _REPLACE.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


class _Report(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.report_title = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("trede")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, _latin1(f"{self.report_title} - pagina {self.page_no()}/{{nb}}"), align="C")

    def line_text(self, text: str, size: float = 9, bold: bool = False, indent: float = 0) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        # Lines break between words; only a word longer than the line (a hash) is cut inside.
        self.multi_cell(0, size * 0.5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                        wrapmode="WORD")


def case_pdf(engine: CaseEngine, found: AuditCase, user: User, now: datetime) -> bytes:
    number = found.case["case_number"]
    pdf = _Report(f"Zaakhistorie {number}")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.line_text(f"Zaakhistorie {number}", size=16, bold=True)
    pdf.line_text(f"Gemeente: {found.case['gemeente']}   Status: {found.case['status']}   "
                  f"Aangemaakt: {stamp(found.case['created_at'])}")
    pdf.line_text(f"Peilmoment: {stamp(found.as_of) if found.as_of else 'nu (alle gebeurtenissen)'}")
    pdf.line_text(f"Geexporteerd op {stamp(now)} door {user.username}")
    pdf.line_text("Alle tijden in de tijd van Nederland (Europe/Amsterdam); bij elke tijd staat de zone.")
    pdf.ln(2)
    verdict = found.verdict
    pdf.line_text("Verificatie: " + ("de historie klopt (keten, zegel en herhaling)" if verdict.ok
                                     else "DE HISTORIE KLOPT NIET"), size=11, bold=True)
    pdf.line_text(f"Uitgevoerd op {stamp(now)}.")
    head = found.case
    pdf.line_text(f"Kop van de keten: gebeurtenis {head['event_count']}, hash {head['head_hash']}")
    pdf.line_text("Zegel op de kop: " + ("geldig (gezet met de sleutel buiten de database)"
                                         if seal_valid(engine, found.case) else "ONGELDIG of ontbreekt"))
    for problem in verdict.problems:
        pdf.line_text(f"- {problem}", indent=4)
    pdf.ln(2)
    pdf.line_text("Openstaande taken op het peilmoment", size=11, bold=True)
    for task in found.history.open_tasks or []:
        pdf.line_text(f"- {task.title} ({'geclaimd door ' + task.claimed_by if task.claimed_by else 'vrij'})",
                      indent=4)
    if not found.history.open_tasks:
        pdf.line_text("geen", indent=4)
    pdf.ln(2)
    pdf.line_text("Gebeurtenissen", size=11, bold=True)
    for step in found.history.steps:
        pdf.ln(1)
        what = f" - {step.task_name}" if step.task_name else ""
        pdf.line_text(f"{step.seq}. {stamp(step.at)}  {step.label}{what}  door {step.actor}", bold=True)
        if step.model_version:
            pdf.line_text(f"Model: {step.model_version}; uitgevoerd: {', '.join(step.element_names) or '-'}",
                          indent=4)
        if step.submitted:
            pdf.line_text(f"Ingediend: {show(step.submitted)}", indent=4)
        for change in step.changes:
            pdf.line_text(f"{change.key} ({change.kind}): {show(change.before)} -> {show(change.after)}",
                          indent=4)
        for decision in step.decisions:
            pdf.line_text(f"Beslissing {decision.name}: regel {show(decision.rule)}, regelset geldig vanaf "
                          f"{show(decision.version)}, peildatum {show(decision.peildatum)}", indent=4)
            pdf.line_text(f"invoer {show(decision.inputs)}; uitkomst {show(decision.outputs)}", indent=8)
        if step.problem:
            pdf.line_text(f"PROBLEEM: {step.problem}", indent=4, bold=True)
    return bytes(pdf.output())
