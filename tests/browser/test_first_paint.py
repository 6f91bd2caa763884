"""A task page paints its text before any script but the theme's settings, and typesets its math.

What is checked does not depend on the machine: no script blocks the first paint but the one the
inline settings read, the page paints, and MathJax typesets the formulas it has. How long that takes
is measured, not asserted: each test records the paint and math times (``record_property``), the way
``measure_site.py`` reports them. A time limit fitted to one machine failed on another (this
project's 2-core machines typeset a task page's math in 0.5–0.9 s on one day and 1.0–1.3 s on an
idle machine on another), and performance is measured in benchmarks, not asserted in tests.

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

READY = """async () => {
    if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const math = performance.getEntriesByName('mathjax-typeset')[0];
    const hasMath = document.querySelector('.math') !== null;
    const blocking = performance.getEntriesByType('resource')
        .filter(r => r.initiatorType === 'script' && r.renderBlockingStatus === 'blocking')
        .map(r => new URL(r.name).pathname.split('/').pop());
    return {paint_ms: paint ? paint.startTime : null, math_ms: math ? math.startTime : null, has_math: hasMath,
            blocking_scripts: blocking};
}"""
# The one script a page waits for before its first paint: the inline scripts after it read its settings.
BLOCKING_SCRIPTS = {"documentation_options.js"}


def load(browser: Browser, url: str) -> dict:
    """Open ``url`` in a fresh context and return its paint and math times, once it has painted.

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


def ready_ms(timing: dict) -> float:
    """When the page showed its text and, if it has math, its typeset math (ms after navigation)."""
    assert timing["paint_ms"] is not None, f"the page never painted: {timing}"
    if timing["has_math"]:
        assert timing["math_ms"] is not None, f"the page has math that MathJax never typeset: {timing}"
        return max(timing["paint_ms"], timing["math_ms"])
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


def test_task_page_paints_first_and_typesets_its_math(
    browser: Browser, base_url: str, gallery_path: str, record_property
) -> None:
    settle()
    timings = [load(browser, base_url + gallery_path) for _ in range(LOADS)]
    for timing in timings:
        blocking = set(timing["blocking_scripts"])
        assert blocking <= BLOCKING_SCRIPTS, f"{gallery_path}: scripts that block the first paint: {blocking}"
    paints = [timing["paint_ms"] for timing in timings]
    record_property(
        "first_paint", {"page": gallery_path, "paint_ms": paints, "ready_ms": list(map(ready_ms, timings))}
    )
