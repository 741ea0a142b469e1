"""`trede decide` answers input it cannot compute with in one line and exit 2, never a traceback
(issue 17, finding 11): a number no money rounding can hold, a number of thousands of digits,
JSON nested thousands deep."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.decide import command as decide

# Apeldoorn's Werkt mee-afrekening: bedrag = round_money(Decimal("6.60") * uren)
# (bpmn/rules/apeldoorn/2020-07-02/WerktMeeAfrekening.dmn).
AFREKENING = {"product": "werkt_mee_op_trede_3", "doeltrede": 3, "behaaldeTrede": 3}


def _decide(decision: str, gemeente: str, input_text: str):
    return CliRunner().invoke(decide, [decision, "--gemeente", gemeente, "--input", input_text])


def _one_dutch_line(result, words: str) -> None:
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.output


def test_an_amount_too_large_to_compute_with_is_one_line():
    result = _decide("WerktMeeAfrekening", "apeldoorn", json.dumps({**AFREKENING, "uren": 1e300}))
    _one_dutch_line(result, "te groot of te klein om mee te rekenen")


@pytest.mark.parametrize("value", ["9" * 5000, "[" * 5000 + "]" * 5000], ids=["digits", "nesting"])
def test_input_too_large_to_read_is_one_line(value):
    result = _decide("LadderSpoor", "ooststellingwerf", '{"trede": ' + value + "}")
    _one_dutch_line(result, "te groot of te diep genest")


def test_a_refused_input_is_not_echoed_whole():
    result = _decide("LadderSpoor", "ooststellingwerf", json.dumps({"trede": [1] * 50_000}))
    assert result.exit_code == 2 and len(result.output) < 400


def test_a_sandbox_limit_in_the_rules_is_a_decision_error_in_dutch(tmp_path):
    """A pack whose output expression, fed a large input, builds a value past the sandbox's size
    guard: the service refuses the request in one Dutch line instead of raising the limit."""
    import re
    import shutil

    from processes.decisions import DecisionError
    from processes.decisions.service import DEFAULT_RULES_DIR, DecisionService

    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR / "apeldoorn", rules / "apeldoorn")
    shutil.copytree(DEFAULT_RULES_DIR / "ooststellingwerf", rules / "ooststellingwerf")  # adopted from
    table = rules / "apeldoorn" / "2020-07-02" / "WerktMeeAfrekening.dmn"
    text = table.read_text()
    grown = re.sub(r'round_money\(Decimal\("[0-9.]+"\) \* uren\)', 'len("x" * int(uren))', text)
    assert grown != text
    table.write_text(grown)
    service = DecisionService(rules)
    with pytest.raises(DecisionError, match="overschrijdt een grens van de sandbox"):
        service.decide("WerktMeeAfrekening", "apeldoorn", {**AFREKENING, "uren": 10**8})
