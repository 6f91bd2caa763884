"""A task page paints its text and its math before any script but the theme's settings.

What is checked does not depend on the machine: no script blocks the first paint but the one the
inline settings read, the page paints, and its formulas are MathML in the page itself (typeset when
the site was built, ``docs/_ext/mathml.py``), so they are drawn with the first paint and no script
typesets them. How long the paint takes is measured, not asserted: each test records the paint times
(``record_property``). A time limit fitted to one machine failed on another (this project's 2-core
machines typeset a task page's math with MathJax in 0.5–0.9 s on one day and 1.0–1.3 s on an idle
machine on another), and performance is measured in benchmarks, not asserted in tests.

The tests carry the ``idle`` mark, so that the times they record are taken alone: the browser session
runs them after the other browser tests, without parallel workers, and each first waits (20 s at
most) until less than a quarter of the machine's CPU time is busy. The site is served as in the
other tests (gzip, from one local server without HTTP/2).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.idle]

# The machine counts as idle when less than this fraction of its CPU time is busy.
QUIET = 0.25
# Each page is loaded this many times, each in a fresh context (an empty cache); the report gives the fastest.
LOADS = 3
DESKTOP = {"width": 1400, "height": 900}

READY = """() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const formulas = document.querySelectorAll('.math').length;
    const blocking = performance.getEntriesByType('resource')
        .filter(r => r.initiatorType === 'script' && r.renderBlockingStatus === 'blocking')
        .map(r => new URL(r.name).pathname.split('/').pop());
    const mathml = document.querySelectorAll('.math > math').length;
    return {paint_ms: paint ? paint.startTime : null, formulas, mathml, blocking_scripts: blocking};
}"""
# The one script a page waits for before its first paint: the inline scripts after it read its settings.
BLOCKING_SCRIPTS = {"documentation_options.js"}


def load(browser: Browser, url: str) -> dict:
    """Open ``url`` in a fresh context and return its paint time and formula counts, once it has painted.

    The page opens as a reader's would: no request goes through the test's own interception (the
    offline checks are ``test_site.py``'s). Its context is closed before the next load is timed.
    """
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
        return page.evaluate(READY)
    finally:
        context.close()


def paint_ms(timing: dict) -> float:
    """When the page showed its text and its math (ms after navigation): its formulas are MathML."""
    assert timing["paint_ms"] is not None, f"the page never painted: {timing}"
    assert timing["mathml"] == timing["formulas"], f"formulas that are not MathML in the page: {timing}"
    return timing["paint_ms"]


def busy_fraction(seconds: float = 0.5) -> float:
    """The fraction of the machine's CPU time spent busy over the next ``seconds`` (Linux's /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle and iowait
        return sum(fields) - idle, sum(fields)

    busy, total = sample()
    time.sleep(seconds)
    busy_after, total_after = sample()
    return (busy_after - busy) / max(total_after - total, 1)


def settle(limit_s: float = 20.0) -> None:
    """Wait, for at most ``limit_s``, until the machine is mostly idle (what the previous test or
    session started may still be winding down); at once where /proc/stat does not exist."""
    deadline = time.monotonic() + limit_s
    while Path("/proc/stat").is_file() and time.monotonic() < deadline and busy_fraction() > QUIET:
        pass


def test_task_page_paints_first_with_its_math(
    browser: Browser, base_url: str, gallery_path: str, record_property
) -> None:
    settle()
    timings = [load(browser, base_url + gallery_path) for _ in range(LOADS)]
    for timing in timings:
        blocking = set(timing["blocking_scripts"])
        assert blocking <= BLOCKING_SCRIPTS, f"{gallery_path}: scripts that block the first paint: {blocking}"
    record_property("first_paint", {"page": gallery_path, "paint_ms": list(map(paint_ms, timings))})
