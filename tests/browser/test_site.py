"""The built site, driven in headless Chromium.

Every page is opened once and checked as readers meet it: it loads cleanly and offline, its math is
MathML (no TeX on the page, no math script), its plotly figures are drawn, it is light (its transfer
size is tested, its time to first paint reported), it has no serious or critical axe-core violation in light or in dark mode, and it
fits a 1400 px desktop and a 390 px phone. The times reported here are taken while other tests run;
``test_first_paint.py`` tests them on an otherwise idle machine. Further tests cover the downloads,
the search, the landing page and the navigation.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

pytestmark = pytest.mark.browser

MAX_GALLERY_PAGE_BYTES = 1_500_000
# A page with neither math nor a 3-D figure transfers less than this.
MAX_PLAIN_PAGE_TRANSFER = 1_000_000
SERIOUS = {"serious", "critical"}
# The axe-core rules whose outcome depends on the page's colours: all that a switch to dark mode can change.
COLOUR_RULES = ("color-contrast", "link-in-text-block")
GALLERY = "auto_examples"
WHEEL = re.compile(r"symmetry_tasks-[^/]+-py3-none-any\.whl$")

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

# Math is MathML written when the site was built (docs/_ext/mathml.py): every formula is a <math>
# element that keeps its TeX only in an annotation, the page shows no TeX source, loads no math script,
# and no formula is a tab stop (a displayed formula too wide for the column scrolls in its own box and
# takes focus for that, as code blocks do).
MATH_PROBLEMS = r"""() => {
    const problems = [];
    const math = Array.from(document.querySelectorAll('.math'));
    math.forEach((node, i) => {
        const formulas = node.querySelectorAll(':scope > math');
        if (formulas.length !== 1) problems.push(`math ${i} is not one <math> element: ${node.textContent.slice(0, 80)}`);
        const tex = node.querySelector('annotation[encoding="application/x-tex"]');
        if (!tex || !tex.textContent.trim()) problems.push(`math ${i} keeps no TeX annotation`);
        if (node.querySelector('merror')) problems.push(`math ${i} has an error: ${node.textContent.slice(0, 80)}`);
        const scrolls = node.scrollWidth > node.clientWidth + 1;
        if (node.tabIndex >= 0 && !scrolls) problems.push(`math ${i} is a tab stop`);
        const focusable = node.querySelectorAll('[tabindex]:not([tabindex="-1"]), a[href]').length;
        if (focusable) problems.push(`math ${i} holds ${focusable} tab stops`);
    });
    if (performance.getEntriesByType('resource').some(r => /mathjax|katex/i.test(r.name)))
        problems.push('the page loads a math script');
    // The text a reader sees (MathML's annotations are not drawn), outside code: no TeX source.
    const main = document.querySelector('main') || document.body;
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const TEX = /\\(?:frac|tfrac|sqrt|mathrm|mathfrak|hat|bar|vec|overline|sum|text|begin|big|Big|left|right|alpha|theta|pi)\b|\\[()\[\]]|\$[^$\s][^$]{0,80}\$/;
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        const parent = text.parentElement;
        if (parent.closest('pre, code, annotation, script, style, .highlight, kbd, samp')) continue;
        if (!parent.checkVisibility()) continue;
        const found = text.textContent.match(TEX);
        if (found) problems.push(`raw TeX on the page: "${found[0]}" in "${text.textContent.trim().slice(0, 80)}"`);
    }
    return problems;
}"""

# A primary sidebar that is shown holds at least one link.
SIDEBAR_PROBLEMS = """() => {
    const nav = document.querySelector('.bd-sidebar-primary nav.bd-docs-nav');
    if (!nav || nav.getClientRects().length === 0) return [];
    return nav.querySelector('a') ? [] : ['the sidebar shows "Section Navigation" with no link'];
}"""

METRICS = """() => {
    const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return {
        transfer: entries.reduce((sum, e) => sum + e.transferSize, 0),
        raw: entries.reduce((sum, e) => sum + e.decodedBodySize, 0),
        paint_ms: paint ? paint.startTime : null,
        has_math: document.querySelector('.math') !== null,
        has_figure: document.querySelector('.plotly-graph-div') !== null,
    };
}"""

# Elements that stick out of the right edge of the page, or of a column given by its selector, without a
# scrolling ancestor inside it to hold them. The theme lets the article's column ('.bd-article-container')
# scroll sideways itself, so the page does not, but then the whole text moves with it; only blocks inside
# it (code, tables) may scroll.
SIDEWAYS = """(selector) => {
    const box = selector ? document.querySelector(selector) : document.documentElement;
    if (!box || box.scrollWidth <= box.clientWidth) return [];
    const right = selector ? box.getBoundingClientRect().right : box.clientWidth;
    const culprits = [];
    for (const el of (selector ? box : document.body).querySelectorAll('*')) {
        const edge = el.getBoundingClientRect();
        if (edge.right <= right + 1 || edge.width === 0) continue;
        let parent = el.parentElement, held = false;
        for (; parent && parent !== (selector ? box : null) && !held; parent = parent.parentElement)
            held = ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(parent).overflowX);
        if (!held) culprits.push(`${el.tagName.toLowerCase()}.${el.classList[0] || ''} "${el.textContent.trim().slice(0, 30)}" ends at x = ${Math.round(edge.right)}`);
    }
    return [`${selector || 'the page'} scrolls sideways (${box.scrollWidth} > ${box.clientWidth} px)`, ...culprits.slice(0, 5)];
}"""
#: The column of the page's text.
ARTICLE = ".bd-article-container"


# Blocks that scroll sideways: keyboard-focusable, with a cue on the edge where content hides.
SCROLLERS = """() => Array.from(document.querySelectorAll('pre, .pst-scrollable-table-container, .theory-table-scroll, div.math'))
    .filter(el => el.getClientRects().length && el.scrollWidth > el.clientWidth + 1)
    .flatMap(el => {
        const name = `${el.tagName.toLowerCase()}.${el.classList[0] || ''} "${el.textContent.trim().slice(0, 30)}"`;
        const problems = [];
        if (el.tabIndex < 0) problems.push(`${name} scrolls sideways but cannot take keyboard focus`);
        if (!el.classList.contains('scroll-cue-right') || getComputedStyle(el).maskImage === 'none')
            problems.push(`${name} scrolls sideways with no cue on its right edge`);
        return problems;
    })"""

# On a phone, the menu, search and "On this page" buttons are on screen.
HEADER_CONTROLS = """() => ['.primary-toggle', '.navbar-persistent--mobile .search-button', '.secondary-toggle']
    .map(selector => [selector, document.querySelector(selector)])
    .filter(([, el]) => el && el.getClientRects().length)
    .flatMap(([selector, el]) => {
        const box = el.getBoundingClientRect();
        return box.left >= 0 && box.right <= document.documentElement.clientWidth ? []
            : [`${selector} sits at x = ${Math.round(box.left)}..${Math.round(box.right)}`];
    })"""


# Run in the page: axe-core's serious and critical violations, one line per rule.
AXE_RUN = """async ([options, impacts]) => (await axe.run(document, options)).violations
    .filter(rule => impacts.includes(rule.impact))
    .map(rule => `${rule.id} (${rule.impact}, ${rule.nodes.length}x): ${rule.help}; e.g. ${rule.nodes[0].html.slice(0, 160)}`)"""


def serious_violations(page, rules: tuple[str, ...] = ()) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line per rule.

    axe-core (the copy inside ``axe-playwright-python``) is put into the page once and run there; with
    ``rules``, only those rules run, otherwise all of them.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(Axe().axe_script)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    return page.evaluate(AXE_RUN, [options, sorted(SERIOUS)])


def test_page(visit, page_path: str, gallery_paths: list[str], subtests, record_property) -> None:
    """One visit per page: clean and offline, light, accessible in both modes, fits desktop and phone."""
    visited = visit(page_path, screen="desktop")
    page = visited.page
    page.wait_for_function(FIGURES_DRAWN)
    problems = page.evaluate(MATH_PROBLEMS) + page.evaluate(SIDEBAR_PROBLEMS) + visited.problems()
    metrics = page.evaluate(METRICS)
    with subtests.test("loads cleanly and offline, math typeset, no empty sidebar"):
        assert not problems, "\n".join(problems)
    with subtests.test("page weight"):
        if not (metrics["has_math"] or metrics["has_figure"]):
            assert metrics["transfer"] < MAX_PLAIN_PAGE_TRANSFER, metrics
    if page_path in gallery_paths:
        with subtests.test("interactive plotly figures, drawn by the site's one plotly.js"):
            assert page.evaluate(PLOTLY_PROBLEMS) == []
            sources = page.evaluate("() => Array.from(document.scripts, s => s.getAttribute('src') || '')")
            plotly = [src for src in sources if "plotly.min.js" in src or "cdn.plot.ly" in src]
            assert plotly == [] or (len(plotly) == 1 and "_static/plotly/plotly.min.js" in plotly[0]), plotly
            inline = page.evaluate("() => Array.from(document.scripts, s => s.textContent.length)")
            assert max(inline) < 1_000_000, f"a script of {max(inline)} characters is inlined"
    with subtests.test("fits a 1400 px screen"):
        assert page.evaluate(SIDEWAYS) + page.evaluate(SIDEWAYS, ARTICLE) == []
    with subtests.test("axe-core, light mode"):
        light = serious_violations(page)
        assert light == [], "\n".join(light)
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
    with subtests.test("axe-core, dark mode (the rules that depend on colour)"):
        dark = serious_violations(page, rules=COLOUR_RULES)
        assert dark == [], "\n".join(dark)
    visited.use_screen("phone")
    with subtests.test("fits a 390 px phone: no sideways scroll, header controls on screen"):
        assert (
            page.evaluate(SIDEWAYS) + page.evaluate(SIDEWAYS, ARTICLE) + page.evaluate(HEADER_CONTROLS) == []
        )
    with subtests.test("blocks that scroll sideways take focus and show a cue"):
        assert page.evaluate(SCROLLERS) == []
    record_property(
        "page_metrics", {**metrics, "page": page_path, "axe_light": len(light), "axe_dark": len(dark)}
    )


def test_phone_menu_reaches_navigation_search_and_theme_switch(visit) -> None:
    """At 390 px the menu button opens the navigation with the theme switch; search opens its box."""
    for path in ("index.html", "theory/index.html", f"{GALLERY}/index.html"):
        page = visit(path, screen="phone").page
        page.click(".primary-toggle")
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.locator(".theme-switch-button").wait_for(state="visible")
        links = dialog.locator(".bd-navbar-elements a.nav-link").all_inner_texts()
        assert [label.strip() for label in links][:4] == ["Tasks", "Theory", "Point groups", "API"], (
            path,
            links,
        )
        dialog.locator(".theme-switch-button").click()
        dialog.get_by_role("button", name="Dark").click()
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark", path
        page = visit(path, screen="phone").page
        page.click(".navbar-persistent--mobile .search-button")
        page.locator("#pst-search-dialog input[name=q]").wait_for(state="visible")


def test_gallery_has_a_page_per_example(gallery_paths: list[str], gallery_scripts: list[str]) -> None:
    """One task page for every script in gallery/, no more and no fewer."""
    assert gallery_scripts, "no gallery scripts found"
    assert sorted(Path(path).stem + ".py" for path in gallery_paths) == gallery_scripts


def test_gallery_page_is_small(site: Path, gallery_path: str) -> None:
    size = (site / gallery_path).stat().st_size
    assert size < MAX_GALLERY_PAGE_BYTES, f"{gallery_path} is {size} bytes (limit {MAX_GALLERY_PAGE_BYTES})"


def download_links(site: Path, path: str) -> list[str]:
    """The download buttons' targets on a page, as written in its HTML (no need to draw the page)."""
    soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
    return [link["href"] for link in soup.select(".sphx-glr-download a.download")]


