"""Regenerate the theme screenshots shown on docs/themes.md.

Builds ``docs/`` once per theme into a temporary folder, serves each build on
127.0.0.1, and has Playwright drive Debian's Chromium (never ``playwright
install``) to photograph a case at 1280 px and the table listing at 390 px.
Needs the ``browser`` extra and Chromium, as ``.ci/run`` installs them.

    python docs/scripts/theme_screenshots.py
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parents[1]
STATIC = DOCS / "_static" / "themes"
#: (file name part, theme, colour scheme)
VARIANTS = (
    ("furo", "furo", "light"),
    ("furo-dark", "furo", "dark"),
    ("alabaster", "alabaster", "light"),
    ("pydata", "pydata_sphinx_theme", "light"),
    ("rtd", "sphinx_rtd_theme", "light"),
    ("book", "sphinx_book_theme", "light"),
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build(theme: str, outdir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", f"html_theme={theme}",
         str(DOCS), str(outdir)],
        check=True, cwd=outdir.parent,
    )  # fmt: skip


def main() -> None:
    STATIC.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        built: dict[str, Path] = {}
        for name, theme, scheme in VARIANTS:
            if theme not in built:
                built[theme] = Path(tmp) / theme
                build(theme, built[theme])
            handler = functools.partial(Quiet, directory=str(built[theme]))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_port}/"
            for width, page, selector, shot in (
                (1280, "cases/schrems-i.html", "article.caselog-case", "case"),
                (390, "browse.html", ".caselog-style-table", "table-phone"),
            ):
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                tab = context.new_page()
                tab.goto(base + page)
                tab.locator(selector).first.screenshot(path=STATIC / f"{name}-{shot}.png")
                context.close()
            server.shutdown()
        browser.close()


if __name__ == "__main__":
    main()
