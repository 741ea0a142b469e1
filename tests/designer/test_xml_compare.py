"""The roundtrip comparison itself: it must forgive only what the schema says is the same."""
from __future__ import annotations

from tests.designer.xml_compare import compare

ORIGINAL = """<?xml version="1.0" encoding="ISO-8859-1"?>
<semantic:definitions xmlns:semantic="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="urn:t"
    expressionLanguage="http://www.w3.org/1999/XPath">
  <semantic:process id="p" isExecutable="false">
    <semantic:task id="t" name="Taak&#13;&#10;één" startQuantity="1" completionQuantity="1.0"/>
    <semantic:sequenceFlow id="f" sourceRef="t" targetRef="t">
      <semantic:conditionExpression xsi:type="semantic:tFormalExpression"
        >x &gt; 1</semantic:conditionExpression>
    </semantic:sequenceFlow>
  </semantic:process>
</semantic:definitions>""".encode("latin-1")

SAME = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="urn:t" id="d">
  <bpmn:process isExecutable="false" id="p">
    <bpmn:sequenceFlow id="f" sourceRef="t" targetRef="t">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">  x &gt; 1 </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:task id="t" name="Taak&#10;één"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_prefixes_order_whitespace_encoding_and_schema_defaults_may_change():
    assert compare(ORIGINAL, SAME) == ([], [])


def test_a_changed_or_dropped_value_is_a_loss():
    changed = SAME.replace("x &gt; 1", "x &gt; 2")
    assert any("conditionExpression" in lost for lost in compare(ORIGINAL, changed)[0])
    dropped = SAME.replace(' isExecutable="false"', "")
    assert any("tProcess" in lost for lost in compare(ORIGINAL, dropped)[0])
    not_default = ORIGINAL.replace(b'startQuantity="1"', b'startQuantity="2"')
    assert compare(not_default, SAME)[0]


def test_a_moved_element_is_a_loss_and_an_extra_attribute_is_not():
    moved = SAME.replace('<bpmn:task id="t" name="Taak&#10;één"/>', "").replace(
        "</bpmn:definitions>", '<bpmn:process id="q"><bpmn:task id="t" name="Taak&#10;één"/></bpmn:process>'
        "</bpmn:definitions>")
    assert compare(ORIGINAL, moved)[0]
    extra = SAME.replace('<bpmn:task id="t"', '<bpmn:task id="t" isForCompensation="true"')
    lost, added = compare(ORIGINAL, extra)
    assert lost == [] and "isForCompensation" in added[0]
