"""The pensioengerechtigde leeftijd (AOW age) of a person, from the birth date.

Algemene Ouderdomswet art 7a fixes the AOW age per calendar year in which it is reached: 65 up to
2012, then steps up to 67 in 2024 (lid 1, as amended by the Wet temporisering verhoging
AOW-leeftijd, 2019); from 2025 on it follows life expectancy and the minister sets it five years
ahead (lid 2-4): 67 for 2025, 2026 and 2027 (set in 2019, 2020 and 2021), 67 and 3 months for 2028,
2029 and 2030 (set in 2022, 2023 and 2024). So whoever is born after 31 December 1960 reaches the
AOW age at 67 and 3 months (as the SVB publishes it per birth date).
A person's AOW age is the one of the first year in which they reach that year's age (born 1 June
1956 - 28 February 1957: 66 and 10 months, reached in 2023).
Years past the last one set keep the last known age: the law has not set them yet, and the age does
not go down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.errors import StepFailed
from engine.sandbox.helpers import add_months

# calendar year -> AOW age in months (Aow art 7a; 2025-2030 as set by the minister under lid 2-4)
_AOW_MONTHS_BY_YEAR: dict[int, int] = {
    2012: 65 * 12,
    2013: 65 * 12 + 1,
    2014: 65 * 12 + 2,
    2015: 65 * 12 + 3,
    2016: 65 * 12 + 6,
    2017: 65 * 12 + 9,
    2018: 66 * 12,
    2019: 66 * 12 + 4,
    2020: 66 * 12 + 4,
    2021: 66 * 12 + 4,
    2022: 66 * 12 + 7,
    2023: 66 * 12 + 10,
    2024: 67 * 12,
    2025: 67 * 12,
    2026: 67 * 12,
    2027: 67 * 12,
    2028: 67 * 12 + 3,
    2029: 67 * 12 + 3,
    2030: 67 * 12 + 3,
}
_FIRST, _LAST = min(_AOW_MONTHS_BY_YEAR), max(_AOW_MONTHS_BY_YEAR)


@dataclass(frozen=True)
class AowLeeftijd:
    maanden: int  # the AOW age in months
    datum: date  # the day the person reaches it

    @property
    def omschrijving(self) -> str:
        jaren, maanden = divmod(self.maanden, 12)
        eenheid = "maand" if maanden == 1 else "maanden"
        return f"{jaren} jaar" + (f" en {maanden} {eenheid}" if maanden else "")


def aow_leeftijd(geboortedatum: date) -> AowLeeftijd:
    """The AOW age and date of someone born on ``geboortedatum``."""
    for year in range(_FIRST, _LAST + 1):
        months = _AOW_MONTHS_BY_YEAR[year]
        reached = add_months(geboortedatum, months)
        if reached.year <= year:  # before 2013 the age is 65 whatever the year
            return AowLeeftijd(months, reached)
    months = _AOW_MONTHS_BY_YEAR[_LAST]
    return AowLeeftijd(months, add_months(geboortedatum, months))


def leeftijd_op(geboortedatum: date, dag: date) -> int:
    """Age in whole years on ``dag``; like the AOW date, a 29 February birthday falls on 28 February
    in other years (calendar months, as everywhere in the models)."""
    years = dag.year - geboortedatum.year
    return years - 1 if add_months(geboortedatum, 12 * years) > dag else years


def aow_service(ctx: Any, task: Any, params: dict) -> dict:
    """Service task ``aow_leeftijd`` (param geboortedatum, optional peildatum): the person's AOW age,
    the date they reach it and their age on the peildatum, for a doelgroep "tot de pensioenleeftijd"."""
    try:
        geboren = date.fromisoformat(str(params.get("geboortedatum") or "")[:10])
        peil = params.get("peildatum")
        peildatum = date.fromisoformat(str(peil)[:10]) if peil else None
    except ValueError as exc:
        raise StepFailed(
            "Geboortedatum: vul een geldige datum in, bijvoorbeeld 1980-05-31", task.task_spec.bpmn_name
        ) from exc
    aow = aow_leeftijd(geboren)
    return {
        "aowLeeftijd": aow.omschrijving,
        "aowDatum": aow.datum.isoformat(),
        "leeftijd": leeftijd_op(geboren, peildatum) if peildatum else None,
    }
