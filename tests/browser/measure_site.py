"""Measure a built site: page weights, links into other sites, and where the search ranks pages.

Run it on a site that ``nox -s docs`` built (``docs/_build/html``, or the folder given)::

    python tests/browser/measure_site.py [SITE]

* the weight of each task page: the page and every file of the site it loads (scripts, styles, fonts,
  images, plotly.js, ...) once its figures are drawn, in bytes as stored (uncompressed);
* the links that leave the site, over all its pages (``<a href="http...">``): how many, to how many
  distinct addresses;
* where the search page ranks the expected pages for the queries of :data:`QUERIES`, and its top five.

It prints one table of each; the browser tests check the same things against their limits.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import CHROMIUM, CHROMIUM_ARGS, SITE  # noqa: E402

#: Queries, and the pages each should list first.
QUERIES = {
    "B1g": ("auto_examples/03_breaking_with_x2_y2.html", "theory/d4h_d2h.html"),
    "D4h": ("theory/d4h_d2h.html", "point_groups/D4h.html"),
    "stereogram": ("point_groups/index.html",),
    "x^2-y^2": ("auto_examples/03_breaking_with_x2_y2.html", "theory/e3nn_coordinates.html"),
    "rectangle square": (
        "auto_examples/01_rectangle_to_square.html",
        "auto_examples/02_square_to_rectangle.html",
    ),
    "Curie": ("theory/curie.html",),
}
SEARCH_DONE = (
    "() => /Search finished|did not match/.test(document.querySelector('.search-summary')?.textContent)"
)
FIGURES_DRAWN = (
    "() => !document.querySelector('figure.st-plotly') || document.documentElement.dataset.figures"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}/"


def task_pages(site: Path) -> list[str]:
    return sorted(
        f"auto_examples/{path.name}"
        for path in (site / "auto_examples").glob("*.html")
        if path.name not in {"index.html", "sg_execution_times.html"}
    )


def page_weight(page: Page, base: str, site: Path, path: str) -> tuple[int, int]:
    """The bytes (as stored) of the page and of every local file it loaded, and how many files."""
    files: set[Path] = set()

    def record(response) -> None:
        if response.url.startswith(base):
            local = site / unquote(urlsplit(response.url).path).lstrip("/")
            files.add(local / "index.html" if local.is_dir() else local)

    page.on("response", record)
    page.goto(base + path, wait_until="load")
    page.wait_for_function(FIGURES_DRAWN, timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", record)
    existing = [file for file in files if file.is_file()]
    return sum(file.stat().st_size for file in existing), len(existing)


def ranked_results(page: Page, base: str, query: str) -> list[str]:
    """The pages the search lists for ``query``, in its order, each once."""
    page.goto(f"{base}search.html?q={query}")
    page.wait_for_function(SEARCH_DONE, timeout=30_000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    return list(dict.fromkeys(link.split("#")[0].split("?")[0].removeprefix(base) for link in links))


def external_links(site: Path) -> tuple[int, Counter]:
    hosts: Counter = Counter()
    total = 0
    addresses = set()
    for html in site.rglob("*.html"):
        if html.relative_to(site).parts[0] in {"_static", "_sources", "_downloads", "_images"}:
            continue
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            href = link["href"]
            if href.startswith(("http://", "https://")):
                total += 1
                addresses.add(href)
                hosts[urlsplit(href).netloc] += 1
    return total, len(addresses), hosts


def main() -> None:
    site = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else SITE
    server, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            print("page weight (page + every local file it loads, uncompressed)")
            for path in task_pages(site):
                size, count = page_weight(page, base, site, path)
                print(f"  {path:50s} {size / 1e6:6.2f} MB in {count} files")
            print("search results (rank: page)")
            for query, targets in QUERIES.items():
                results = ranked_results(page, base, query)
                ranks = ", ".join(
                    f"{target} {results.index(target) + 1 if target in results else '-'}"
                    for target in targets
                )
                print(f"  {query!r} ({len(results)} pages; ranks: {ranks}): 1-5: {', '.join(results[:5])}")
            browser.close()
    finally:
        server.shutdown()
    total, distinct, hosts = external_links(site)
    print(f"links to other sites: {total} ({distinct} distinct addresses)")
    for host, count in hosts.most_common():
        print(f"  {host}: {count}")


if __name__ == "__main__":
    main()
