"""The rule packs themselves: valid DMN for SpiffWorkflow, the contract's names, inputs and gemeenten."""

from __future__ import annotations

from pathlib import Path

import pytest
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from processes.decisions.service import DEFAULT_RULES_DIR

PACK_FILES = sorted(DEFAULT_RULES_DIR.rglob("*.dmn"))

# shared/contracts/decisions.md, the decision table: id -> (gemeenten, inputs, outputs).
ALL = ["apeldoorn", "ooststellingwerf", "wassenaar", "woerden", "zeeuws-vlaanderen"]
CONTRACT = {
    "LadderSpoor": (ALL, "trede", "begeleidingsspoor verantwoordelijkeRol"),
    "InstrumentGeschiktheid": (
        ["apeldoorn", "ooststellingwerf", "woerden"],  # woerden: seed 003's kaders (issue 19 item 12)
        "trede leeftijd bijstand afstandArbeidsmarktJaren arbeidsmarktBinnen1JaarHaalbaar "
        "urenAanbodPerWeek uwvPositiefAdviesBeschut collegeVastgesteldBeschut "
        "doelgroepProefplaats werkgeverIntentieSchriftelijk eerderOnbeloondBijWerkgever",
        "instrument maxDuurMaanden",
    ),
    "ToegangDoelgroep": (
        ["ooststellingwerf"],
        "doelgroep urenWerk urenBeschikbaar uwvIngeschreven eigenInitiatief planOndertekend",
        "toegang dienstverleningsniveau maxVergoedingPerVoorziening",
    ),
    "Looptijd": (["apeldoorn", "ooststellingwerf"], "instrument startdatum", "einddatum maxDuurMaanden"),
    "Verlenging": (
        ["apeldoorn", "ooststellingwerf"],
        "instrument startdatum huidigeEinddatum verlengingNummer "
        "verlengingMaanden andereOrganisatie afwezigBuitenSchuld",
        "toegestaan einddatum reden",
    ),
    "LeerwerkplekVergoeding": (
        ["ooststellingwerf"],
        "urenLeerwerkplek urenTotaalTraject",
        "toegestaan vergoedingPerMaand vergoedingDeelnemer",
    ),
    "ParticipatieplaatsPremie": (["ooststellingwerf"], "voldoendeInzet uitkeringsmaanden", "bedrag"),
    "UitstroompremieRecht": (
        ["ooststellingwerf"],
        "leeftijd uitkeringsmaanden volledigeUitstroom nettoInkomen "
        "uitkering kwetsbareJongere lksVerstrekt aowLeeftijdBereikt",
        "recht reden",
    ),
    "UitstroompremieMoment": (
        ["ooststellingwerf"],
        "indiensttreding aanvraagdatum premieNummer aantalUitbetaald",
        "uitkomst bedrag werkmaand",
    ),
    "Trajectpremie": (
        ["ooststellingwerf"],
        "instrument succesvolAfgerond bijgedragenAanKansen uitkeringsmaanden",
        "recht",
    ),
    "LksTermijnen": (
        ["ooststellingwerf"],
        "startWerkplek ontvangstAanvraag loonwaardeVastgesteld viaProefplaats",
        "loonwaardemetingUiterlijk besluitAanvraagUiterlijk beschikkingUiterlijk "
        "forfaitairMaxPercentage forfaitairUiterlijk",
    ),
    "JobcoachSubsidie": (
        ["ooststellingwerf"],
        "context subsidiejaar contractduurMaanden maandenInSubsidiejaar "
        "urenPerWeek lksDoelgroep beperkingNoodzaak werkgeverIntentieWeken proefplaatsMaanden",
        "toegestaan bedrag maxUren betaling",
    ),
    "Werknemersvoorziening": (
        ["ooststellingwerf"],
        "soort woonachtigInGemeente pwDoelgroep lksDoelgroep "
        "contractMaanden urenPerWeek voorliggendeVoorziening algemeenGebruikelijk "
        "tijdensProefplaats zekerheidContract6mNaProefplaats kosten toegekendeLksPerJaar "
        "kostenRegulierOV vervoersvergoedingWerkgever",
        "toegestaan reden vergoeding",
    ),
    "ScholingToegang": (
        ["ooststellingwerf"],
        "leeftijd hoogsteAfgerondeOpleiding doelOpleiding "
        "voorliggendeVoorziening uitzonderingCollege kanRijksbekostigdOnderwijsVolgen",
        "toegang reden",
    ),
    "ScholingTerugvordering": (
        ["ooststellingwerf"],
        "uitkomst verwijtbaarGestaakt ingespannen bovenmatigVerzuim toegekendBedrag",
        "terugvorderen bedrag",
    ),
    "WerktMeeAfrekening": (["apeldoorn"], "product doeltrede behaaldeTrede uren", "bedrag"),
    "WassenaarCategorie": (
        ["wassenaar"],
        "maandenTotBemiddelbaar banenafspraakOfBeschut ontheffing",
        "categorie unit groep",
    ),
    "WerkplekAanbodToets": (
        ["zeeuws-vlaanderen"],
        "regioZeeuwsVlaanderen begeleiderHbo verzekeringGeregeld "
        "werkruimteVoldoet aansprakelijkheidAanbieder toezeggingMaanden urenPerWeek",
        "goedgekeurd reden",
    ),
    "WerkplekVoorschot": (
        ["zeeuws-vlaanderen"],
        "gebeurtenis reedsBetaaldDitWerkplekjaar vervangendeKandidaat",
        "bedrag",
    ),
}


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: str(p.relative_to(DEFAULT_RULES_DIR)))
def test_pack_file_passes_spiffworkflow_xsd_validation(path: Path):
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_dmn_files([str(path)])
    assert list(parser.dmn_parsers) == [path.stem]  # one decision per file, id = file name
    parser.dmn_parsers[path.stem].parse()


