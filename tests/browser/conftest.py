"""Fixtures that serve the built site on 127.0.0.1 and drive it in headless Chromium.

The site is the one ``nox -s docs`` builds into ``docs/_build/html``; these tests never build it.
Chromium is Debian's (``/usr/bin/chromium``, or ``$CHROMIUM``), started through Playwright's
``executable_path``: ``playwright install`` is never needed. Every page opened through the ``visit``
fixture records its console errors, failed requests and every request that leaves the serving host.

The server compresses text (HTML, CSS, JavaScript, JSON, SVG) with gzip when the browser asks for it,
as any web host does, so that the transfer sizes the tests measure are what a reader downloads. Each
test may attach measurements to its report (``record_property("page_metrics", {...})``); the end of
the run prints them as one table.
"""

from __future__ import annotations

import functools
import gzip
import mimetypes
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "docs" / "_build" / "html"
GALLERY = "auto_examples"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    # A software WebGL, so that plotly's 3-D scenes draw without a GPU.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    # The page itself is composited in software: compositing it through SwiftShader too costs a
    # third more CPU per page (measured: 72 against 49 core-seconds for 12 pages) and draws the same.
    "--disable-gpu-compositing",
    # WebGL without multisampling: SwiftShader's antialiasing costs a quarter of Chromium's CPU on a
    # task page (measured: 73 against 53 core-seconds for the checks of three task pages); the
    # scenes are drawn all the same, with rougher edges that no test looks at.
    "--webgl-antialiasing-mode=none",
    # No traffic of Chromium's own: every request seen comes from the page.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Schemes that never leave the machine.
LOCAL_SCHEMES = {"data", "blob", "about"}
# The two screens every page is checked on: a desktop and a phone (CSS pixels).
SCREENS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".txt", ".map"}


def built_site() -> Path:
    """The built site, or a usage error that says how to build it."""
    if not (SITE / "index.html").is_file():
        raise pytest.UsageError(
            f"no built site at {SITE}: build it first with `nox -s docs` (the browser tests only read it)"
        )
    return SITE


def html_pages() -> list[str]:
    """Every HTML page of the site, as a path relative to its root (static assets excluded)."""
    site = built_site()
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if path.relative_to(site).parts[0] not in {"_static", "_sources", "_downloads", "_images"}
    )


