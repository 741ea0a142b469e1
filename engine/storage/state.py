"""Workflow state <-> JSON text, without the process spec.

SpiffWorkflow embeds the whole process spec in every serialized workflow; trede stores the spec
once per deployed version and hands the parsed spec objects back in on load. Dates and Decimals in
task data are registered so that forms and decisions can use them.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.storage import direct_dump

STATE_FORMAT = "trede-1"


class SpeclessWorkflowConverter(BpmnWorkflowConverter):  # type: ignore[misc]  # untyped SpiffWorkflow base
    """Leaves the specs out on save and takes them from the caller on restore."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: BpmnProcessSpec | None = None,
                  subprocess_specs: Mapping[str, BpmnProcessSpec] | None = None) -> BpmnWorkflow:
        if spec is None:
            raise ValueError("the process spec must be supplied to restore a workflow")
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _build_serializer() -> BpmnWorkflowSerializer:
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = SpeclessWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"]))
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    return BpmnWorkflowSerializer(registry)


_serializer = _build_serializer()
# The registry switches into "encoder mode" while converting; one conversion at a time.
_encode_lock = threading.Lock()
# The same dict, built without the registry (issue 16 item 5), where it can vouch for that.
_direct = direct_dump.usable_with(_serializer.registry, SpeclessWorkflowConverter)
# The test suite sets this (tests/__init__.py): every dump is also made by the registry and compared.
CHECK_DIRECT = False


def dump_state(workflow: BpmnWorkflow) -> str:
    """The workflow's state as JSON text (task order preserved: parents before children)."""
    dct = _direct(workflow) if _direct is not None else None
    if dct is None:
        return _registry_dump(workflow)
    dct["format"] = STATE_FORMAT
    text = json.dumps(dct, cls=_serializer._encoder_cls, separators=(",", ":"))
    if CHECK_DIRECT and text != _registry_dump(workflow):
        raise AssertionError("direct_dump differs from SpiffWorkflow's serializer")
    return text


def _registry_dump(workflow: BpmnWorkflow) -> str:
    """SpiffWorkflow's own serialisation (for shapes ``direct_dump`` does not know)."""
    registry = _serializer.registry
    with _encode_lock:
        registry._encoder_mode = True
        try:
            dct = registry.convert(workflow)
            dct["format"] = STATE_FORMAT
            return json.dumps(dct, cls=_serializer._encoder_cls, separators=(",", ":"))
        finally:
            registry._encoder_mode = False


def load_state(text: str, spec: BpmnProcessSpec,
               subprocess_specs: Mapping[str, BpmnProcessSpec] | None) -> BpmnWorkflow:
    dct = json.loads(text)
    fmt = dct.pop("format", None)
    if fmt != STATE_FORMAT:
        raise ValueError(f"unknown workflow state format {fmt!r}")
    return _serializer.registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)


def state_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_to_json(data: Any) -> str:
    """Task data or an event payload as JSON text, with dates and Decimals tagged."""
    registry = _serializer.registry
    with _encode_lock:
        registry._encoder_mode = True
        try:
            return json.dumps(registry.convert(data), cls=_serializer._encoder_cls, separators=(",", ":"))
        finally:
            registry._encoder_mode = False


def data_from_json(text: str) -> Any:
    value = json.loads(text)
    # Only a tagged value (a date, a Decimal: {"typename": ...}) needs the registry; plain JSON is
    # returned as parsed (the registry would copy it unchanged; the replay reads every payload).
    return _serializer.registry.restore(value) if '"typename"' in text else value
