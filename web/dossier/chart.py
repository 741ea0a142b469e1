"""The trede history as a small server-rendered SVG line chart (no script, no CDN)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from web.dossier.present import datum

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 560, 220, 40, 16, 40
STEPS = range(1, 7)  # participatieladder: trede 1 (geïsoleerd) to 6 (betaald werk)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[tuple[float, float, int, str]]  # x, y, trede, date label
    grid: list[tuple[float, int]]  # y, trede
    path: str


def trede_chart(history: list[tuple[date | datetime, int]]) -> Chart | None:
    if not history:
        return None
    span = WIDTH - LEFT - 20
    # Equal spacing per measurement: measurements are rare and irregular, a time axis would bunch them.
    step = span / max(1, len(history) - 1)

    def y(trede: int) -> float:
        return TOP + (6 - trede) * (HEIGHT - TOP - BOTTOM) / 5

    points = [(round(LEFT + i * step if len(history) > 1 else LEFT + span / 2, 1), round(y(t), 1), t,
               datum(at)) for i, (at, t) in enumerate(history)]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x},{yy}" for i, (x, yy, _, _) in enumerate(points))
    return Chart(WIDTH, HEIGHT, points, [(round(y(t), 1), t) for t in STEPS], path)
