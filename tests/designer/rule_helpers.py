"""Shared by the rule-change tests: Ooststellingwerf's Trajectpremie table and a tariff edit of it.

Seed 002 (Ooststellingwerf, Beleidsregels Participatiewet re-integratie 2024) art. 16 grants the
trajectpremie; its amount is "De re-integratieverordening is leidend", so it is not in the seeds
(shared/domain/rules-from-the-seeds.md, c.2): the rule pack returns eligibility only. A gemeente
that sets its tariff adds it to the table, which is what these tests do, as its designer would.
"""
from __future__ import annotations

from pathlib import Path

from casework.people import User

RULES = Path(__file__).resolve().parents[2] / "bpmn" / "rules"
TRAJECTPREMIE = RULES / "ooststellingwerf" / "2023-07-01" / "Trajectpremie.dmn"
ONTWERPER = User(1, "ontwerper", "Femke Smit", "ooststellingwerf", frozenset({"procesontwerper"}), None)
ONTWERPER2 = User(2, "ontwerper2", "Bram de Boer", "ooststellingwerf", frozenset({"procesontwerper"}), None)
# art. 16: participatieplaats, successfully completed, helped, >= 12 months of benefit: recht
RECHT = {"instrument": "participatieplaats", "succesvolAfgerond": True, "bijgedragenAanKansen": True,
         "uitkeringsmaanden": 20}


def original() -> str:
    return TRAJECTPREMIE.read_text(encoding="utf-8")


def with_tariff(amount: str = "750", text: str | None = None) -> str:
    """The table with an output column ``bedrag`` (money): ``amount`` on the granting rule r5_recht,
    empty (no premium) on the refusals r1 to r4."""
    text = text or original()
    text = text.replace('<output id="out_recht" name="recht" typeRef="boolean"/>',
                        '<output id="out_recht" name="recht" typeRef="boolean"/>\n'
                        '      <output id="out_bedrag" label="Bedrag" name="bedrag" typeRef="money"/>')
    for rule in ("r1_ander_instrument", "r2_niet_succesvol", "r3_niet_bijgedragen",
                 "r4_korter_dan_12_maanden", "r5_recht"):
        cell = amount if rule == "r5_recht" else ""
        text = text.replace("</rule>", f'  <outputEntry id="{rule}_out2"><text>{cell}</text></outputEntry>\n'
                                       "      </RULE>", 1)
    return text.replace("</RULE>", "</rule>")