def test_every_contract_decision_is_listed_with_its_gemeenten_inputs_and_outputs(service):
    listed = {entry["id"]: entry for entry in service.catalogue()}
    assert list(listed) == list(CONTRACT)  # all 19, in contract order
    for decision_id, (gemeenten, inputs, outputs) in CONTRACT.items():
        entry = listed[decision_id]
        assert entry["gemeenten"] == gemeenten, decision_id
        assert [i["name"] for i in entry["inputs"]] == inputs.split(), decision_id
        assert [o["name"] for o in entry["outputs"]] == outputs.split(), decision_id


def test_defaults_are_false_for_booleans_null_otherwise_and_12_months_for_jobcoach(service):
    for entry in service.catalogue():
        for item in entry["inputs"]:
            expected = False if item["type"] == "boolean" else None
            if (entry["id"], item["name"]) == ("JobcoachSubsidie", "maandenInSubsidiejaar"):
                expected = 12  # contract: maandenInSubsidiejaar (default 12)
            assert item["default"] == expected, (entry["id"], item["name"])


def test_versions_carry_the_contract_geldig_vanaf_dates_and_adoptions(service):
    ladder = next(e for e in service.catalogue() if e["id"] == "LadderSpoor")
    by_gemeente = {v["gemeente"]: v for v in ladder["versions"]}
    assert by_gemeente["ooststellingwerf"]["geldigVanaf"] == "2023-07-01"
    assert by_gemeente["ooststellingwerf"]["adoptedFrom"] is None
    for gemeente, first in [
        ("apeldoorn", "2020-07-02"),
        ("wassenaar", "2024-10-25"),
        ("woerden", "2013-05-23"),
        ("zeeuws-vlaanderen", "2015-01-01"),
    ]:
        assert by_gemeente[gemeente]["geldigVanaf"] == first
        assert by_gemeente[gemeente]["adoptedFrom"] == {
            "gemeente": "ooststellingwerf",
            "geldigVanaf": "2023-07-01",
        }


def test_every_cell_and_output_expression_compiles_in_the_sandbox(service):
    assert service.check() == len(PACK_FILES)


UNIQUE_SAMPLES = {
    "LadderSpoor": {"trede": range(0, 8)},
    "WassenaarCategorie": {
        "maandenTotBemiddelbaar": [0, 1, 3, 3.5, 4, 12, 12.5, 24, 24.5, 47.9, 48, 100],
        "banenafspraakOfBeschut": [False, True],
        "ontheffing": [False, True],
    },
    "LksTermijnen": {"viaProefplaats": [False, True], "startWerkplek": ["2024-01-31"]},
    "ParticipatieplaatsPremie": {"voldoendeInzet": [False, True]},
}


@pytest.mark.parametrize("decision_id", sorted(UNIQUE_SAMPLES))
def test_unique_tables_never_have_two_rules_matching(service, decision_id):
    # SpiffWorkflow takes the first match of a UNIQUE table without checking overlaps; this checks it here.
    import itertools
    from datetime import date

    from processes.decisions.evaluate import TableEvaluator

    gemeente = "wassenaar" if decision_id == "WassenaarCategorie" else "ooststellingwerf"
    table = service._catalogue.resolve(decision_id, gemeente, date(2025, 1, 1)).table
    assert table.hit_policy == "UNIQUE"
    collect_all = TableEvaluator(table.__class__(**{**table.__dict__, "hit_policy": "COLLECT"}))
    samples = UNIQUE_SAMPLES[decision_id]
    for values in itertools.product(*samples.values()):
        inputs = dict(zip(samples, values, strict=True))
        result = service.decide(decision_id, gemeente, inputs, date(2025, 1, 1))
        everything = {clause.name: clause.default for clause in table.inputs} | result.inputs
        assert len(collect_all.evaluate(everything).fired) <= 1, inputs


def test_a_pack_cell_the_sandbox_refuses_fails_when_the_table_loads(tmp_path):
    from processes.decisions import DecisionService
    from processes.decisions.model import PackError

    folder = tmp_path / "x" / "2020-01-01"
    folder.mkdir(parents=True)
    (tmp_path / "x" / "pack.json").write_text(
        '{"gemeente": "x", "versions": [{"geldig_vanaf": "2020-01-01"}]}'
    )
    source = (DEFAULT_RULES_DIR / "ooststellingwerf" / "2023-07-01" / "LadderSpoor.dmn").read_text()
    (folder / "LadderSpoor.dmn").write_text(
        source.replace("1 &lt;= ? &lt;= 2", "__import__('os').system('id')")
    )
    with pytest.raises(PackError, match="‘__import__’ mag niet in modelcode"):
        DecisionService(tmp_path).check()
