"""The built site, driven in headless Chromium: every page loads cleanly and offline, figures and math
render, downloads resolve, search finds the tasks."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.browser

MAX_GALLERY_PAGE_BYTES = 1_500_000

# JavaScript run in the page. Each returns a list of problems, empty when all is well.
PLOTLY_PROBLEMS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).flatMap((gd, i) => {
    const problems = [];
    const layout = gd._fullLayout;
    if (!layout || !gd.querySelector('.main-svg')) return [`figure ${i} was not drawn by plotly.js`];
    const box = gd.getBoundingClientRect();
    if (box.width < 100 || box.height < 100) problems.push(`figure ${i} is ${box.width}x${box.height} px`);
    for (const key of Object.keys(layout).filter(k => /^scene\\d*$/.test(k))) {
        const scene = layout[key]._scene;
        if (!scene || !scene.glplot) problems.push(`figure ${i}: 3-D ${key} has no WebGL plot`);
    }
    return problems;
})"""

# plotly figures are drawn once plotly.js has loaded, after the page's load event (_static/plotly-figures.js).
FIGURES_DRAWN = (
    "() => !document.querySelector('figure.st-plotly') || document.documentElement.dataset.figures"
)

MATH_PROBLEMS = """async () => {
    const math = Array.from(document.querySelectorAll('.math'));
    if (math.length === 0) return [];
    if (!window.MathJax || !MathJax.startup) return ['the page has math but MathJax did not load'];
    await MathJax.startup.promise;
    const problems = [];
    math.forEach((node, i) => {
        if (!node.querySelector('mjx-container')) problems.push(`math ${i} not typeset: ${node.textContent}`);
    });
    document.querySelectorAll('mjx-merror').forEach(node => problems.push(`TeX error: ${node.textContent}`));
    return problems;
}"""


def test_page_loads_cleanly_offline(visit, page_path: str) -> None:
    """No console error, no failed request, no request to another host; figures drawn, math typeset."""
    page = visit(page_path)
    page.page.wait_for_function(FIGURES_DRAWN)
    problems = page.problems()
    problems += page.page.evaluate(PLOTLY_PROBLEMS)
    problems += page.page.evaluate(MATH_PROBLEMS)
    assert not problems, f"{page_path}:\n" + "\n".join(problems)


def test_gallery_has_the_tasks(gallery_paths: list[str]) -> None:
    assert len(gallery_paths) >= 4, f"expected at least the four task pages, found {gallery_paths}"


def test_gallery_page_is_small(site: Path, gallery_path: str) -> None:
    size = (site / gallery_path).stat().st_size
    assert size < MAX_GALLERY_PAGE_BYTES, f"{gallery_path} is {size} bytes (limit {MAX_GALLERY_PAGE_BYTES})"


def test_gallery_pages_show_interactive_plotly_figures(visit, gallery_paths: list[str]) -> None:
    """Task pages hold plotly figures, drawn with the one local copy of plotly.js."""
    with_figures = 0
    for path in gallery_paths:
        page = visit(path).page
        figures = page.locator(".plotly-graph-div").count()
        if figures == 0:
            continue
        with_figures += 1
        page.wait_for_function(FIGURES_DRAWN)
        assert page.evaluate(PLOTLY_PROBLEMS) == [], path
        sources = page.evaluate("() => Array.from(document.scripts, s => s.getAttribute('src') || '')")
        plotly_sources = [src for src in sources if "plotly.min.js" in src or "cdn.plot.ly" in src]
        assert len(plotly_sources) == 1 and "_static/plotly/plotly.min.js" in plotly_sources[0], (
            f"{path} should load plotly.js once, from _static: {plotly_sources}"
        )
        inline = page.evaluate("() => Array.from(document.scripts, s => s.textContent.length)")
        assert max(inline) < 1_000_000, f"{path} inlines a script of {max(inline)} characters"
    assert with_figures > 0, "no task page shows a plotly figure"