def fetch(page_url: str, link: str) -> bytes:
    """What the server sends for ``link`` on the page at ``page_url``; it must be a file, and not empty."""
    with urlopen(urljoin(page_url, link)) as response:
        body = response.read()
    assert body, f"{link} is empty"
    return body


def test_downloads_resolve_and_say_how_to_install(site: Path, base_url: str, gallery_path: str) -> None:
    """The .py, .ipynb and .zip downloads of a task exist; each says how to install the package."""
    links = download_links(site, gallery_path)
    assert sorted(Path(link).suffix for link in links) == [".ipynb", ".py", ".zip"], links
    for link in links:
        body = fetch(base_url + gallery_path, link)
        if link.endswith(".ipynb"):
            first = "".join(json.loads(body)["cells"][0]["source"])
            # The wheel next to the notebook, or else the site's (tested in test_notebooks.py).
            assert re.search(r'^wheel = "symmetry_tasks-\S+\.whl"$', first, re.M), first
            assert re.search(r'^    wheel = "https?://\S+/wheel/symmetry_tasks-\S+\.whl"$', first, re.M), (
                first
            )
            assert '"-m", "pip", "install", wheel' in first, first
        elif link.endswith(".py"):
            opening = body.decode().split('"""')[0]
            assert "python -m pip install symmetry_tasks-" in opening, opening
        else:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
            stem = Path(gallery_path).stem
            assert sorted(names)[:2] == [f"{stem}.ipynb", f"{stem}.py"], names
            assert any(WHEEL.search(name) for name in names), names


