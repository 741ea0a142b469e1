"""Grouped bar charts as server-rendered SVG (CSP: no script, no inline style; colours are SVG
presentation attributes)."""
from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 680, 320, 110, 16, 110
COLOURS = ("#24578f", "#d27d2d", "#3c8a4a")  # contrast >= 3:1 on white (WCAG 1.4.11)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    colour: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    title: str
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x of a group's centre, its label
    grid: list[tuple[float, int]]  # y, value
    legend: list[tuple[str, str]]  # colour, series name
    baseline: float
    left: int = LEFT


def bar_chart(title: str, groups: list[str], series: list[tuple[str, list[int]]]) -> BarChart:
    """``groups`` along the x axis, one bar per series in each group."""
    top_value = max([v for _, values in series for v in values] + [1])
    step = _nice_step(top_value)
    scale_max = step * -(-top_value // step)
    plot_h = HEIGHT - TOP - BOTTOM
    group_w = (WIDTH - LEFT - 10) / max(1, len(groups))
    bar_w = group_w * 0.8 / max(1, len(series))
    bars = []
    for g in range(len(groups)):
        for s, (_, values) in enumerate(series):
            value = values[g]
            h = plot_h * value / scale_max
            bars.append(Bar(round(LEFT + g * group_w + group_w * 0.1 + s * bar_w, 1),
                            round(TOP + plot_h - h, 1), round(bar_w - 2, 1), round(h, 1), value,
                            COLOURS[s % len(COLOURS)]))
    labels = [(round(LEFT + (g + 0.5) * group_w, 1), name) for g, name in enumerate(groups)]
    grid = [(round(TOP + plot_h - plot_h * v / scale_max, 1), v) for v in range(0, scale_max + 1, step)]
    legend = [(COLOURS[s % len(COLOURS)], name) for s, (name, _) in enumerate(series)]
    return BarChart(WIDTH, HEIGHT, title, bars, labels, grid, legend, TOP + plot_h)


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return step
    return 10_000