def gallery_pages() -> list[str]:
    """The task pages: the gallery's pages except its index and its execution-times page."""
    return [
        page
        for page in html_pages()
        if page.startswith(f"{GALLERY}/")
        and page.split("/")[-1] not in {"index.html", "sg_execution_times.html"}
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``page_path`` runs a test on every page of the site, ``gallery_path`` on every task page."""
    if "page_path" in metafunc.fixturenames:
        metafunc.parametrize("page_path", html_pages())
    if "gallery_path" in metafunc.fixturenames:
        metafunc.parametrize("gallery_path", gallery_pages())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start one slow test (it makes the fresh environment the downloads run in), then the page tests.

    The other slow tests come last; with parallel workers, one worker makes the environment while
    the others test pages, and no worker waits for it.
    """
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    fast = [item for item in items if item.get_closest_marker("slow") is None]
    items[:] = slow[:1] + fast + slow[1:]


@functools.cache
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """The file's bytes, gzip-compressed once per version of the file."""
    return gzip.compress(path.read_bytes(), mtime=0)


class _Handler(SimpleHTTPRequestHandler):
    """Static files, with text gzip-compressed for browsers that accept it (as web hosts serve it)."""

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output free of one access-log line per request."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED_SUFFIXES and path.is_file()):
            super().do_GET()
            return
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def site() -> Path:
    return built_site()


@pytest.fixture(scope="session")
def gallery_paths() -> list[str]:
    return gallery_pages()


@pytest.fixture(scope="session")
def gallery_scripts() -> list[str]:
    """The gallery's example scripts, by file name: the site has one task page for each."""
    return sorted(path.name for path in (ROOT / "gallery").glob("*.py"))


@pytest.fixture(scope="session")
def machine_paths() -> list[str]:
    """Absolute paths of this machine that would betray where the site was built."""
    candidates = {str(ROOT), sys.prefix, sys.base_prefix, str(Path.home())}
    return sorted(path for path in candidates if len(path) > 1)


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """Serve the site from a thread on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's package (`apt-get install -y chromium`) "
            "or point $CHROMIUM at a Chromium binary",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """A page opened on the served site, with what went wrong while it loaded."""

    page: Page
    url: str
    wait_until_quiet: Callable[[], None]
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    off_host_requests: list[str] = field(default_factory=list)

    def use_screen(self, screen: str) -> None:
        """Resize the page to one of :data:`SCREENS` and let it lay itself out again."""
        self.page.set_viewport_size(SCREENS[screen])
        self.page.evaluate("() => new Promise(requestAnimationFrame)")

    def problems(self) -> list[str]:
        """Everything that should not have happened, one line each, once no request is in flight."""
        self.wait_until_quiet()
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"failed request: {text}" for text in self.failed_requests]
            + [f"request off the serving host: {url}" for url in self.off_host_requests]
        )


class Tab:
    """One browser tab that opens page after page, each as a reader's first visit would.

    A new browser context per page costs a third more CPU than the page itself (measured: 72-81
    against 48-55 core-seconds for 12 atlas pages), so each test process keeps one tab. Every visit
    starts clean all the same: the HTTP cache is off (each page downloads everything again, so its
    transfer size is a first visit's), local and session storage are emptied before any script of the
    page runs, and the colour scheme and screen are set again. Whatever the page does wrong is
    recorded on the :class:`Visit` of the page being opened.
    """

    # A page is quiet once no request of it has been in flight for this long. (Playwright's
    # "networkidle" waits 500 ms, half a minute of waiting over the ~120 pages a run opens; no page
    # of this site starts a request more than a few animation frames after the last one ended.)
    QUIET_MS = 100
    POLL_MS = 20

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.base_url = base_url
        self.in_flight: set[Request] = set()
        self.context = browser.new_context(viewport=SCREENS["desktop"])
        self.context.add_init_script("localStorage.clear(); sessionStorage.clear();")
        self.page = self.context.new_page()
        devtools = self.context.new_cdp_session(self.page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.record = Visit(page=self.page, url="", wait_until_quiet=self.wait_until_quiet)
        self._watch()

    def _watch(self) -> None:
        page, serving_host = self.page, urlsplit(self.base_url).netloc
        # Any URL that is neither on the serving host nor of a local scheme.
        local = "|".join(f"{scheme}:" for scheme in sorted(LOCAL_SCHEMES))
        off_host_pattern = re.compile(rf"^(?!{re.escape(self.base_url)}|{local})")

        def off_host(url: str) -> bool:
            parts = urlsplit(url)
            return parts.scheme not in LOCAL_SCHEMES and parts.netloc != serving_host

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.record.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

        def on_request(request: Request) -> None:
            self.in_flight.add(request)
            if off_host(request.url):
                self.record.off_host_requests.append(request.url)

        def guard(route: Route) -> None:
            # Recorded by on_request; never let it reach the network (or wait on it).
            route.abort("blockedbyclient")

        def on_failure(request: Request) -> None:
            self.in_flight.discard(request)
            if not off_host(request.url):  # off-host requests are aborted on purpose
                self.record.failed_requests.append(f"{request.failure} {request.url}")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                self.record.failed_requests.append(f"HTTP {response.status} {response.url}")

        # Only requests that leave the host go through Playwright's router: routing every request
        # would hide the transfer sizes from the page's Resource Timing entries. The pattern is a
        # regular expression, which Playwright matches itself, so no request waits on Python.
        page.route(off_host_pattern, guard)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.record.console_errors.append(f"uncaught: {error}"))
        page.on("request", on_request)
        page.on("requestfailed", on_failure)
        page.on("requestfinished", lambda request: self.in_flight.discard(request))
        page.on("response", on_response)

    def wait_until_quiet(self, limit_ms: int = 30_000) -> None:
        """Wait until no request of the page has been in flight for :attr:`QUIET_MS`."""
        quiet = waited = 0
        while quiet < self.QUIET_MS:
            if waited > limit_ms:
                raise TimeoutError(f"requests still in flight after {limit_ms} ms: {self.in_flight}")
            self.page.wait_for_timeout(self.POLL_MS)
            waited += self.POLL_MS
            quiet = 0 if self.in_flight else quiet + self.POLL_MS

    def open(
        self, path: str, color_scheme: str = "light", screen: str = "desktop", viewport: dict | None = None
    ) -> Visit:
        """Open ``path`` (relative to the site's root) on ``screen``, or another ``viewport``, and wait
        until its network is quiet."""
        self.page.emulate_media(color_scheme=color_scheme)
        self.page.set_viewport_size(viewport or SCREENS[screen])
        self.in_flight.clear()
        self.record = Visit(page=self.page, url=self.base_url + path, wait_until_quiet=self.wait_until_quiet)
        self.page.goto(self.record.url, wait_until="load")
        self.wait_until_quiet()
        return self.record


@pytest.fixture(scope="session")
def tab(browser: Browser, base_url: str) -> Iterator[Tab]:
    tab = Tab(browser, base_url)
    yield tab
    tab.context.close()


@pytest.fixture
def visit(tab: Tab) -> Callable[..., Visit]:
    """Open pages of the site: ``visit("index.html", color_scheme="dark", screen="phone")``.

    Pages open one after the other in the test process's one :class:`Tab`; a test holds one at a time.
    """
    return tab.open


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the measurements the tests attached to their reports: one row per page."""
    rows, idle = {}, {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", "call") != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "page_metrics":
                    rows[value["page"]] = value
                elif name == "first_paint":
                    idle[value["page"]] = value
    if idle:
        terminalreporter.section(
            "first paint on an idle machine (ms after navigation, fastest load; measured, not asserted)"
        )
        terminalreporter.write_line(f"{'page':<50} {'paint':>6}   load by load")
        for page in sorted(idle):
            paint = idle[page]["paint_ms"]
            loads = " ".join(f"{ms:5.0f}" for ms in paint)
            terminalreporter.write_line(f"{page:<50} {min(paint):6.0f}   {loads}")
    if not rows:
        return
    terminalreporter.section("page weight, first paint and accessibility")
    header = f"{'page':<62} {'transfer':>9} {'raw':>9} {'paint':>7} {'axe':>9}"
    terminalreporter.write_line(header + "   (kB; ms; serious+critical light/dark)")
    for page in sorted(rows):
        row = rows[page]
        paint = "-" if row["paint_ms"] is None else f"{row['paint_ms']:.0f}"
        axe = f"{row['axe_light']}/{row['axe_dark']}"
        terminalreporter.write_line(
            f"{page:<62} {row['transfer'] / 1e3:9.0f} {row['raw'] / 1e3:9.0f} {paint:>7} {axe:>9}"
        )
    worst = max(rows.values(), key=lambda row: row["transfer"])
    terminalreporter.write_line(f"heaviest: {worst['page']} ({worst['transfer'] / 1e3:.0f} kB transferred)")
    terminalreporter.write_line("paint: ms after navigation, measured while other tests ran")
