"""Character tables read on a phone and on a desktop, and group symbols as crystallographers print them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The width of the fade that marks hidden content at a scroll box's edge (custom.css: 2.5rem).
FADE_PX = 40

# The box that scrolls: the theme's wrapper of the table, inside the region of table_node.
SCROLLER = (
    "const region = document.querySelector('.theory-table-scroll:has(table.character-table)');"
    "const scroller = region.querySelector('.pst-scrollable-table-container') || region;"
)

PINNED = (
    """() => {
    """
    + SCROLLER
    + """
    const table = region.querySelector('table');
    if (scroller.scrollWidth <= scroller.clientWidth + 1) return ['the table does not scroll on this screen'];
    scroller.scrollLeft = scroller.scrollWidth;
    const box = scroller.getBoundingClientRect();
    const problems = [];
    for (const cell of table.querySelectorAll('tr > :first-child')) {
        const rect = cell.getBoundingClientRect();
        if (Math.abs(rect.left - box.left) > 1) problems.push(`${cell.textContent} left at ${rect.left}, not ${box.left}`);
        const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
        const shown = document.elementFromPoint(x, y);
        if (y > 0 && y < innerHeight && !cell.contains(shown)) problems.push(`${cell.textContent} is covered`);
    }
    return problems;
}"""
)

FUNCTIONS_SHOWN = (
    """(fade) => {
    """
    + SCROLLER
    + """
    const headers = Array.from(region.querySelectorAll('thead th'));
    const functions = headers.find(th => th.textContent.trim() === 'functions');
    if (!functions) return ['no functions column'];
    const problems = [];
    if (headers.indexOf(functions) !== 1) problems.push(`functions is column ${headers.indexOf(functions) + 1}`);
    const box = scroller.getBoundingClientRect();
    const scrolls = scroller.scrollWidth > scroller.clientWidth + 1;
    const right = box.right - (scrolls ? fade : 0);
    const rect = functions.getBoundingClientRect();
    if (rect.left < box.left || rect.right > right) problems.push(`functions at ${rect.left}-${rect.right}, visible ${box.left}-${right}`);
    return problems;
}"""
)


@pytest.mark.parametrize("path", ["theory/d4h_d2h.html", "point_groups/Oh.html"])
def test_irrep_column_stays_pinned_on_a_phone(visit, path: str) -> None:
    page = visit(path, screen="phone").page
    assert page.evaluate(PINNED) == []


@pytest.mark.parametrize("path", ["theory/d4h_d2h.html", "point_groups/Oh.html", "point_groups/D6h.html"])
def test_functions_sit_next_to_the_labels_in_view(visit, path: str) -> None:
    page = visit(path, viewport={"width": 1280, "height": 900}).page
    assert page.evaluate(FUNCTIONS_SHOWN, FADE_PX) == []


def test_hermann_mauguin_symbols_have_overbars(visit) -> None:
    """m-3m prints as m3̄m (a combining overline on the 3), in the title and in the tables."""
    page = visit("point_groups/Oh.html").page
    title = page.inner_text("h1")
    assert "m3\u0305m" in title, title
    text = page.inner_text("main")
    assert "m-3m" not in text and "m\u22123m" not in text, "a Hermann-Mauguin symbol with a minus sign"
    index = visit("point_groups/index.html").page.inner_text("main")
    for symbol in ("4\u03052m", "6\u0305m2", "3\u0305m", "1\u0305"):
        assert symbol in index, f"{symbol} not in the atlas index"
