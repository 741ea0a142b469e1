"""Trajectory outcome categories: how a voorziening ended (seed 003 Woerden, "Resultaten re-integratie").

Seed 003 reports results in two blocks, "betaalde arbeid" (werk / eigen bedrijf; wiw/id; PT werk +
aanvullende uitkering) and "Niet betaalde arbeid" (vrijwilligerswerk; werkervaring / stage;
participatieplaats; arbeidsgewenning). The keys below are what the afronding form stores in
``uitstroomCategorie``; ``geen`` is an ending without one of these results.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Uitkomst:
    key: str
    label: str
    betaald: bool  # seed 003 block: "betaalde arbeid" or "niet betaalde arbeid"


UITKOMSTEN: tuple[Uitkomst, ...] = (
    Uitkomst("betaald_werk", "Betaald werk", True),
    Uitkomst("eigen_bedrijf", "Eigen bedrijf", True),
    # seed 003 "wiw/id": subsidised work (Wet inschakeling werkzoekenden / I/D-banen)
    Uitkomst("gesubsidieerd_werk", "Gesubsidieerd werk", True),
    Uitkomst("deeltijdwerk_met_aanvullende_uitkering", "Deeltijdwerk met aanvullende uitkering", True),
    Uitkomst("vrijwilligerswerk", "Vrijwilligerswerk", False),
    Uitkomst("werkervaring_stage", "Werkervaring / stage", False),
    Uitkomst("participatieplaats", "Participatieplaats", False),
    Uitkomst("arbeidsgewenning", "Arbeidsgewenning", False),
    Uitkomst("geen", "Geen (nog geen resultaat)", False),
)
BY_KEY = {u.key: u for u in UITKOMSTEN}


def label(key: str) -> str:
    """The Dutch label of an outcome key (KeyError for an unknown key)."""
    return BY_KEY[key].label


def is_betaald_werk(key: str) -> bool:
    """Whether the outcome counts as paid work in the seed 003 results report."""
    return BY_KEY[key].betaald
