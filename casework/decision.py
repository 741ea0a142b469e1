""""DMN proposes, a person decides": the proposal shown on a form, and the motivation rule.

The proposal (``beslissing_<decision>``) lives in the task's data, where the business rule task
before it put it; the engine shows that data read-only. A form may name as outcome a field the
model derived from the decision (``uitkomstVeld``) rather than one of its outputs.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casework.forms import Errors
from engine.errors import NotFound
from engine.service import CaseEngine


def proposal_for(engine: CaseEngine, task_id: str, beslissing: Mapping[str, Any]) -> dict[str, Any] | None:
    try:
        data = engine.task_data(task_id)
    except NotFound:
        return None
    return proposal_from(data, beslissing)


def proposal_from(data: Mapping[str, Any], beslissing: Mapping[str, Any]) -> dict[str, Any] | None:
    """The decision table's proposal in the task data, with the outcome field the form names."""
    found = data.get(f"beslissing_{beslissing.get('decision')}")
    if not isinstance(found, Mapping):
        return None
    proposal = dict(found)
    field = beslissing.get("uitkomstVeld")
    outputs = dict(proposal.get("outputs") or {})
    if field and field not in outputs and field in data:
        outputs[field] = data[field]
    proposal["outputs"] = outputs
    return proposal


def proposed_choice(schema: Mapping[str, Any], beslissing: Mapping[str, Any],
                    proposal: Mapping[str, Any] | None) -> str | None:
    """The besluit option the proposal points to, or None when it cannot be told."""
    if not proposal:
        return None
    outcome = (proposal.get("outputs") or {}).get(beslissing.get("uitkomstVeld"))
    options = [str(v) for v in (schema.get("properties", {}).get(beslissing.get("besluitVeld"), {})
                                .get("enum") or [])]
    if isinstance(outcome, bool) and len(options) >= 2:
        # Convention of our forms: the first option grants ("toekennen"), the second refuses.
        return options[0] if outcome else options[1]
    if outcome is not None and str(outcome) in options:
        return str(outcome)
    return None


def check_decision(schema: Mapping[str, Any], beslissing: Mapping[str, Any],
                   proposal: Mapping[str, Any] | None, data: Mapping[str, Any]) -> Errors:
    """A decision that departs from the proposal needs a motivation."""
    proposed = proposed_choice(schema, beslissing, proposal)
    besluit_veld = beslissing.get("besluitVeld")
    chosen = data.get(besluit_veld) if besluit_veld is not None else None
    field = beslissing.get("motiveringVeld")
    if proposed is None or chosen is None or str(chosen) == proposed or not field:
        return {}
    if str(data.get(field) or "").strip():
        return {}
    props = schema.get("properties", {})
    title = props.get(field, {}).get("title") or field
    label = dict(zip([str(v) for v in props.get(beslissing["besluitVeld"], {}).get("enum", [])],
                     props.get(beslissing["besluitVeld"], {}).get("x-enumNames", []), strict=False))
    return {field: f"{title}: u wijkt af van het voorstel ({label.get(proposed, proposed)}); "
                   "leg uit waarom."}
