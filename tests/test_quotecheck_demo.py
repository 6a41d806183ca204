"""``quotecheck`` on the demo log (``docs/``), against a mirror of its sources on 127.0.0.1.

The mirror (``tests/fixtures/mirror``) holds abridged copies of the pages and PDFs
the demo cites, in their real shapes: an RFC in ``<pre>`` with hard line breaks,
court judgments with numbered paragraphs, non-breaking hyphens and entities,
a soft hyphen, typographic quotes, a redirect to a PDF, and a news article that
is gone (404) and survives only as its archived copy. Every request for any
host is answered by the mirror: a transport adapter sends it to 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from helpers import DOCS, caselog_warnings, edit
from loopback import Loopback, Reply, pdf_document, redirect
from requests.adapters import HTTPAdapter
from sphinx.testing.util import SphinxTestApp

MIRROR = Path(__file__).parent / "fixtures" / "mirror"


def prepared(url: str) -> str:
    """The URL as requests sends it (quoting normalised), the key of a mirrored page."""
    return str(requests.Request("GET", url).prepare().url)


def mirror_path(url: str) -> str:
    return "/mirror/" + quote(prepared(url), safe="")


def mirror_routes(base: str) -> dict[str, Reply]:
    manifest: dict[str, Any] = json.loads((MIRROR / "mirror.json").read_text(encoding="utf-8"))
    routes = {}
    for url, entry in manifest.items():
        if url.startswith("_"):
            continue
        if "file" in entry:
            body = (MIRROR / entry["file"]).read_bytes()
            reply = Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})
        elif "pdf" in entry:
            lines = (MIRROR / entry["pdf"]).read_text(encoding="utf-8").splitlines()
            reply = Reply(200, pdf_document(*lines), {"Content-Type": "application/pdf"})
        elif "redirect" in entry:
            reply = redirect(base + mirror_path(entry["redirect"]))
        else:
            reply = Reply(entry["status"])
        routes[mirror_path(url)] = reply
    return routes


class MirrorAdapter(HTTPAdapter):
    """Sends every request that is not for the mirror itself to the mirror."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if request.url and not request.url.startswith(self.base):
            request.url = self.base + mirror_path(request.url)
        return super().send(request, *args, **kwargs)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Loopback]]:
    """A copy of docs/ and the mirror, with every fetch of the process sent to it."""
    srcdir = tmp_path_factory.mktemp("demo") / "docs"
    shutil.copytree(DOCS, srcdir, ignore=shutil.ignore_patterns("_build"))
    with Loopback({}) as server, pytest.MonkeyPatch.context() as patch:
        server.routes.update(mirror_routes(server.base))

        class MirroredSession(requests.Session):
            def __init__(self) -> None:
                super().__init__()
                self.mount("http://", MirrorAdapter(server.base))
                self.mount("https://", MirrorAdapter(server.base))

        patch.setattr("sphinx_caselog.fetch.requests.Session", MirroredSession)
        yield srcdir, server


def quotecheck(srcdir: Path) -> tuple[SphinxTestApp, dict[str, dict[str, Any]]]:
    app = SphinxTestApp(
        "quotecheck",
        srcdir=srcdir,
        builddir=srcdir.parent / "build",
        confoverrides={"caselog_quotecheck_rate_limit": 0, "caselog_quotecheck_timeout": 5},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    data = json.loads((Path(app.outdir) / "output.json").read_text(encoding="utf-8"))
    return app, {case["id"]: case for case in data["cases"]}


def test_every_demo_quote_is_found_then_an_altered_one_drifts(
    demo: tuple[Path, Loopback],
) -> None:
    srcdir, server = demo
    app, results = quotecheck(srcdir)
    assert len(results) == 9
    assert {case: r["status"] for case, r in results.items() if r["status"] != "found"} == {}
    assert caselog_warnings(app) == []
    # The Guardian's article is gone from the mirror: its archived copy holds the quote.
    snowden = results["snowden-prism-disclosure"]["source"]
    assert snowden["checked"].startswith("https://web.archive.org/web/20130606000000/https://")
    assert results["un-privacy-digital-age-2014"]["source"]["http_status"] == 200  # via a redirect
    assert not [path for path, _ in server.hits if not path.startswith("/mirror/")]

    edit(srcdir / "cases" / "schrems-i.md", "compromising the essence", "compromising the core")
    app, results = quotecheck(srcdir)
    statuses = {case: r["status"] for case, r in results.items()}
    assert statuses.pop("schrems-i") == "drifted"
    assert set(statuses.values()) == {"found"}
    drifted = results["schrems-i"]["source"]
    assert 85 <= drifted["score"] < 100
    assert "compromising the essence of the fundamental right" in drifted["snippet"]
    (warning,) = caselog_warnings(app)
    assert (warning.file, warning.line, warning.type) == ("schrems-i.md", 3, "caselog.quote")
    assert f"drifted (best match {drifted['score']:g}%)" in warning.message
