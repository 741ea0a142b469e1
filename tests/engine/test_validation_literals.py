"""Validation refuses what would only fail (or silently differ) when a case reaches it (issue 20 item 7).

A designer who writes ``<timeDuration>PT5M</timeDuration>`` means five minutes; to the model's
expression language it is an unknown name, and the case would stop at the timer with
"name 'PT5M' is not defined". A condition on a gateway's default flow is ignored at run time.
Both are refused at validation, in Dutch, naming the element.
"""
from __future__ import annotations

import pytest

from engine.models.validation import validate_bundle

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:exclusiveGateway id="g" name="Genoeg?" default="{default}" />
    <bpmn:intermediateCatchEvent id="wacht" name="Even wachten">
      <bpmn:timerEventDefinition><bpmn:{kind}>{timer}</bpmn:{kind}></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g" />
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="wacht">
      <bpmn:conditionExpression>x &gt; 1</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e">{condition}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="wacht" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>
"""


def problems(timer='"PT5M"', kind="timeDuration", default="f3", condition=""):
    text = MODEL.format(timer=timer, kind=kind, default=default, condition=condition)
    return [(p.element_id, p.text) for p in validate_bundle({"m.bpmn": text.encode()})]


def test_a_correct_model_passes():
    assert problems() == []


@pytest.mark.parametrize(("kind", "written"), [
    ("timeDuration", "PT5M"), ("timeDuration", "P6M"), ("timeCycle", "R3/PT1H"),
    ("timeDate", "2026-01-01T00:00:00Z"), ("timeDate", "2026-01-01"),
])
def test_an_unquoted_iso_value_is_refused_with_the_quotes_to_add(kind, written):
    found = problems(timer=written, kind=kind)
    assert found == [("wacht", f"Tussengebeurtenis ‘Even wachten’ (wacht): timer {written} staat niet tussen "
                               "aanhalingstekens; "
                               f'een vaste waarde is een tekst: schrijf "{written}"')]


def test_a_timer_computed_from_case_data_is_left_to_run_time():
    assert problems(timer='str(einddatum)[:10] + "T00:00:00+01:00"', kind="timeDate") == []
    assert problems(timer="wachttijd", kind="timeDuration") == []  # a variable holding "PT5M"


def test_a_condition_on_the_default_flow_is_refused():
    found = problems(condition="<bpmn:conditionExpression>x &lt;= 1</bpmn:conditionExpression>")
    assert found == [("f3", "Pijl (f3): de standaardroute van ‘Genoeg?’ heeft een voorwaarde; de "
                            "standaardroute wordt genomen als geen andere voorwaarde geldt: "
                            "haal de voorwaarde weg")]


def test_a_default_that_does_not_leave_the_gateway_is_refused():
    found = problems(default="f4")
    assert ("g", "Exclusieve gateway ‘Genoeg?’ (g): de standaardroute f4 vertrekt niet uit dit element"
            ) in found
