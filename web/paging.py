"""Paged lists: which page to show of how many."""
from __future__ import annotations


def page_bounds(total: int, requested: int, size: int) -> tuple[int, int]:
    """(the page to show, the number of pages): at least one page; out of range goes to the nearest."""
    pages = max(1, -(-total // size))
    return min(max(1, requested), pages), pages
