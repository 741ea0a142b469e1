"""A gemeente's lane routing (pack.json ``routering``, issue 19 item 10): set when the decision answers
as the pack says, withdrawn when a later answer no longer does, refused when malformed or uncited."""
from __future__ import annotations

from datetime import date

import pytest

from processes.decisions.model import PackError
from processes.decisions.routing import parse_routing, routed

FIRST = date(2024, 10, 25)
WASSENAAR = parse_routing("wassenaar", [{
    "beslissing": "WassenaarCategorie", "als": {"categorie": "2A"},
    "lanes": {"casemanager werk": "participatieconsulent"},
    "toelichting": "seed 004 Tabel 3: 2A 'wordt bemiddeld door de participatieconsulenten'"}], FIRST)


def test_2a_routes_and_a_later_other_category_withdraws_it():
    on = date(2025, 3, 3)
    first = routed(WASSENAAR, "WassenaarCategorie", {"categorie": "2A"}, {}, on)
    assert first == {"laneRouting": {"casemanager werk": "participatieconsulent"}}
    # re-categorised at an evaluation (seed 004: "o.b.v. tussentijdse gesprekken"): back to the casemanager
    assert routed(WASSENAAR, "WassenaarCategorie", {"categorie": "1C"}, first, on) == {"laneRouting": {}}
    assert routed(WASSENAAR, "LadderSpoor", {"begeleidingsspoor": "activering"}, {}, on) == {}
    assert routed(WASSENAAR, "WassenaarCategorie", {"categorie": "2A"}, {}, date(2024, 10, 24)) == {}


@pytest.mark.parametrize("entry", [
    {"beslissing": "WassenaarCategorie", "lanes": {}, "toelichting": "seed 004"},
    {"beslissing": "WassenaarCategorie", "lanes": {"casemanager werk": ""}, "toelichting": "seed 004"},
    {"beslissing": "WassenaarCategorie", "lanes": {"casemanager werk": "participatieconsulent"}},
    {"lanes": {"casemanager werk": "participatieconsulent"}, "toelichting": "seed 004"},
])
def test_a_malformed_or_uncited_routing_is_refused_when_the_pack_loads(entry):
    with pytest.raises(PackError):
        parse_routing("wassenaar", [entry], FIRST)
