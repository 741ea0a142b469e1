"""The rule packs on disk: which decision table answers for a gemeente on a date.

Layout::

    bpmn/rules/<gemeente>/pack.json                          versions and adoptions
    bpmn/rules/<gemeente>/<geldig vanaf>/<DecisionId>.dmn    one decision per file, or
    bpmn/rules/<gemeente>/<geldig vanaf>/<name>.dmn          a decision requirements diagram

A diagram holds several decision tables, some requiring others (their outputs are its inputs);
each of its decision ids resolves to the file, and asking for one evaluates it with every
decision it requires.

A version directory holds the decisions that (re)take effect on its date; a decision stays in
force until a later version directory of the same gemeente carries it again. A pack may adopt
another pack's decision, pinned to one of that pack's versions, from a date of its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from processes.decisions.errors import DecisionError, UnknownDecision
from processes.decisions.model import DecisionTable, PackError, load_tables
from processes.decisions.routing import Routing, parse_routing


@dataclass(frozen=True)
class Version:
    """One decision table in force for a gemeente from ``geldig_vanaf``."""

    gemeente: str
    geldig_vanaf: date
    table: DecisionTable
    source_gemeente: str  # the pack that defines the table (differs when adopted)
    source_version: date
    # A version deployed from the designer (processes/decisions/deployed.py), not a pack file:
    # its row id and the sha256 of its text, recorded with every decision it answers.
    deployed_id: int | None = None
    content_hash: str | None = None

    @property
    def adopted(self) -> bool:
        return self.source_gemeente != self.gemeente


@dataclass
class Pack:
    gemeente: str
    seed: str
    title: str
    first_version: date
    versions: dict[str, list[Version]] = field(default_factory=dict)  # decision id -> by date
    routering: list[Routing] = field(default_factory=list)  # who works a lane here (routing.py)


class Catalogue:
    def __init__(self, packs: dict[str, Pack]) -> None:
        self.packs = packs

    def decision_ids(self) -> list[str]:
        """Every decision id, alphabetically."""
        return sorted({decision_id for pack in self.packs.values() for decision_id in pack.versions})

    def resolve(self, decision_id: str, gemeente: str, on: date, deployed: Sequence[Version] = ()) -> Version:
        """The table in force, or a DecisionError that names what is wrong with the request.

        ``deployed``: the gemeente's versions of the decision deployed in the database (by date of
        deployment): on the same geldig-vanaf date they take over from the pack file, and a later
        deployment from an earlier one.
        """
        if decision_id not in self.decision_ids():
            raise UnknownDecision(
                f"onbekende beslissing {decision_id!r} (bekend: {', '.join(self.decision_ids())})"
            )
        pack = self.packs.get(gemeente)
        if pack is None:
            raise DecisionError(f"onbekende gemeente {gemeente!r} (bekend: {', '.join(self.packs)})")
        versions = merged(pack.versions.get(decision_id, []), deployed)
        if not versions:
            having = ", ".join(g for g, p in self.packs.items() if decision_id in p.versions)
            raise DecisionError(
                f"beslissing {decision_id!r} is onbekend voor gemeente {gemeente!r} (bekend voor: {having})"
            )
        in_force = [version for version in versions if version.geldig_vanaf <= on]
        if not in_force:
            first = versions[0].geldig_vanaf
            raise DecisionError(
                f"geen regels van kracht op {on.isoformat()} voor {decision_id} in {gemeente} "
                f"(de eerste geldig vanaf {first.isoformat()})"
            )
        return in_force[-1]

    def routing_of(self, gemeente: str) -> list[Routing]:
        pack = self.packs.get(gemeente)
        return pack.routering if pack is not None else []

    def has(self, decision_id: str, gemeente: str) -> bool:
        pack = self.packs.get(gemeente)
        return pack is not None and bool(pack.versions.get(decision_id))

    def versions_of(self, decision_id: str) -> list[Version]:
        return [v for pack in self.packs.values() for v in pack.versions.get(decision_id, [])]


def merged(files: Sequence[Version], deployed: Sequence[Version]) -> list[Version]:
    """Pack versions and deployed versions in the order they take effect: by geldig-vanaf date, a
    deployed version after the file of the same date, deployments in the order they were made."""
    return sorted([*files, *deployed],
                  key=lambda v: (v.geldig_vanaf, v.deployed_id is not None, v.deployed_id or 0))


def load_catalogue(rules_dir: Path) -> Catalogue:
    """Read every pack under ``rules_dir``; a malformed pack raises PackError naming the file."""
    packs: dict[str, Pack] = {}
    adoptions: dict[str, list[dict]] = {}
    for manifest in sorted(rules_dir.glob("*/pack.json")):
        pack, adopts = _load_pack(manifest)
        packs[pack.gemeente] = pack
        adoptions[pack.gemeente] = adopts
    for gemeente, adopts in adoptions.items():
        for entry in adopts:
            _adopt(packs, packs[gemeente], entry)
    for pack in packs.values():
        for versions in pack.versions.values():
            versions.sort(key=lambda version: version.geldig_vanaf)
    return Catalogue(packs)


def _load_pack(manifest: Path) -> tuple[Pack, list[dict]]:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    gemeente = data["gemeente"]
    if gemeente != manifest.parent.name:
        raise PackError(f"{manifest}: gemeente {gemeente!r} does not match its directory")
    declared = {_date(manifest, item["geldig_vanaf"]) for item in data["versions"]}
    pack = Pack(gemeente, data.get("seed", ""), data.get("titel", ""), min(declared))
    pack.routering = parse_routing(manifest, data.get("routering"), pack.first_version)
    for directory in sorted(path for path in manifest.parent.iterdir() if path.is_dir()):
        geldig_vanaf = _date(manifest, directory.name)
        if geldig_vanaf not in declared:
            raise PackError(f"{directory}: version {directory.name} is not declared in {manifest.name}")
        seen: dict[str, Path] = {}
        for path in sorted(directory.glob("*.dmn")):
            tables = load_tables(path)
            if len(tables) == 1 and tables[0].id != path.stem:
                raise PackError(f"{path}: decision id {tables[0].id!r} does not match the file name")
            for table in tables:
                if table.id in seen:
                    raise PackError(f"{path}: decision id {table.id!r} is also in {seen[table.id].name}")
                seen[table.id] = path
                version = Version(gemeente, geldig_vanaf, table, gemeente, geldig_vanaf)
                pack.versions.setdefault(table.id, []).append(version)
    return pack, data.get("adopts", [])


def _adopt(packs: dict[str, Pack], pack: Pack, entry: dict) -> None:
    decision_id, source_key = entry["decision"], entry["from"]
    source_version = _date(pack.gemeente, entry["version"])
    source = packs.get(source_key)
    candidates = [] if source is None else source.versions.get(decision_id, [])
    match = [v for v in candidates if v.geldig_vanaf == source_version and not v.adopted]
    if not match:
        raise PackError(
            f"{pack.gemeente}: adopts {decision_id} {source_version} from {source_key!r}, "
            "which that pack does not define"
        )
    geldig_vanaf = _date(pack.gemeente, entry.get("geldig_vanaf", pack.first_version.isoformat()))
    adopted = Version(pack.gemeente, geldig_vanaf, match[0].table, source_key, source_version)
    pack.versions.setdefault(decision_id, []).append(adopted)


def _date(where: object, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise PackError(f"{where}: {text!r} is not a date YYYY-MM-DD") from exc
