"""The BSN elfproef, worked values from shared/domain/government-conventions.md section 4.1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from processes.bsn import check_bsn, is_valid_bsn, normalize_bsn

TREDE = Path(sys.executable).with_name("trede")


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "12345672", "012345672"])
def test_valid_worked_values(bsn):
    # 111222333 -> 66, 123456782 -> 154, 012345672 -> 110: all divisible by 11.
    assert is_valid_bsn(bsn)
    assert check_bsn(bsn) is None


@pytest.mark.parametrize(
    ("bsn", "reason_part"),
    [
        ("123456789", "elfproef"),  # sum 147
        ("000000000", "0"),  # divisible by 11 but not above 0
        ("00000000", "0"),  # 8 zeros get a leading zero: same case
        ("1234567", "7 digits"),
        ("1234567890", "10 digits"),
        ("12345678a", "digits"),
        ("", "empty"),
        ("١١١٢٢٢٣٣٣", "digits"),  # Arabic-Indic digits are not a BSN
    ],
)
def test_invalid_values_name_the_reason(bsn, reason_part):
    reason = check_bsn(bsn)
    assert reason is not None and reason_part in reason
    assert not is_valid_bsn(bsn)


def test_last_weight_is_minus_one():
    # 123456782 passes with weight -1 on the last digit; with +1 it would not (154 vs 158).
    assert is_valid_bsn("123456782")
    assert not is_valid_bsn("123456784")


def test_normalize_adds_leading_zero_to_eight_digits():
    assert normalize_bsn("12345672") == "012345672"
    assert normalize_bsn(" 111222333 ") == "111222333"


def _run(*args):
    return subprocess.run([str(TREDE), *args], capture_output=True, text=True, timeout=60)


def test_cli_valid():
    result = _run("bsn", "check", "12345672")
    assert result.returncode == 0
    assert result.stdout.strip() == "valid"


def test_cli_invalid():
    result = _run("bsn", "check", "123456789")
    assert result.returncode == 1
    assert result.stdout.strip().startswith("invalid: ")
    assert "Traceback" not in result.stderr
