"""Lay out the diagrams of the bundled models anew (after a model's flow or lanes changed).

    .venv/bin/python scripts/layout_bundled.py          # rewrites bpmn/**/*.bpmn in place
    .venv/bin/python scripts/layout_bundled.py --check  # exit 1 when a diagram is out of date

Only the diagram part of each file changes (web/designer/layout.py); tests/designer/
test_bundled_diagrams.py checks that every bundled diagram shows every lane and element and that no
two shapes overlap and no line runs through a shape.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from web.designer.layout import replace_diagram  # noqa: E402


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in sorted((ROOT / "bpmn").rglob("*.bpmn")):
        text = path.read_text(encoding="utf-8")
        laid_out = replace_diagram(text)
        if laid_out != text:
            stale.append(path.relative_to(ROOT))
            if not check:
                path.write_text(laid_out, encoding="utf-8")
    for path in stale:
        print(f"{'verouderd' if check else 'opnieuw getekend'}: {path}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