def test_downloads_resolve(visit, gallery_path: str) -> None:
    """The .py, .ipynb and .zip downloads of a task exist, and the notebook says how to install."""
    visited = visit(gallery_path)
    links = visited.page.eval_on_selector_all(
        ".sphx-glr-download a.download", "links => links.map(a => a.getAttribute('href'))"
    )
    suffixes = sorted(Path(link).suffix for link in links)
    assert suffixes == [".ipynb", ".py", ".zip"], f"{gallery_path} download links: {links}"
    for link in links:
        response = visited.page.request.get(urljoin(visited.url, link))
        assert response.ok, f"{link}: HTTP {response.status}"
        body = response.body()
        assert body, f"{link} is empty"
        if link.endswith(".ipynb"):
            notebook = json.loads(body)
            first = "".join(notebook["cells"][0]["source"])
            assert "pip install" in first, f"the first cell of {link} does not say how to install:\n{first}"


def test_gallery_zips_resolve(visit, gallery_paths: list[str]) -> None:
    """The gallery index offers every example at once, as scripts and as notebooks."""
    visited = visit("auto_examples/index.html")
    links = visited.page.eval_on_selector_all(
        ".sphx-glr-download a.download", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(links) == 2 and all(link.endswith(".zip") for link in links), links
    for link in links:
        response = visited.page.request.get(urljoin(visited.url, link))
        assert response.ok, f"{link}: HTTP {response.status}"
        names = zipfile.ZipFile(io.BytesIO(response.body())).namelist()
        assert len(names) == len(gallery_paths), f"{link} holds {names}"


def test_landing_page_shows_gallery_cards_with_thumbnails(visit, gallery_paths: list[str]) -> None:
    page = visit("index.html").page
    cards = page.locator(".sphx-glr-thumbcontainer")
    assert cards.count() == len(gallery_paths)
    thumbs = page.eval_on_selector_all(
        ".sphx-glr-thumbcontainer img",
        "imgs => imgs.map(img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0])",
    )
    for src, loaded in thumbs:
        assert loaded, f"thumbnail {src} did not load"
        assert "no_image" not in src, f"placeholder thumbnail {src}"


def test_navbar_links_tasks_theory_api(visit) -> None:
    page = visit("index.html").page
    labels = page.eval_on_selector_all(
        ".navbar-header-items .nav-link", "links => links.map(a => a.innerText)"
    )
    labels = [label.strip() for label in labels]
    assert labels[:3] == ["Tasks", "Theory", "API"], labels


def test_search_finds_the_tasks(visit, gallery_paths: list[str]) -> None:
    page = visit("search.html?q=rectangle+square").page
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    page.wait_for_function(
        "() => !document.querySelector('#search-progress')?.textContent.includes('Preparing')"
    )
    found = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    tasks = [path for path in gallery_paths if "rectangle" in path or "square" in path]
    assert tasks, "no task page is about a rectangle and a square"
    for task in tasks:
        assert any(link.split("#")[0].endswith(task) for link in found), (
            f"search did not find {task}: {found}"
        )


def test_execution_times_page_lists_every_example(visit, gallery_paths: list[str]) -> None:
    page = visit("auto_examples/sg_execution_times.html").page
    text = page.inner_text("main")
    for path in gallery_paths:
        assert Path(path).stem + ".py" in text, f"{path} missing from the execution times"


def test_no_machine_paths_in_pages_or_downloads(site: Path, machine_paths: list[str]) -> None:
    """No file the site serves, nor any file inside its zips, names a path of the build machine."""
    paths = [path.encode() for path in machine_paths]
    leaks = []
    for file in site.rglob("*"):
        if not file.is_file():
            continue
        blobs = [(str(file.relative_to(site)), file.read_bytes())]
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                blobs += [(f"{file.name}:{name}", archive.read(name)) for name in archive.namelist()]
        leaks += [
            f"{name} contains {path.decode()}" for name, blob in blobs for path in paths if path in blob
        ]
    assert not leaks, "\n".join(leaks)
