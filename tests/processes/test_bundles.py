"""Every bundle under bpmn/processes deploys, and its forms agree with the code that reads them."""

from __future__ import annotations

import json

import pytest

from engine.errors import NotFound
from engine.models import versions
from engine.models.validation import validate_bundle
from processes.catalogue import GEMEENTEN, PROCESSEN, bundles, deploy_all
from processes.outcomes import UITKOMSTEN
from tests.processes.helpers import make_engine


def test_every_bundle_validates_without_problems():
    found = bundles()
    assert {b.name for b in found} >= {"participatiewet"}
    for bundle in found:
        assert validate_bundle(bundle.files) == [], bundle.name


def test_every_bundle_deploys_and_every_listed_process_is_deployed_for_its_gemeente(db):
    engine = make_engine(db)  # deploys them all
    assert deploy_all(engine)  # a second deploy is a no-op returning the same versions
    with engine.db.connect() as conn:
        for gemeente in GEMEENTEN:
            for process_id in PROCESSEN[gemeente]:
                assert versions.latest_version(conn, process_id, gemeente).version == 1
        # a gemeente's own process is not deployed for the others
        with pytest.raises(NotFound):
            versions.latest_version(conn, "werkt_mee", "woerden")


def test_afronding_form_offers_exactly_the_seed_003_outcome_categories():
    shared = next(b for b in bundles() if b.name == "participatiewet")
    form = json.loads(shared.files["forms/afronding.json"])
    field = form["properties"]["uitstroomCategorie"]
    assert field["enum"] == [u.key for u in UITKOMSTEN]
    # seed 003 "Resultaten re-integratie": betaalde arbeid (werk / eigen bedrijf, wiw/id, PT werk +
    # aanvullende uitkering) and niet betaalde arbeid (vrijwilligerswerk, werkervaring / stage,
    # participatieplaats, arbeidsgewenning)
    assert [u.key for u in UITKOMSTEN if u.betaald] == [
        "betaald_werk",
        "eigen_bedrijf",
        "gesubsidieerd_werk",
        "deeltijdwerk_met_aanvullende_uitkering",
    ]
    assert [u.key for u in UITKOMSTEN if not u.betaald] == [
        "vrijwilligerswerk",
        "werkervaring_stage",
        "participatieplaats",
        "arbeidsgewenning",
        "geen",
    ]


def test_decide_forms_name_a_contract_decision_and_require_the_besluit():
    contract = {
        "InstrumentGeschiktheid",
        "Verlenging",
        "Trajectpremie",
        "ParticipatieplaatsPremie",
        "UitstroompremieRecht",
        "UitstroompremieMoment",
        "JobcoachSubsidie",
        "ScholingToegang",
        "ScholingTerugvordering",
        "WerktMeeAfrekening",
        "WerkplekAanbodToets",
        "LksTermijnen",
        "Werknemersvoorziening",
        "ToegangDoelgroep",
    }
    for bundle in bundles():
        for name, content in bundle.files.items():
            if not name.endswith(".json"):
                continue
            form = json.loads(content)
            assert set(form.get("x-order", [])) == set(form["properties"]), name
            assert set(form.get("required", [])) <= set(form["properties"]), name
            beslissing = form.get("x-beslissing")
            if beslissing:
                # an external advice stands in where the seed makes it the basis (UWV, seed 002 art 12)
                advice = beslissing.get("bron") == "advies" and beslissing.get("titel")
                assert beslissing["decision"] in contract or advice, name
                assert beslissing["besluitVeld"] in form["required"], name
                assert beslissing["motiveringVeld"] in form["properties"], name
