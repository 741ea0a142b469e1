"""Worklist paging: with 10,000 tasks the page shows a window of page buttons, not hundreds."""
from __future__ import annotations

from web.worklist.service import Page


def _links(page: int, pages: int):
    return Page([], pages * 25, page, pages).page_links


def test_first_last_and_two_either_side_with_gaps_marked():
    assert _links(1, 618) == [1, 2, 3, None, 618]
    assert _links(300, 618) == [1, None, 298, 299, 300, 301, 302, None, 618]
    assert _links(618, 618) == [1, None, 616, 617, 618]


def test_few_pages_are_all_shown_without_gaps():
    assert _links(1, 1) == [1]
    assert _links(2, 4) == [1, 2, 3, 4]
    assert _links(4, 6) == [1, 2, 3, 4, 5, 6]
