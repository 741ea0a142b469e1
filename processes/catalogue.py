"""The process bundles under ``bpmn/processes/`` and which gemeente uses which process.

A folder is one bundle (its .bpmn files plus ``forms/*.json``). A folder named after a gemeente is
deployed for that gemeente only (Werkt mee is Apeldoorn's, the werkplek-aanbod Zeeuws-Vlaanderen's);
every other folder is shared ("*") and routes gemeente-specific rules through the decision packs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.service import CaseEngine
from processes import system_models

BUNDLES_DIR = Path(__file__).resolve().parents[1] / "bpmn" / "processes"
GEMEENTEN = ("ooststellingwerf", "apeldoorn", "wassenaar", "zeeuws-vlaanderen", "woerden")
SHARED = "*"

# The processes each gemeente's own seed defines (plus the shared intake, ladder and evaluation).
_ALGEMEEN = ("klant_in_beeld", "voorziening", "evaluatie", "ladder_jaarlijks")
PROCESSEN: dict[str, tuple[str, ...]] = {
    # seed 002: premiums (H3A), LKS (art 7/20), jobcoaching (art 6/28), scholing (art 4),
    # werknemersvoorzieningen (par. 3B.4, art 30-33), beschut werk (art 12)
    "ooststellingwerf": _ALGEMEEN
    + (
        "uitstroompremie",
        "trajectpremie",
        "participatieplaats_premie",
        "loonkostensubsidie",
        "jobcoaching",
        "scholing",
        "werknemersvoorziening",
        "beschut_werk",
    ),
    "apeldoorn": _ALGEMEEN + ("werkt_mee",),  # seed 001
    "wassenaar": _ALGEMEEN,  # seed 004: categorisering in the intake
    "zeeuws-vlaanderen": _ALGEMEEN + ("werkplek_aanbod",),  # seed 000
    "woerden": _ALGEMEEN,  # seed 003: diagnose "klant in beeld", uitstroomcategorieën
}


def used_by(gemeente: str, process_id: str) -> bool:
    """Whether the gemeente works with a process of the catalogue. A shared process that the
    catalogue assigns to other gemeenten only (e.g. the trajectpremie of seed 002, Ooststellingwerf)
    has no decision rules elsewhere and fails there; a process the catalogue does not know (one
    deployed through the designer) is the gemeente's own choice."""
    known = {pid for pids in PROCESSEN.values() for pid in pids}
    if process_id not in known or gemeente not in PROCESSEN:
        return True
    return process_id in PROCESSEN[gemeente]


@dataclass(frozen=True)
class ProcessBundle:
    name: str
    gemeente: str  # "*" for a shared bundle
    files: dict[str, bytes]


def bundles(root: Path = BUNDLES_DIR) -> list[ProcessBundle]:
    """Every bundle folder, with its files keyed by their path inside the folder."""
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = {
            str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix in (".bpmn", ".json")
        }
        if files:
            gemeente = folder.name if folder.name in GEMEENTEN else SHARED
            found.append(ProcessBundle(folder.name, gemeente, files))
    return found


def deploy_all(engine: CaseEngine, actor: str = "system") -> list[str]:
    """Deploy every bundle, the system processes first (a no-op for bundles already deployed);
    returns the process ids of the bundles."""
    system_models.load(engine)  # the processes trede starts itself (escalation, bezwaar)
    process_ids = []
    for bundle in bundles():
        result = engine.deploy(bundle.files, gemeente=bundle.gemeente, actor=actor)
        process_ids.extend(v.process_id for v in result.versions)
    return process_ids
