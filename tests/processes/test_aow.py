"""The AOW age by birth date (Algemene Ouderdomswet art 7a), as the SVB publishes it per birth date:
67 for whoever reaches it in 2024-2027, 67 and 3 months from 2028 (issue 19, the ages set up to 2030)."""

from __future__ import annotations

from datetime import date

import pytest

from processes.aow import aow_leeftijd, leeftijd_op

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("geboren", "leeftijd", "datum"),
    [
        (date(1947, 12, 31), "65 jaar", date(2012, 12, 31)),
        (date(1948, 1, 1), "65 jaar en 1 maand", date(2013, 2, 1)),
        (date(1952, 4, 1), "66 jaar", date(2018, 4, 1)),
        (date(1953, 1, 1), "66 jaar en 4 maanden", date(2019, 5, 1)),
        (date(1955, 9, 1), "66 jaar en 7 maanden", date(2022, 4, 1)),
        (date(1956, 5, 31), "66 jaar en 7 maanden", date(2022, 12, 31)),
        (date(1956, 6, 1), "66 jaar en 10 maanden", date(2023, 4, 1)),
        (date(1957, 2, 28), "66 jaar en 10 maanden", date(2023, 12, 28)),
        (date(1957, 3, 1), "67 jaar", date(2024, 3, 1)),
        # 2025-2027: 67; 2028: 67 and 3 months (set by the minister in 2022, Aow art 7a lid 2)
        (date(1960, 12, 31), "67 jaar", date(2027, 12, 31)),
        (date(1961, 1, 1), "67 jaar en 3 maanden", date(2028, 4, 1)),
        (date(1961, 12, 31), "67 jaar en 3 maanden", date(2029, 3, 31)),
        (date(1962, 1, 1), "67 jaar en 3 maanden", date(2029, 4, 1)),
        (date(1990, 6, 15), "67 jaar en 3 maanden", date(2057, 9, 15)),
    ],
)
def test_aow_age_follows_the_year_it_is_reached(geboren, leeftijd, datum):
    aow = aow_leeftijd(geboren)
    assert (aow.omschrijving, aow.datum) == (leeftijd, datum)


def test_age_on_a_day():
    assert leeftijd_op(date(2007, 4, 1), date(2025, 4, 1)) == 18
    assert leeftijd_op(date(2007, 4, 2), date(2025, 4, 1)) == 17
    assert leeftijd_op(date(2004, 2, 29), date(2025, 2, 27)) == 20
    assert leeftijd_op(date(2004, 2, 29), date(2025, 2, 28)) == 21  # the month ends on the 28th
