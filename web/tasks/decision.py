""""DMN proposes, a person decides": the proposal shown on a form, and the motivation rule.

The proposal (``beslissing_<decision>``) lives in the task's data. The web layer has no
read-only view of task data yet, so it is taken from the newest event payload that carries it
(the data a case was started or a task completed with). A proposal computed by a business rule
task inside the process is therefore not seen until the engine exposes task data.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.service import CaseEngine
from web.forms import Errors


def proposal_for(engine: CaseEngine, case_id: int, beslissing: Mapping[str, Any]) -> dict | None:
    key = f"beslissing_{beslissing.get('decision')}"
    for event in reversed(engine.history(case_id)):
        data = event.payload.get("data")
        if isinstance(data, Mapping) and isinstance(data.get(key), Mapping):
            return dict(data[key])
    return None


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
    chosen = data.get(beslissing.get("besluitVeld"))
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
