"""Issue 20, item 7: what a designer or casemanager reads about a broken model is Dutch, names the
element (kind, name, id) and never shows a Python exception class or English stock phrase.

Validation (``trede validate``, ``trede deploy``, the designer, the API's 422) and run-time failures
(incidents, "het model faalde: ...") both go through ``engine.sandbox.explain`` (Python's errors in
words) and ``engine.models.labels`` (the element as "Scripttaak ‘Bereken premie’ (script_premie)").
"""
from __future__ import annotations

import re

import pytest

from engine.errors import StepFailed
from engine.models.validation import validate_bundle
from engine.sandbox.explain import describe, refusal, syntax_error
from tests.engine.helpers import make_engine

# What must never reach a person: exception class names, Python's and RestrictedPython's English.
ENGLISH = re.compile(r"Error\b|Exception\b|not allowed|invalid syntax|is not defined|Traceback|"
                     r"is not supported|has no |cannot |must be|expected|unknown |does not|internal error")

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
  <bpmn:process id="premie" name="Premie" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script_premie"/>
    <bpmn:scriptTask id="script_premie" name="Bereken premie">
      <bpmn:script>{script}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="script_premie" targetRef="keuze"/>
    <bpmn:exclusiveGateway id="keuze" name="Genoeg?" default="f4"/>
    <bpmn:sequenceFlow id="f3" sourceRef="keuze" targetRef="wacht">
      <bpmn:conditionExpression>{condition}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="keuze" targetRef="einde">{default_condition}</bpmn:sequenceFlow>
    <bpmn:intermediateCatchEvent id="wacht" name="Even wachten">
      <bpmn:timerEventDefinition id="t1">
        <bpmn:timeDuration>{timer}</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f5" sourceRef="wacht" targetRef="einde"/>
    <bpmn:endEvent id="einde"/>
  </bpmn:process>
