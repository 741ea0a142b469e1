"""What `trede decisions --json` prints: every decision, its gemeenten, inputs, outputs, versions."""

from __future__ import annotations

from typing import Any

from processes.decisions.catalogue import Catalogue, Version
from processes.decisions.model import InputClause

# The contract's order (shared/contracts/decisions.md); decisions added later follow alphabetically.
CONTRACT_ORDER = (
    "LadderSpoor",
    "InstrumentGeschiktheid",
    "ToegangDoelgroep",
    "Looptijd",
    "Verlenging",
    "LeerwerkplekVergoeding",
    "ParticipatieplaatsPremie",
    "UitstroompremieRecht",
    "UitstroompremieMoment",
    "Trajectpremie",
    "LksTermijnen",
    "JobcoachSubsidie",
    "Werknemersvoorziening",
    "ScholingToegang",
    "ScholingTerugvordering",
    "WerktMeeAfrekening",
    "WassenaarCategorie",
    "WerkplekAanbodToets",
    "WerkplekVoorschot",
)


def describe(catalogue: Catalogue) -> list[dict[str, Any]]:
    ids = sorted(catalogue.decision_ids(), key=_position)
    return [_decision(catalogue, decision_id) for decision_id in ids]


def _position(decision_id: str) -> tuple[int, str]:
    known = decision_id in CONTRACT_ORDER
    return (CONTRACT_ORDER.index(decision_id) if known else len(CONTRACT_ORDER), decision_id)


def _decision(catalogue: Catalogue, decision_id: str) -> dict[str, Any]:
    versions = catalogue.versions_of(decision_id)
    inputs: dict[str, dict] = {}
    outputs: dict[str, dict] = {}
    for version in versions:  # the union over versions; packs keep the contract's input list
        for clause in version.table.caller_inputs():
            inputs.setdefault(clause.name, _input(clause))
        for output in version.table.outputs:
            outputs.setdefault(output.name, {"name": output.name, "type": output.type})
    first = versions[0].table
    requires = sorted({table.id for version in versions for table in version.table.order()[:-1]})
    return {
        "id": decision_id,
        "name": first.name,
        "hitPolicy": first.hit_policy,
        "gemeenten": sorted({version.gemeente for version in versions}),
        "inputs": list(inputs.values()),
        "outputs": list(outputs.values()),
        "versions": [_version(version) for version in versions],
        **({"requires": requires} if requires else {}),  # a diagram: the decisions it evaluates first
    }


def _input(clause: InputClause) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": clause.name, "type": clause.type, "default": clause.default}
    if clause.allowed is not None:
        entry["allowed"] = list(clause.allowed)
    return entry


def _version(version: Version) -> dict[str, Any]:
    adopted_from = None
    if version.adopted:
        adopted_from = {
            "gemeente": version.source_gemeente,
            "geldigVanaf": version.source_version.isoformat(),
        }
    return {
        "gemeente": version.gemeente,
        "geldigVanaf": version.geldig_vanaf.isoformat(),
        "adoptedFrom": adopted_from,
        "file": f"{version.table.path.parent.parent.name}/{version.table.path.parent.name}/"
        f"{version.table.path.name}",
    }
