"""Samples, summaries and the interleaving that makes two measurements comparable.

Both sides of a comparison are measured in the same process, alternating step by step, so that
drift (CPU frequency, a noisy neighbour, the page cache warming up) hits both sides alike. The
figures are medians: a step that happened to meet a GC pause or a checkpoint does not move them.
"""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Samples:
    """Durations of one kind of step, in nanoseconds."""

    name: str
    ns: list[int] = field(default_factory=list)

    def timed(self, step: Callable[[], object]) -> object:
        """Run ``step`` once and record how long it took; returns what it returned."""
        start = time.perf_counter_ns()
        result = step()
        self.ns.append(time.perf_counter_ns() - start)
        return result

    def median_ms(self) -> float:
        return statistics.median(self.ns) / 1e6

    def p95_ms(self) -> float:
        return percentile(self.ns, 95) / 1e6


def percentile(values: list[int], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: the value is one that was really measured)."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def ratio_of_medians(subject: Samples, baseline: Samples) -> float:
    return subject.median_ms() / baseline.median_ms()


def in_turns(turn: int, first: Callable[[], None], second: Callable[[], None]) -> None:
    """Run both sides, swapping who goes first every turn so neither always gets a warm cache."""
    if turn % 2 == 0:
        first()
        second()
    else:
        second()
        first()