def test_notebooks_are_markdown_without_sphinx_roles(site: Path, gallery_paths: list[str]) -> None:
    """Notebook text reads as Markdown in Jupyter: no :func:`...`, :doc:`...` left from reST."""
    leftovers = []
    for path in gallery_paths:
        name = Path(path).with_suffix(".ipynb").name
        (notebook,) = (site / "_downloads").glob(f"*/{name}")
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                leftovers += [f"{name}: {role}" for role in re.findall(r":[a-z]+:`[^`]*`", source)]
    assert not leftovers, "\n".join(leftovers)


def test_gallery_zips_hold_every_example_and_the_wheel(
    site: Path, base_url: str, gallery_paths: list[str]
) -> None:
    """The gallery index offers every example at once, as scripts and as notebooks, with the wheel."""
    index = f"{GALLERY}/index.html"
    links = download_links(site, index)
    assert len(links) == 2 and all(link.endswith(".zip") for link in links), links
    for link in links:
        names = zipfile.ZipFile(io.BytesIO(fetch(base_url + index, link))).namelist()
        suffix = ".py" if "python" in link else ".ipynb"
        examples = sorted(Path(path).with_suffix(suffix).name for path in gallery_paths)
        assert sorted(name for name in names if not WHEEL.search(name)) == examples, names
        assert sum(bool(WHEEL.search(name)) for name in names) == 1, names


