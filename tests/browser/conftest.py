"""The demo log (docs/) in a real browser: Playwright driving Debian's Chromium.

Each theme is built once per session (in parallel), served from a loopback
http.server (search needs http, not file://), and opened at 1280 and 390 px.
Skipped, with the reason, where Chromium, Playwright or axe-core is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import pytest

HERE = Path(__file__).parent
DOCS = HERE.parent.parent / "docs"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
#: TOOLCHAIN.md: headless Chromium with no network of its own
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


class Variant(NamedTuple):
    """A theme as a reader sees it: the theme, and the colour scheme asked for."""

    theme: str
    scheme: str = "light"

    @property
    def id(self) -> str:
        return self.theme if self.scheme == "light" else f"{self.theme}-{self.scheme}"


VARIANTS = (
    Variant("furo"),
    Variant("furo", "dark"),
    Variant("alabaster"),
    Variant("pydata_sphinx_theme"),
    Variant("sphinx_rtd_theme"),
    Variant("sphinx_book_theme"),
)
WIDTHS = (1280, 390)

#: Console messages the themes themselves print: not ours.
THEME_CONSOLE_NOISE = {
    # pydata-sphinx-theme (and sphinx-book-theme on it), with no stored mode
    "Got invalid theme mode: . Resetting to auto.",
}


class Site(NamedTuple):
    variant: Variant
    outdir: Path
    base: str  # http://127.0.0.1:<port>/


def _build(theme: str, outdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", f"html_theme={theme}",
         str(DOCS), str(outdir)],
        capture_output=True, text=True, check=False,
        cwd=outdir.parent,  # not the checkout: `-m` puts the working directory on sys.path
    )  # fmt: skip


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo log built once per theme, two builds at a time (2 cores)."""
    root = tmp_path_factory.mktemp("browser")
    themes = sorted({v.theme for v in VARIANTS})
    with ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        results = dict(zip(themes, pool.map(lambda t: _build(t, root / t), themes), strict=True))
    for theme, result in results.items():
        assert result.returncode == 0, f"{theme}: {result.stderr}"
        assert not result.stderr.strip(), f"{theme} warned: {result.stderr}"
    return {theme: root / theme for theme in themes}


@pytest.fixture(scope="session")
def servers(builds: dict[str, Path]) -> Iterator[dict[str, str]]:
    """One loopback server per theme."""
    running = {}
    for theme, outdir in builds.items():
        handler = functools.partial(_Quiet, directory=str(outdir))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running[theme] = server
    yield {t: f"http://127.0.0.1:{s.server_port}/" for t, s in running.items()}
    for server in running.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=VARIANTS, ids=lambda v: v.id, scope="session")
def site(request: pytest.FixtureRequest, builds: dict[str, Path], servers: dict[str, str]) -> Site:
    variant: Variant = request.param
    return Site(variant, builds[variant.theme], servers[variant.theme])


class Console(list[str]):
    """The console errors (and failed requests) a page printed."""


@pytest.fixture
def page_at(browser: Any, site: Site) -> Iterator[Any]:
    """``page_at(width)``: a fresh page of *site* at that viewport width, whose
    console errors are collected in ``page.console_errors`` and asserted empty."""
    contexts = []
    pages = []

    def open_page(width: int) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=site.variant.scheme
        )
        contexts.append(context)
        # Chromium asks for /favicon.ico, which no theme ships: not a page error.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
        page = context.new_page()
        page.set_default_timeout(10000)
        page.console_errors = Console()
        page.on(
            "console",
            lambda m: (
                page.console_errors.append(m.text)
                if m.type == "error" and m.text not in THEME_CONSOLE_NOISE
                else None
            ),
        )
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        assert not page.console_errors, page.console_errors
    for context in contexts:
        context.close()
