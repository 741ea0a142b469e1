"""Assignment by a process variable: a user task can go straight to the person a variable names,
and its lane can be routed to another one (``LANE_ROUTING``).

A user task carries the property ``assignee`` whose value is the name of a variable in the task's
data (``casemanager``, say). When the task becomes ready and that variable holds a user name, its
work item starts claimed by that user; without the property, or with the variable empty, the task
waits in its lane for anyone with the lane's role. The claim follows from the workflow state, so a
replay derives the same one. The engine knows no users: the application sees to it that the
variable names one (a form field offering the gemeente's case managers, for instance).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from lxml import etree

from engine.models.expressions import SPIFF_NS

ASSIGNEE_PROPERTY = "assignee"
# A process variable {lane in the model: lane it is worked in}; a key "<process id>/<lane>" routes
# that process's lane only. The application fills it (a gemeente's rule pack routes, say, its
# "casemanager werk" lane to another role); a process started by another inherits it.
LANE_ROUTING = "laneRouting"


def assignee(properties: Mapping[str, Any], data: Mapping[str, Any]) -> str | None:
    """The user a ready task with these properties and this data is assigned to, if any."""
    variable = properties.get(ASSIGNEE_PROPERTY)
    if not variable:
        return None
    value = data.get(variable)
    return value.strip() if isinstance(value, str) and value.strip() else None


def routed_lane(lane: str | None, process_id: str, data: Mapping[str, Any]) -> str | None:
    """The lane a ready task of ``process_id`` is worked in: its model lane unless the data routes it."""
    routing = data.get(LANE_ROUTING)
    if lane is None or not isinstance(routing, Mapping):
        return lane
    to = routing.get(f"{process_id}/{lane}") or routing.get(lane)
    return to if isinstance(to, str) and to else lane


def assignee_problems(root: etree._Element) -> Iterator[tuple[int | None, str | None, str]]:
    """(line, element id, message) for ``assignee`` properties that cannot name a variable."""
    for prop in root.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") != ASSIGNEE_PROPERTY:
            continue
        owner = prop.getparent()  # the element whose extensionElements hold the property
        while owner is not None and etree.QName(owner).localname != "extensionElements":
            owner = owner.getparent()
        owner = owner.getparent() if owner is not None else None
        element_id = owner.get("id") if owner is not None else None
        value = prop.get("value") or ""
        if owner is None or etree.QName(owner).localname != "userTask":
            yield prop.sourceline, element_id, "eigenschap 'assignee' hoort bij een gebruikerstaak"
        elif not value.isidentifier():
            yield (prop.sourceline, element_id,
                   f"eigenschap 'assignee' moet de naam van een procesvariabele zijn, niet {value!r}")