</bpmn:definitions>
"""
GOOD = {"script": "premie = 10", "condition": "premie &gt; 5", "default_condition": "", "timer": '"PT5M"'}

DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="t" namespace="urn:t">
  <decision id="Hoogte" name="Hoogte premie">
    <decisionTable id="tabel">
      <input id="in_leeftijd" label="Leeftijd"><inputExpression id="e1" typeRef="number"><text>leeftijd</text>
      </inputExpression></input>
      <output id="out_premie" label="Premie" name="premie" typeRef="number"/>
      <rule id="r1"><inputEntry id="c1"><text>{cell}</text></inputEntry><outputEntry id="o1"><text>100</text>
      </outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


def _bpmn(**changes: str) -> bytes:
    return BPMN.format(**{**GOOD, **changes}).encode()


# (name, files, the element as the message names it, what the message says)
BROKEN = [
    ("bad import", {"m.bpmn": _bpmn(script="import os")},
     "Scripttaak ‘Bereken premie’ (script_premie)", "modules importeren mag niet in modelcode (import os)"),
    ("syntax error", {"m.bpmn": _bpmn(script="premie = 10\nif premie\n  premie = 2")},
     "Scripttaak ‘Bereken premie’ (script_premie)",
     "ongeldige Python-syntax op regel 2 van het script: er ontbreekt een dubbele punt (:)"),
    ("clock in a condition", {"m.bpmn": _bpmn(condition="date.today() &gt; einddatum")},
     "Pijl (f3)", "voorwaarde ‘date.today() > einddatum’: ‘.today’ leest de klok"),
    ("underscore name in a condition", {"m.bpmn": _bpmn(condition="_geheim == 1")},
     "Pijl (f3)", "namen die met een laag streepje beginnen mogen niet in modelcode (‘_geheim’)"),
    ("unquoted timer", {"m.bpmn": _bpmn(timer="PT5M")},
     "Tussengebeurtenis ‘Even wachten’ (wacht)", 'timer PT5M staat niet tussen aanhalingstekens'),
    ("unbounded timer", {"m.bpmn": _bpmn(timer='"P101Y"')},
     "Tussengebeurtenis ‘Even wachten’ (wacht)", "de duur 'P101Y' is langer dan 100 jaar"),
    ("default flow with a condition",
     {"m.bpmn": _bpmn(default_condition="<bpmn:conditionExpression>premie &lt; 5"
                                        "</bpmn:conditionExpression>")},
     "Pijl (f4)", "de standaardroute van ‘Genoeg?’ heeft een voorwaarde"),
    ("bad FEEL cell", {"t.dmn": DMN.format(cell="&gt;&gt; 3").encode()},
     "Beslissing ‘Hoogte premie’ (Hoogte)", "beslistabel tabel: regel r1"),
    ("FEEL range in a Python cell",
     {"t.dmn": DMN.format(cell="[1..5]").replace('id="defs"', 'expressionLanguage="https://www.python.org/" '
                                                 'id="defs"').encode()},
     "Regel 1, kolom ‘Leeftijd’ (c1)", "invoercel ‘[1..5]’: een FEEL-bereik werkt hier niet"),
    ("file without a process", {"leeg.bpmn": b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn='
                                b'"http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
                                b'targetNamespace="x"/>'},
     None, "het BPMN-bestand bevat geen proces"),
    ("file without a decision", {"leeg.dmn": b'<?xml version="1.0"?><definitions xmlns='
                                 b'"https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" '
                                 b'namespace="x"/>'},
     None, "het DMN-bestand bevat geen beslissing"),
    ("neither BPMN nor DMN", {"x.bpmn": b"<html><body/></html>"},
     None, "geen BPMN- of DMN-bestand: het bevat geen proces en geen beslissing"),
    ("malformed XML", {"m.bpmn": _bpmn()[:-40]}, None, "ongeldige XML"),
    ("schema",
     {"m.bpmn": _bpmn().replace(b'<bpmn:endEvent id="einde"/>', b'<bpmn:endEvent id="einde" x="1"/>')},
     None, "het attribuut ‘x’ hoort niet bij ‘eindgebeurtenis (bpmn:endEvent)’"),
]


def test_the_template_is_a_good_model():
    assert validate_bundle({"m.bpmn": _bpmn()}) == []


@pytest.mark.parametrize(("files", "element", "said"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_model_is_explained_in_dutch_with_its_element(files, element, said):
    problems = validate_bundle(files)
    assert problems, "the broken model passed validation"
    for problem in problems:
        assert not ENGLISH.search(str(problem)), str(problem)
    texts = [p.text for p in problems]
    assert any(said in text for text in texts), texts
    if element is not None:
        assert any(text.startswith(f"{element}: ") and said in text for text in texts), texts


def test_the_cli_line_has_file_line_element_and_message():
    [problem] = validate_bundle({"m.bpmn": _bpmn(script="import os")})
    assert str(problem) == ("m.bpmn:7: Scripttaak ‘Bereken premie’ (script_premie): modules importeren mag "
                            "niet in modelcode (import os)")


# --- Python's errors in words: one place (engine.sandbox.explain) ---------------------------------


def _raised(code: str) -> BaseException:
    try:
        exec(code, {"premie": None, "gegevens": {}, "lijst": []})  # noqa: S102 - a fixed test snippet
    except Exception as exc:  # noqa: BLE001
        return exc
    raise AssertionError(f"{code!r} raised nothing")


@pytest.mark.parametrize(("code", "dutch"), [
    ("x = onbekend + 1", "onbekende naam ‘onbekend’"),
    ("x = gegevens['uren']", "onbekend veld ‘uren’"),
    ("x = 1 / 0", "deling door nul"),
    ("x = 1 + 'a'", "+ kan niet met een geheel getal en een tekst"),
    ("x = premie['a']", "een lege waarde (None) heeft geen velden of posities"),
    ("x = lijst[3]", "positie buiten de lijst"),
    ("x = int('tien')", "'tien' is geen geheel getal"),
    ("x = 1 < 'a'", "een geheel getal en een tekst kunnen niet met < worden vergeleken"),
    ("x = premie.bedrag", "een lege waarde (None) heeft geen onderdeel ‘.bedrag’"),
])
def test_python_errors_are_described_in_dutch(code, dutch):
    said = describe(_raised(code))
    assert dutch in said
    assert not ENGLISH.search(said), said


def test_syntax_errors_and_refusals_are_dutch():
    assert syntax_error("'(' was never closed", 3, "x = (") == (
        "ongeldige Python-syntax op regel 3: een haakje wordt geopend maar niet gesloten (bij ‘x = (’)")
    assert refusal('"_x" is an invalid variable name because it starts with "_"') == (
        "namen die met een laag streepje beginnen mogen niet in modelcode (‘_x’)")
    assert not ENGLISH.search(refusal("Something RestrictedPython says that nobody translated."))


# --- run time: the incident text and the answer to the person who acted ----------------------------


@pytest.mark.parametrize(("changes", "said"), [
    ({"script": "premie = uren * 2"},
     "in Scripttaak ‘Bereken premie’ (script_premie) (regel 1): onbekende naam ‘uren’"),
    ({"script": "premie = 10 / aantal"},
     "in Scripttaak ‘Bereken premie’ (script_premie) (regel 1): deling door nul"),
    ({"script": "premie = gegevens['uren']"}, "onbekend veld ‘uren’"),
    ({"condition": "bedrag &gt; 5"}, "onbekende naam ‘bedrag’"),
    ({"timer": "wachttijd"}, "in Tussengebeurtenis ‘Even wachten’ (wacht): '5 minuten' is geen geldige "
                             'ISO 8601-waarde (een duur, bijvoorbeeld "PT5M" of "P14D")'),
])
def test_a_model_failing_at_run_time_says_so_in_dutch(db, changes, said):
    engine = make_engine(db)
    engine.deploy({"m.bpmn": _bpmn(**changes)})
    with pytest.raises(StepFailed) as failed:
        engine.start_case("woerden", "999990019", "Jan Jansen", "premie",
                          {"aantal": 0, "gegevens": {}, "wachttijd": "5 minuten"})
    message = str(failed.value)
    assert message.startswith("het model faalde")
    assert said in message
    assert not ENGLISH.search(message), message


def test_an_applications_own_error_keeps_its_words_and_pythons_own_never_show_their_class():
    class Unavailable(Exception):
        pass

    said = "de beslisservice is niet aangesloten"
    assert describe(Unavailable(said)) == said
    assert describe(Exception("boom")) == "de modelcode liep op een onverwachte fout"


def test_a_models_own_value_error_keeps_its_words_pythons_do_not():
    """A model refuses input by raising ValueError with the text for the person (e.g. the fiat of
    werkt_mee and werkplek_aanbod: "Opmerking is verplicht als u niet fiatteert"); Python's own
    ValueError texts stay out."""
    own = "Opmerking is verplicht als u niet fiatteert: schrijf wat er gecorrigeerd moet worden"
    assert describe(ValueError(own)) == own
    assert describe(_raised("[1].remove(2)")) == "een ongeldige waarde"
    assert describe(_raised("'abc'.index('z')")) == "een ongeldige waarde"