@pytest.mark.parametrize("path", ["index.html", f"{GALLERY}/index.html"])
def test_pages_link_the_wheel(visit, path: str) -> None:
    """The landing page ("Get the code") and the gallery index link the package's wheel."""
    visited = visit(path)
    links = visited.page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href'))")
    wheels = sorted({link for link in links if link and WHEEL.search(link)})
    assert len(wheels) == 1, wheels
    archive = zipfile.ZipFile(io.BytesIO(fetch(visited.url, wheels[0])))
    assert "symmetry_tasks/__init__.py" in archive.namelist()
    assert any(name.endswith(".dist-info/METADATA") for name in archive.namelist())


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
    assert labels[:4] == ["Tasks", "Theory", "Point groups", "API"], labels


def search(visit, query: str) -> list[str]:
    """The pages the site's search lists for ``query``, as paths relative to the site's root."""
    visited = visit(f"search.html?q={query}")
    page = visited.page
    # searchtools.js lists results one by one, then says "Search finished" (or that nothing matched).
    page.wait_for_function(
        "() => /Search finished|did not match/.test(document.querySelector('.search-summary')?.textContent)",
        timeout=20_000,
    )
    links = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    root = visited.url.split("search.html")[0]
    return sorted({link.split("#")[0].split("?")[0].removeprefix(root) for link in links})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "rectangle square",
            [f"{GALLERY}/01_rectangle_to_square.html", f"{GALLERY}/02_square_to_rectangle.html"],
        ),
        # Irrep and group labels, however they are typed: B_{1g} and B<sub>1g</sub> on the pages.
        (
            "B1g",
            ["theory/character_tables.html", "theory/d4h_d2h.html", f"{GALLERY}/03_breaking_with_x2_y2.html"],
        ),
        ("D4h", ["theory/d4h_d2h.html", f"{GALLERY}/03_breaking_with_x2_y2.html"]),
        ("x^2-y^2", ["theory/e3nn_coordinates.html", f"{GALLERY}/03_breaking_with_x2_y2.html"]),
        ("x²−y²", ["theory/e3nn_coordinates.html", f"{GALLERY}/03_breaking_with_x2_y2.html"]),
        # Hermann-Mauguin symbols with the overbar the pages write, the minus typed for it, or neither.
        ("m3̄m", ["point_groups/Oh.html"]),
        ("m-3m", ["point_groups/Oh.html"]),
        ("m3m", ["point_groups/Oh.html"]),
    ],
)
def test_search_finds(visit, query: str, expected: list[str]) -> None:
    found = search(visit, query)
    missing = [path for path in expected if path not in found]
    assert not missing, f"searching {query!r} misses {missing}; it lists {found}"


