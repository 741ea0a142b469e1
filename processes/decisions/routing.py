"""Lane routing from a gemeente's rule pack: who works a model's lane in this gemeente.

The shared models name their lanes for the usual role ("casemanager werk"). A gemeente whose own
policy gives part of that work to another role says so in its ``pack.json`` under ``routering``::

    {"beslissing": "WassenaarCategorie", "als": {"categorie": "2A"},
     "lanes": {"casemanager werk": "participatieconsulent"},
     "geldig_vanaf": "2024-10-25", "toelichting": "seed 004 Tabel 3: ..."}

When a business rule task takes that decision and its outputs match ``als`` (no ``als``: always),
the case's process data gets ``laneRouting`` (``engine/assignment.py``): from then on the lanes it
names are worked by the other role, in this process and in every process it starts. A lane key
``"<process id>/<lane>"`` routes that lane of that process only. When the decision is taken again
and no longer matches, the routing it set is withdrawn. The routing is part of the case data, so a
replay derives the same lanes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from processes.decisions.model import PackError

ROUTING_VARIABLE = "laneRouting"  # engine.assignment.LANE_ROUTING


@dataclass(frozen=True)
class Routing:
    beslissing: str
    als: dict[str, Any]
    lanes: dict[str, str]
    geldig_vanaf: date
    toelichting: str


def parse_routing(where: object, entries: object, first: date) -> list[Routing]:
    """The ``routering`` entries of a pack (PackError naming the pack when malformed)."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise PackError(f"{where}: 'routering' must be a list")
    found = []
    for entry in entries:
        lanes = entry.get("lanes") if isinstance(entry, dict) else None
        if not (isinstance(entry, dict) and isinstance(entry.get("beslissing"), str)
                and isinstance(lanes, dict) and lanes
                and all(isinstance(k, str) and isinstance(v, str) and v for k, v in lanes.items())):
            raise PackError(f"{where}: a 'routering' entry names 'beslissing' and 'lanes' (lane -> lane)")
        if not str(entry.get("toelichting") or "").strip():
            raise PackError(f"{where}: routing for {entry['beslissing']} cites its seed in 'toelichting'")
        try:
            since = date.fromisoformat(entry["geldig_vanaf"]) if entry.get("geldig_vanaf") else first
        except (TypeError, ValueError) as exc:
            raise PackError(f"{where}: {entry.get('geldig_vanaf')!r} is not a date YYYY-MM-DD") from exc
        found.append(Routing(entry["beslissing"], dict(entry.get("als") or {}), dict(lanes), since,
                             str(entry["toelichting"])))
    return found


def routed(routings: list[Routing], decision_id: str, outputs: Mapping[str, Any], data: Mapping[str, Any],
           on: date) -> dict[str, Any]:
    """``{"laneRouting": ...}`` to merge into the data after ``decision_id`` answered ``outputs``;
    empty when the pack routes nothing on this decision."""
    mine = [r for r in routings if r.beslissing == decision_id and r.geldig_vanaf <= on]
    if not mine:
        return {}
    current = data.get(ROUTING_VARIABLE)
    lanes: dict[str, str] = dict(current) if isinstance(current, Mapping) else {}
    for routing in mine:
        if all(outputs.get(key) == value for key, value in routing.als.items()):
            lanes.update(routing.lanes)
        else:  # no longer so: what this routing set is withdrawn
            for lane, to in routing.lanes.items():
                if lanes.get(lane) == to:
                    del lanes[lane]
    return {ROUTING_VARIABLE: lanes}
