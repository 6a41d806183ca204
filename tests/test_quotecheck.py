"""``-b quotecheck`` against sources served on 127.0.0.1: found, drifted, not found,
unreachable, ignored; output.txt, output.json, located ``caselog.quote`` warnings."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOTS, caselog_warnings, edit, html_of, written_docs
from loopback import Loopback, Reply, html_page, pdf_reply, redirect
from sphinx.cmd.build import build_main
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.builders import QuotecheckError

RULING = html_page(
    "Judgment",
    "94 In particular, the essence of the fundamental right to respect for private life "
    "is compromised.",
    "The Court\u2019s answer is \u201cno\u201d.",
)


def sources() -> dict[str, Any]:
    return {
        "/ruling.html": RULING,
        "/release.pdf": pdf_reply(
            "Press release No 1/14",
            "Pervasive monitoring is an attack on the privacy of",
            "Internet users.",
        ),
        "/moved": redirect("/busy"),
        "/busy": [Reply(429, headers={"Retry-After": "0"}), RULING],
        "/slow.html": RULING._replace(delay=2),
        "/web/20150101000000/gone.html": RULING,
    }


def write_port(srcdir: Path, server: Loopback) -> None:
    """The root's sources name the server as 127.0.0.1:PORT; give them its real port."""
    for page in srcdir.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("PORT", str(server.httpd.server_address[1])), "utf-8")


def build_against(server: Loopback, srcdir: Path, builder: str = "quotecheck") -> SphinxTestApp:
    write_port(srcdir, server)
    app = SphinxTestApp(builder, srcdir=srcdir)
    app.build()
    return app


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SphinxTestApp, Loopback]]:
    srcdir = tmp_path_factory.mktemp("quotecheck") / "src"
    shutil.copytree(ROOTS / "test-quotecheck", srcdir)
    with Loopback(sources()) as server:
        app = build_against(server, srcdir)
        try:
            yield app, server
        finally:
            app.cleanup()


def results(app: SphinxTestApp) -> dict[str, dict[str, Any]]:
    data = json.loads((Path(app.outdir) / "output.json").read_text(encoding="utf-8"))
    return {case["id"]: case for case in data["cases"]}


def test_each_case_gets_one_result(checked: tuple[SphinxTestApp, Loopback]) -> None:
    app, _ = checked
    statuses = {case: r["status"] for case, r in results(app).items()}
    assert statuses == {
        "html": "found",
        "pdf": "found",
        "redirect": "found",
        "drifted": "drifted",
        "elsewhere": "not found",
        "gone": "unreachable",
        "ignored": "ignored",
        "archived": "found",
    }  # and no entry for the case without a quote


def test_found_names_the_source_that_holds_it(checked: tuple[SphinxTestApp, Loopback]) -> None:
    app, server = checked
    pdf = results(app)["pdf"]["source"]
    assert pdf["url"] == server.url("/release.pdf") and pdf["score"] == 100.0
    assert pdf["fragment"] == "Pervasive%20monitoring%20is%20an,privacy%20of%20Internet%20users."


def test_the_archived_copy_holds_a_quote_whose_source_is_gone(
    checked: tuple[SphinxTestApp, Loopback],
) -> None:
    app, server = checked
    source = results(app)["archived"]["source"]
    assert source["url"] == server.url("/gone.html")
    assert source["checked"] == server.url("/web/20150101000000/gone.html")
    assert len(server.hits_of("/gone.html")) == 1  # tried first, once (a 404)


def test_drifted_has_its_score_and_snippet(checked: tuple[SphinxTestApp, Loopback]) -> None:
    app, _ = checked
    drifted = results(app)["drifted"]
    assert 85 <= drifted["source"]["score"] < 100
    assert "the essence of the fundamental right" in drifted["source"]["snippet"]
    assert drifted["location"] == {"file": "index.md", "line": 29}


def test_unreachable_says_why(checked: tuple[SphinxTestApp, Loopback]) -> None:
    app, server = checked
    gone = results(app)["gone"]["source"]
    assert gone["error"] in {"HTTP 404 Not Found", "timed out after 0.5s"}
    assert len(server.hits_of("/missing.html")) == 1  # 404 is not retried …
    assert len(server.hits_of("/slow.html")) == 2  # … a timeout is, once
    assert not server.hits_of("/ignored")


def test_quote_warnings_are_located_at_the_case(checked: tuple[SphinxTestApp, Loopback]) -> None:
    app, _ = checked
    warnings = [(w.file, w.line, w.type) for w in caselog_warnings(app)]
    assert warnings == [
        ("index.md", 29, "caselog.quote"),
        ("index.md", 37, "caselog.quote"),
    ]
    messages = [w.message for w in caselog_warnings(app)]
    assert messages[0].startswith("quote of case 'drifted' drifted (best match ")
    assert messages[1].startswith("quote of case 'elsewhere' not found (best match ")


def test_output_txt_lists_every_case_by_line(checked: tuple[SphinxTestApp, Loopback]) -> None:
    app, server = checked
    lines = (Path(app.outdir) / "output.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"index.md:{n}" for n in (3, 11, 21, 29, 37, 45, 55, 71)
    ]
    assert lines[0] == f"index.md:3: [found] html: found in {server.url('/ruling.html')}"