def ranked_search(visit, query: str) -> tuple[list[str], list[str]]:
    """The pages the search lists for ``query``, in its order (each page as often as it is listed),
    and the text snippets under them."""
    visited = visit(f"search.html?q={query}")
    page = visited.page
    page.wait_for_function(
        "() => /Search finished|did not match/.test(document.querySelector('.search-summary')?.textContent)",
        timeout=20_000,
    )
    # Each snippet comes from its page, fetched after the result is listed: wait for the last.
    visited.wait_until_quiet()
    links = page.eval_on_selector_all("#search-results ul.search li > a", "links => links.map(a => a.href)")
    snippets = page.eval_on_selector_all("#search-results p.context", "ps => ps.map(p => p.textContent)")
    root = visited.url.split("search.html")[0]
    return [link.split("#")[0].split("?")[0].removeprefix(root) for link in links], snippets


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # The pages about the B1g order parameter before the tables that merely list the irrep.
        ("B1g", [f"{GALLERY}/03_breaking_with_x2_y2.html", "theory/d4h_d2h.html"]),
        ("stereogram", ["point_groups/index.html"]),
        ("D4h", ["theory/d4h_d2h.html", "point_groups/D4h.html"]),
        ("Curie", ["theory/curie.html"]),
    ],
)
def test_search_ranks_the_pages_about_the_query_first(visit, query: str, first: list[str]) -> None:
    found, _ = ranked_search(visit, query)
    top = found[: max(3, len(first))] if len(first) > 1 else found[:1]
    missing = [path for path in first if path not in top]
    assert not missing, f"searching {query!r}: {missing} not in the top {len(top)}; it lists {found[:6]}"


@pytest.mark.parametrize("query", ["B1g", "stereogram", "x^2-y^2", "sigma"])
def test_search_lists_each_page_once_with_plain_text_snippets(visit, query: str) -> None:
    found, snippets = ranked_search(visit, query)
    assert found, f"searching {query!r} found nothing"
    twice = sorted({path for path in found if found.count(path) > 1})
    assert not twice, f"searching {query!r} lists {twice} more than once"
    timing = [path for path in found if path.endswith("sg_execution_times.html")]
    assert not timing, f"execution-time pages are in the index: {timing}"
    tex = [snippet for snippet in snippets if re.search(r"\\[()\[\]]|\\[A-Za-z]+\{|_\{|\^\{", snippet)]
    assert not tex, f"snippets with TeX source: {tex[:3]}"


def test_execution_times_page_lists_every_example(visit, gallery_paths: list[str]) -> None:
    page = visit(f"{GALLERY}/sg_execution_times.html").page
    text = page.inner_text("main")
    for path in gallery_paths:
        assert Path(path).stem + ".py" in text, f"{path} missing from the execution times"


def path_pattern(paths: list[str]) -> re.Pattern[bytes]:
    """Any of ``paths`` as a whole path or a path's start: ``/root`` in ``/root/.cache``, not in ``/roots_of``."""
    alternatives = b"|".join(re.escape(path.encode()) for path in paths)
    return re.compile(rb"(?<![\w.-])(?:" + alternatives + rb")(?![\w.-])")


def test_path_pattern_finds_paths_not_names_that_start_alike() -> None:
    pattern = path_pattern(["/root", "/work/main"])
    assert pattern.search(b'"/root/.pyenv/bin/python"') and pattern.search(b"file:///work/main/src")
    assert pattern.search(b"cd /root")
    assert not pattern.search(b"symmetry_tasks/symmetry/roots_of_unity.py,sha256=x")
    assert not pattern.search(b"/work/main2/src /rooted")


def test_no_machine_paths_in_pages_or_downloads(site: Path, machine_paths: list[str]) -> None:
    """No file the site serves, nor any file inside its zips and wheel, names a path of the build machine."""
    pattern = path_pattern(machine_paths)
    leaks = []
    for file in site.rglob("*"):
        if not file.is_file():
            continue
        blobs = [(str(file.relative_to(site)), file.read_bytes())]
        if file.suffix in {".zip", ".whl"}:
            with zipfile.ZipFile(file) as archive:
                blobs += [(f"{file.name}:{name}", archive.read(name)) for name in archive.namelist()]
        leaks += [
            f"{name} contains {found.group().decode()}"
            for name, blob in blobs
            if (found := pattern.search(blob))
        ]
    assert not leaks, "\n".join(leaks)
