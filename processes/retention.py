"""Case results and their retention periods (Selectielijst gemeenten en intergemeentelijke organen 2020).

See shared/domain/government-conventions.md §4.3: a re-integration dossier is process type 8
("Voorzieningen verstrekken"); the result decides the period after which it is destroyed. The
gemeente's archivist confirms the mapping in the zaaktype catalogue.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resultaat:
    key: str
    omschrijving: str
    selectielijstklasse: str
    bewaartermijn: str  # ISO 8601 period after closing


RESULTATEN = {r.key: r for r in (
    Resultaat("verstrekt", "Verstrekt", "8.1", "P10Y"),
    Resultaat("geweigerd", "Geweigerd", "8.2", "P5Y"),
    Resultaat("beeindigd", "Beëindigd", "8.3", "P10Y"),
    Resultaat("afgebroken", "Afgebroken - voorziening in sociaal domein", "8.4.1", "P42D"),
    Resultaat("subsidie_verstrekt", "Verstrekt - subsidie", "8.1.7", "P7Y"),
)}


def retention_of(resultaat: str) -> Resultaat:
    try:
        return RESULTATEN[resultaat]
    except KeyError:
        known = ", ".join(sorted(RESULTATEN))
        raise ValueError(f"onbekend resultaat {resultaat!r} (bekend: {known})") from None
