"""Figures in the built site: in the reader's theme, described, sized to the column, code that fits.

Every matplotlib figure comes as a light and a dark SVG, and the page shows the one of its theme; every
plotly figure is a labelled ``<figure>``, drawn after the page has painted, that switches colours with
the theme and stays inside its column on a phone.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from symmetry_tasks.plotting import DARK, LIGHT

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
# An alt text made from a file name, as sphinx-gallery writes when it has nothing better: "05 curie floor".
PLOTLY_JS = "**/plotly.min.js"
FILE_NAME_ALT = re.compile(r"^(sphx glr )?\d+( \w+)+$")

SHOWN_IMAGES = """() => Array.from(document.querySelectorAll('.bd-content img'))
    .filter(img => !img.closest('.sphx-glr-thumbcontainer') && getComputedStyle(img).display !== 'none')
    .map(img => ({src: img.getAttribute('src'), alt: img.getAttribute('alt') || '',
                  classes: img.className, width: img.getBoundingClientRect().width}))"""

PLOTLY_STATE = """() => Array.from(document.querySelectorAll('figure.st-plotly')).map(figure => {
    const graph = figure.querySelector('.plotly-graph-div');
    const box = figure.getBoundingClientRect();
    const column = figure.closest('.bd-article-container, article, main').getBoundingClientRect();
    return {label: figure.getAttribute('aria-label') || '',
            drawn: Boolean(graph._fullLayout && graph.querySelector('.main-svg')),
            paper: graph._fullLayout ? graph._fullLayout.paper_bgcolor : null,
            left: box.left, right: box.right, columnLeft: column.left, columnRight: column.right,
            width: box.width, height: box.height};
})"""


@contextlib.contextmanager
def open_page(tab, path: str, scheme: str, width: int, *, plotly: bool = True) -> Iterator[Page]:
    """Open a page in the test process's tab; without ``plotly``, plotly.js is not fetched (for tests
    of the other figures) while the page stays open."""
    if not plotly:
        tab.page.route(PLOTLY_JS, lambda route: route.abort())
    try:
        yield tab.open(path, color_scheme=scheme, viewport={"width": width, "height": 900}).page
    finally:
        if not plotly:
            tab.page.unroute(PLOTLY_JS)


def scroll_through(page: Page, limit_ms: int = 20_000) -> None:
    """Bring every shown image into view and wait until it has loaded (they load lazily), for at most
    ``limit_ms`` each: ``page.evaluate`` has no time limit of its own, and an image that never loads
    would hold the test forever; the caller checks that every image loaded."""
    page.evaluate(
        """async (limit) => {
        for (const img of document.querySelectorAll('.bd-content img')) {
            if (getComputedStyle(img).display === 'none') continue;
            img.scrollIntoView();
            if (img.complete) continue;
            const loaded = new Promise(done => { img.onload = img.onerror = done; });
            await Promise.race([loaded, new Promise(done => setTimeout(done, limit))]);
        }
        window.scrollTo(0, 0);
    }""",
        limit_ms,
    )


def wait_for_figures(page: Page) -> list[dict]:
    page.wait_for_function("() => document.documentElement.dataset.figures === 'drawn'")
    return page.evaluate(PLOTLY_STATE)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_figure_shows_in_the_readers_theme_with_real_alt_text(
    tab, gallery_path: str, scheme: str
) -> None:
    with open_page(tab, gallery_path, scheme, DESKTOP, plotly=False) as page:
        scroll_through(page)
        shown = page.evaluate(SHOWN_IMAGES)
        hidden_class = "only-dark" if scheme == "light" else "only-light"
        figures = page.locator("img.sphx-glr-single-img").count()
        assert len(shown) == figures // 2, f"{gallery_path}: {figures} images, {len(shown)} shown"
        for image in shown:
            assert image["src"].endswith(".dark.svg") == (scheme == "dark"), image
            assert hidden_class not in image["classes"], image
            assert len(image["alt"]) > 40 and not FILE_NAME_ALT.match(image["alt"]), image
            assert image["width"] > 100, image
        loaded = page.evaluate(
            "() => Array.from(document.querySelectorAll('.bd-content img'))"
            ".filter(img => getComputedStyle(img).display !== 'none')"
            ".every(img => img.complete && img.naturalWidth > 0)"
        )
        assert loaded, f"{gallery_path}: an image did not load"


def test_plotly_figures_are_labelled(site: Path, gallery_paths: list[str]) -> None:
    labels = []
    for path in gallery_paths:
        html = (site / path).read_text(encoding="utf-8")
        figures = re.findall(r"<figure class=\"st-plotly\"[^>]*>", html)
        labels += [re.search(r'aria-label="([^"]*)"', figure).group(1) for figure in figures]
    assert len(labels) >= 9, "expected interactive figures on the task pages"
    for label in labels:
        assert len(label) > 40 and label.endswith("."), label  # a sentence saying what is drawn


def test_plotly_figures_switch_theme_live(tab, gallery_paths: list[str]) -> None:
    path = next(path for path in gallery_paths if "square_to_rectangle" in path)
    with open_page(tab, path, "light", DESKTOP) as page:
        figures = wait_for_figures(page)
        assert figures and all(figure["drawn"] for figure in figures), figures
        assert {figure["paper"] for figure in figures} == {LIGHT.background}
        for theme, palette in (("dark", DARK), ("light", LIGHT)):
            page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            page.wait_for_function(
                "colour => Array.from(document.querySelectorAll('figure.st-plotly .plotly-graph-div'))"
                ".every(graph => graph._fullLayout.paper_bgcolor === colour)",
                arg=palette.background,
            )


def test_plotly_figures_fit_a_phone_column(tab, gallery_paths: list[str]) -> None:
    path = next(path for path in gallery_paths if "square_to_rectangle" in path)
    with open_page(tab, path, "light", PHONE) as page:
        for figure in wait_for_figures(page):
            assert (
                figure["left"] >= figure["columnLeft"] - 1 and figure["right"] <= figure["columnRight"] + 1
            ), figure
            assert figure["height"] >= 0.8 * figure["width"], figure  # not squashed on a narrow screen
        overflow = page.evaluate("() => document.querySelector('figure.st-plotly').scrollWidth")
        assert overflow <= page.evaluate("() => document.querySelector('figure.st-plotly').clientWidth") + 1


def test_plotly_js_never_blocks_the_page(site: Path, gallery_paths: list[str]) -> None:
    """No page loads plotly.js from its HTML; a deferred script loads it after the first paint."""
    for path in gallery_paths:
        html = (site / path).read_text(encoding="utf-8")
        assert "plotly.min.js" not in html, path
        if "st-plotly" in html:
            (tag,) = re.findall(r"<script[^>]*plotly-figures\.js[^>]*>", html)
            assert "defer" in tag, tag
    for path in ("index.html", "api/index.html", "theory/index.html"):
        assert "plotly-figures.js" not in (site / path).read_text(encoding="utf-8"), path


def test_gallery_code_fits_the_column_on_a_desktop(tab, gallery_paths: list[str]) -> None:
    for path in gallery_paths:
        with open_page(tab, path, "light", DESKTOP, plotly=False) as page:
            wide = page.evaluate(
                "() => Array.from(document.querySelectorAll('.bd-content div.highlight pre'))"
                ".filter(pre => pre.scrollWidth > pre.clientWidth + 1).map(pre => pre.textContent.slice(0, 80))"
            )
            assert not wide, f"{path}: {len(wide)} code or output blocks scroll sideways: {wide}"


def test_thumbnail_tooltips_are_plain_text(site: Path) -> None:
    html = (site / "auto_examples" / "index.html").read_text(encoding="utf-8")
    tooltips = re.findall(r'class="sphx-glr-thumbcontainer" tooltip="([^"]*)"', html)
    assert len(tooltips) >= 9, tooltips
    for tooltip in tooltips:
        assert not re.search(r"\\|`|:\w+:", tooltip), tooltip


def test_theory_figures_have_a_dark_twin(tab, site: Path) -> None:
    pages = [
        path for path in site.glob("theory/*.html") if "plot-directive" in path.read_text(encoding="utf-8")
    ]
    assert pages, "no theory page shows a figure of the plot directive"
    for path in pages:
        relative = path.relative_to(site).as_posix()
        for scheme in ("light", "dark"):
            with open_page(tab, relative, scheme, DESKTOP, plotly=False) as page:
                scroll_through(page)
                shown = page.evaluate(SHOWN_IMAGES)
                directive = [image for image in shown if "plot-directive" in image["classes"]]
                assert directive, relative
                for image in directive:
                    assert image["src"].endswith(".dark.svg") == (scheme == "dark"), image
