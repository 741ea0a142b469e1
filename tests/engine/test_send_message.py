"""The built-in service task ``send_message``: a model tells the other instances of its own dossier
that wait for a message (e.g. the ladder measurement at uitstroom stops the yearly one). Each
delivery is a step of the receiving instance with its own ``message_delivered`` event, in the
sender's transaction, and the dossier replays to its stored state."""
from __future__ import annotations

import pytest

from engine.errors import StepFailed
from tests.engine.helpers import BSN, make_engine

NS = ('xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
      'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" targetNamespace="http://t"')

WAITER = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions {NS} id="d_wachter">
  <bpmn:process id="wachter" name="Wachter" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:receiveTask id="wacht" name="Wachten" messageRef="Stop">
      <bpmn:extensionElements><spiffworkflow:messageVariable>stop</spiffworkflow:messageVariable></bpmn:extensionElements>
      <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
    </bpmn:receiveTask>
    <bpmn:endEvent id="e"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="wacht" />
    <bpmn:sequenceFlow id="b" sourceRef="wacht" targetRef="e" />
  </bpmn:process>
  <bpmn:message id="Stop" name="Stop" />
</bpmn:definitions>"""


def sender(payload: str = "{'reden': 'uitgestroomd'}") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions {NS} id="d_zender">
  <bpmn:process id="zender" name="Zender" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="stuur" name="Stop sturen">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="send_message" resultVariable="gestuurd">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="name" type="str" value="'Stop'" />
            <spiffworkflow:parameter id="payload" type="any" value="{payload}" />
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="e"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="stuur" />
    <bpmn:sequenceFlow id="b" sourceRef="stuur" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""


def statuses(engine, case_id):
    from sqlalchemy import select

    from engine.storage.db import instances
    with engine.db.connect() as conn:
        return [tuple(r) for r in conn.execute(select(instances.c.process_id, instances.c.status)
                                               .where(instances.c.case_id == case_id)
                                               .order_by(instances.c.id))]


def test_a_message_reaches_every_waiting_instance_of_the_same_dossier_only(db):
    engine = make_engine(db)
    engine.deploy({"wachter.bpmn": WAITER.encode(), "zender.bpmn": sender().encode()})
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "wachter", {})
    engine.start_process(case.id, "wachter", {})
    other, _ = engine.start_case("ooststellingwerf", "999990020", "Piet Pieters", "wachter", {})

    engine.start_process(case.id, "zender", {})

    assert statuses(engine, case.id)[:2] == [("wachter", "completed")] * 2
    assert statuses(engine, other.id) == [("wachter", "running")]  # another dossier hears nothing
    delivered = [e for e in engine.history(case.id) if e.kind == "message_delivered"]
    assert [e.payload for e in delivered] == [{"name": "Stop", "payload": {"reden": "uitgestroomd"}}] * 2
    assert engine.verify(case.id).ok


def test_nobody_waiting_is_no_error_and_a_bad_payload_is_refused(db):
    engine = make_engine(db)
    engine.deploy({"zender.bpmn": sender().encode()})
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "zender", {})
    assert [e.kind for e in engine.history(case.id)].count("message_delivered") == 0
    engine.deploy({"zender.bpmn": sender("'geen object'").encode()})
    with pytest.raises(StepFailed, match="payload"):
        engine.start_process(case.id, "zender", {})