def test_a_second_run_reads_the_cache(checked: tuple[SphinxTestApp, Loopback]) -> None:
    app, server = checked
    before = len(server.hits)
    again = SphinxTestApp("quotecheck", srcdir=Path(app.srcdir))
    try:
        again.build()
    finally:
        again.cleanup()
    # Only what failed is asked again (the 404s, the slow page); pages read are cached.
    assert {path for path, _ in server.hits[before:]} == {
        "/missing.html",
        "/slow.html",
        "/gone.html",
    }
    assert results(again)["pdf"]["status"] == "found"


def test_warnings_fail_a_strict_run(tmp_path: Path) -> None:
    """``sphinx-build -W -b quotecheck``: a drifted quote fails CI, with exit status 1."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-quotecheck", srcdir)
    with Loopback(sources()) as server:
        write_port(srcdir, server)
        status = build_main(["-W", "-q", "-b", "quotecheck", str(srcdir), str(tmp_path / "out")])
    assert status == 1


def test_without_the_extra_the_builder_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sphinx_caselog.builders.missing_dependencies", lambda: ["pypdf", "rapidfuzz"]
    )
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-quotecheck", srcdir)
    with pytest.raises(QuotecheckError, match=re.escape(
        "the quotecheck builder needs pypdf, rapidfuzz: pip install 'sphinx-caselog[quotecheck]'"
    )):  # fmt: skip
        SphinxTestApp("quotecheck", srcdir=srcdir)


def test_other_builds_never_import_the_extra(tmp_path: Path) -> None:
    """The HTML build works with none of inscriptis, pypdf and rapidfuzz importable."""
    script = (
        "import sys\n"
        "for name in ('inscriptis', 'pypdf', 'rapidfuzz'): sys.modules[name] = None\n"
        "from sphinx.cmd.build import build_main\n"
        "sys.exit(build_main(['-q', '-b', 'html', sys.argv[1], sys.argv[2]]))\n"
    )
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-quotecheck", srcdir)
    run = subprocess.run(
        [sys.executable, "-c", script, str(srcdir), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "html" / "index.html").exists()


def test_html_builds_link_verified_quotes_from_the_last_run(
    checked: tuple[SphinxTestApp, Loopback], tmp_path: Path
) -> None:
    """The real output.json of the run above, beside a later HTML build's output."""
    app, server = checked
    srcdir = tmp_path / "src"
    shutil.copytree(app.srcdir, srcdir, ignore=shutil.ignore_patterns("_build"))
    (srcdir / "_build" / "quotecheck").mkdir(parents=True)
    shutil.copy(Path(app.outdir) / "output.json", srcdir / "_build" / "quotecheck")
    html = SphinxTestApp("html", srcdir=srcdir)
    try:
        html.build()
        page = html_of(html, "index")
    finally:
        html.cleanup()
    links = {a.find_parent("article")["id"]: a["href"] for a in page.select("a.caselog-quote-link")}
    assert links == {
        "html": server.url("/ruling.html")
        + "#:~:text=the%20essence%20of%20the,private%20life%20is%20compromised.",
        "pdf": server.url("/release.pdf")
        + "#:~:text=Pervasive%20monitoring%20is%20an,privacy%20of%20Internet%20users.",
        "redirect": server.url("/moved")
        + "#:~:text=The%20Court%E2%80%99s%20answer%20is%20%E2%80%9Cno%E2%80%9D.",
        # next to the original, linking into the archived copy that holds the quote
        "archived": server.url("/web/20150101000000/gone.html")
        + "#:~:text=The%20Court%E2%80%99s%20answer%20is%20%E2%80%9Cno%E2%80%9D.",
    }


def test_a_new_run_rewrites_exactly_the_pages_whose_links_changed(
    copy_root: Any, make_app: Any
) -> None:
    srcdir = copy_root("quotecheck")
    edit(
        srcdir / "index.md",
        "PORT/ruling.html>\n---\n> The essence",
        "9/ruling.html>\n---\n> The essence",
    )
    results = srcdir / "_build" / "quotecheck" / "output.json"
    results.parent.mkdir(parents=True)

    def run(found: bool) -> dict[str, Any]:
        source = {"url": "http://127.0.0.1:9/ruling.html", "checked": None,
                  "fragment": "The%20essence" if found else None}  # fmt: skip
        case = {"id": "html", "status": "found" if found else "not found", "source": source}
        return {"cases": [case]}

    results.write_text(json.dumps(run(True)), encoding="utf-8")
    make_app("html", srcdir=srcdir).build()
    (srcdir / "second.md").write_text("# Second\n", encoding="utf-8")  # a page with no case
    first = make_app("html", srcdir=srcdir)
    first.build()
    assert html_of(first, "index").select("a.caselog-quote-link")
    results.write_text(json.dumps(run(False)), encoding="utf-8")
    second = make_app("html", srcdir=srcdir)
    second.build()
    assert "index" in written_docs(second) and "second" not in written_docs(second)
    assert not html_of(second, "index").select("a.caselog-quote-link")
    third = make_app("html", srcdir=srcdir)
    third.build()
    assert written_docs(third) == set()


def test_caselog_quote_can_be_suppressed(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-quotecheck", srcdir)
    with Loopback(sources()) as server:
        write_port(srcdir, server)
        app = SphinxTestApp(
            "quotecheck", srcdir=srcdir, confoverrides={"suppress_warnings": ["caselog.quote"]}
        )
        try:
            app.build()
        finally:
            app.cleanup()
    assert caselog_warnings(app) == []
    assert results(app)["drifted"]["status"] == "drifted"  # still reported, just not warned
