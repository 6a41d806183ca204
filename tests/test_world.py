"""Material nobody here wrote (issue 12): URLs pasted from court websites, dates at the end
of time, quotes of every shape, control characters from word processors, tags named like
pages, cases hidden by ``only``, included files, odd file names, nesting, untitled cases.

Each test names the failure it guards against; each one failed (crash, lost content or a
wrong location) before the fix. The root is ``tests/roots/test-world``; its expected line
numbers are read from its files, never written down.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from helpers import (
    ROOTS,
    build_copy,
    caselog_warnings,
    compile_tex,
    html_of,
    inventory,
    no_traceback,
)
from lxml import etree
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.model import parse_source
from sphinx_caselog.urls import MAX_URL_LENGTH, parse_url

WORLD = ROOTS / "test-world"


def line_of(name: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first line containing *needle* (after the line holding *after*)."""
    lines = (WORLD / name).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start + 1) if needle in line)


def cases_of(app: SphinxTestApp) -> dict[str, dict]:
    data = json.loads((Path(app.outdir) / "caselog.json").read_text(encoding="utf-8"))
    return {case["id"]: case for case in data["cases"]}


def located(app: SphinxTestApp, subtype: str) -> set[tuple[str, int | None]]:
    return {(w.file, w.line) for w in caselog_warnings(app) if w.type == f"caselog.{subtype}"}


@pytest.fixture(scope="module")
def html(module_build) -> SphinxTestApp:
    return module_build("world", "html")


@pytest.fixture(scope="module")
def dirhtml(module_build) -> SphinxTestApp:
    return module_build("world", "dirhtml")


def test_the_build_finishes_without_a_traceback(html: SphinxTestApp) -> None:
    no_traceback(html)
    assert (Path(html.outdir) / "caselog.json").exists()


# -- URLs that urlsplit rejects --------------------------------------------------------------


@pytest.mark.parametrize(
    "case_id", ["bracket-host", "bracket-ipv6", "escaped-bracket", "entity-bracket",
                "fullwidth-bracket"],
)  # fmt: skip
def test_a_url_urlsplit_rejects_is_a_located_warning_and_text(
    html: SphinxTestApp, case_id: str
) -> None:
    line = line_of("urls.md", ":source:", after=f":id: {case_id}")
    assert ("urls.md", line) in located(html, "unsafe_url")
    article = html_of(html, "urls").find("article", id=case_id)
    assert article.select(".caselog-sources li")  # the source is kept, as text
    assert not article.select(".caselog-sources a[href]")
    (source,) = cases_of(html)[case_id]["sources"]
    assert source["url"] is None and source["title"]


def test_a_good_court_url_still_links(html: SphinxTestApp) -> None:
    article = html_of(html, "urls").find("article", id="good-url")
    (link,) = article.select(".caselog-sources a[href]")
    assert link["href"] == "https://curia.europa.eu/juris/liste.jsf?num=C-311/18"
    assert article.select_one(".caselog-source-host").get_text() == "curia.europa.eu"


def test_a_case_classed_as_sources_leaves_its_context_links_alone(html: SphinxTestApp) -> None:
    article = html_of(html, "urls_rst").find("article", id="classed-sources")
    context = article.select_one(".caselog-context")
    assert [a["href"] for a in context.select("a[href]")] == [
        "https://example.org]/y",
        "https://edri.org/z",
    ]
    assert not context.select(".caselog-source-host")
    hosts = [h.get_text() for h in article.select(".caselog-source-host")]
    assert hosts == ["curia.europa.eu"]


@pytest.mark.parametrize(
    "url",
    ["https://example.org]/x", "https://[foo]/x", "https://example.org%5D/x",
     "https&#58;//example.org]/x", "https://example.org\uff3d/x", "http://[::1/",
     "https://eff.org:99999/", "%25" * 60_000, " " * 80_000 + "<https://x.org/>"],
)  # fmt: skip
def test_the_one_url_parser_never_raises(url: str) -> None:
    assert parse_url(url) is None or url.endswith("<https://x.org/>")
    parse_source(url)


def test_source_lines_are_parsed_in_linear_time() -> None:
    started = time.perf_counter()
    for line in ("%25" * 60_000, "x" + " " * 80_000 + "y", "<" * 50_000, "a <" * 30_000):
        assert parse_source(line).url is None
    assert time.perf_counter() - started < 1.0  # was 15 s for the spaces alone


def test_an_overlong_url_is_refused_before_decoding() -> None:
    assert parse_url("https://example.org/" + "a" * MAX_URL_LENGTH) is None


# -- dates and numbers at the end of their range ------------------------------------------------


def test_the_last_month_of_year_9999_is_listed_by_open_and_closed_periods(
    html: SphinxTestApp,
) -> None:
    page = html_of(html, "dates")
    listings = page.select(".caselog-list")
    assert len(listings) == 3
    for listing in listings:
        shown = {a["href"].rpartition("#")[2] for a in listing.select("a[href]")}
        assert shown == {"last-month", "last-day"}


def test_a_limit_of_thousands_of_digits_is_a_located_warning(html: SphinxTestApp) -> None:
    assert ("dates.md", line_of("dates.md", ":limit:")) in located(html, "option")
    (message,) = [w.message for w in caselog_warnings(html) if "limit" in w.message]
    assert len(message) < 200  # the value is not quoted whole


# -- MyST fences --------------------------------------------------------------------------------


def test_a_backtick_fenced_case_with_options_and_no_body(html: SphinxTestApp) -> None:
    cases = cases_of(html)
    assert cases["no-body"]["kind"] == "law"
    assert cases["yaml-no-body"]["kind"] == "law"


# -- quotes of every shape ------------------------------------------------------------------------


def test_the_directive_reference_example_keeps_its_quote(html: SphinxTestApp) -> None:
    assert not [w for w in caselog_warnings(html) if w.file == "quotes.md"]
    case = cases_of(html)["reference-example"]
    assert case["kind"] == "ruling"
    assert case["quote"] == "The right to privacy applies."
    assert case["context"] == "The court ruled."
    quote = html_of(html, "quotes").find("article", id="reference-example").blockquote
    assert quote.get_text(strip=True) == "The right to privacy applies."


@pytest.mark.parametrize(
    ("case_id", "words"),
    [
        ("list-quote", ["first point of the ruling", "second point of the ruling"]),
        ("nested-quote", ["The court recalled:", "an earlier ruling's words"]),
        ("code-quote", ["SELECT * FROM citizens;"]),
    ],
)
def test_a_quote_of_any_shape_is_in_the_record(
    html: SphinxTestApp, case_id: str, words: list[str]
) -> None:
    quote = cases_of(html)[case_id]["quote"]
    assert quote is not None
    for text in words:
        assert text in quote
    feed = (Path(html.outdir) / "cases.atom").read_text(encoding="utf-8")
    assert words[-1].replace("'", "&#x27;") in feed or words[-1] in feed


def test_a_quote_of_any_shape_is_held_to_the_length_limit(module_build) -> None:
    app = module_build("world", "html", caselog_max_quote_length=20)
    cases = cases_of(app)
    for case_id in ("list-quote", "nested-quote", "code-quote"):
        # the limit counts the text, not the blank lines between its blocks
        assert len(cases[case_id]["quote"].replace("\n\n", "")) <= 20 + len(" […]")
    assert {line for name, line in located(app, "limit") if name == "quotes.md"} >= {
        line_of("quotes.md", "A list as the quote"),
        line_of("quotes.md", "A nested quote"),
        line_of("quotes.md", "A code block as the quote"),
    }


def test_a_myst_dash_attribution_is_in_the_record(html: SphinxTestApp) -> None:
    case = cases_of(html)["dash-attribution"]
    assert case["attribution"] == "IETF, RFC 7258"
    assert case["quote"] == "Surveillance is an attack."
    entry = re.search(
        r"<entry>(?:(?!</entry>).)*dash-attribution(?:(?!</entry>).)*</entry>",
        (Path(html.outdir) / "cases.atom").read_text(encoding="utf-8"),
        re.DOTALL,
    )
    assert entry is not None and "IETF, RFC 7258" in entry[0]


# -- option values pasted from word processors -----------------------------------------------------


def test_a_bare_url_source_has_no_title(html: SphinxTestApp) -> None:
    (source,) = cases_of(html)["bare-url"]["sources"]
    assert source == {
        "title": None,
        "url": "https://edri.org/our-work/",
        "publisher": "edri.org",
        "archive_url": None,
        "archive_date": None,
        "accessed": None,
    }


def test_control_characters_are_removed_from_option_values(html: SphinxTestApp) -> None:
    case = cases_of(html)["control-char"]
    assert case["sources"][0]["title"] == "Court ruling"
    assert case["attribution"] == "The Court"
    assert case["tags"] == ["privacy"]
    raw = (Path(html.outdir) / "options.html").read_bytes()
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw)
    etree.fromstring(
        html_of(html, "options").find("article", id="control-char").encode(),
        etree.XMLParser(),
    )  # well-formed
    lines = {line for name, line in located(html, "option") if name == "options.md"}
    assert line_of("options.md", ":source:", after="control-char") in lines


@pytest.mark.slow
def test_control_characters_do_not_stop_the_pdf(tmp_path: Path) -> None:
    urls = (WORLD / "urls.md").read_text(encoding="utf-8")
    # pdflatex can't print a full-width bracket: not what this test is about
    app = build_copy(tmp_path, "world", "latex", files={"urls.md": urls.replace("\uff3d", "]")})
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "\x01" not in tex and "Court ruling" in tex
    compile_tex(Path(app.outdir))


def test_overlong_source_lines_are_cut_with_a_short_located_warning(tmp_path: Path) -> None:
    long = (
        "# Long lines\n\n:::{case} Long lines\n---\n"
        f"source: |\n  {'%25' * 60_000}\n  A{' ' * 80_000}B <https://x.org/>\n"
        "  Kept <https://kept.example.org/>\n---\n:::\n"
    )
    index = (WORLD / "index.md").read_text(encoding="utf-8").replace("dates\n", "dates\nlong\n")
    started = time.perf_counter()
    app = build_copy(tmp_path, "world", files={"long.md": long, "index.md": index})
    assert time.perf_counter() - started < 60
    warnings = [w for w in caselog_warnings(app) if w.file == "long.md"]
    assert {(w.type, w.line) for w in warnings} == {("caselog.limit", 6), ("caselog.limit", 7)}
    assert all(len(w.message) < 300 for w in warnings)
    case = cases_of(app)["long-lines"]
    assert [s["url"] for s in case["sources"]][-1] == "https://kept.example.org/"
    assert len(case["sources"]) == 3  # nothing dropped: the long ones are kept, cut, as text


# -- tags named like pages ---------------------------------------------------------------------------


def test_a_tag_slugged_index_does_not_take_the_folders_index(html: SphinxTestApp) -> None:
    """``tags/index`` would be the folder's own page (in dirhtml, ``tags/``): no tag takes it."""
    outdir = Path(html.outdir)
    data = json.loads((outdir / "caselog.json").read_text(encoding="utf-8"))
    slug = next(t["slug"] for t in data["tags"] if t["name"] == "index")
    assert slug not in {"index", "", "genindex", "search"}
    assert (outdir / "tags" / f"{slug}.html").exists()
    assert not (outdir / "tags" / "index.html").exists()


def test_dirhtml_keeps_a_users_own_page_at_a_tag_page_path(tmp_path: Path) -> None:
    app = build_copy(
        tmp_path, "world", "dirhtml", files={"tags/genindex/index.md": "# My own genindex\n"}
    )
    page = Path(app.outdir) / "tags" / "genindex" / "index.html"
    assert "My own genindex" in page.read_text(encoding="utf-8")
    assert [w for w in caselog_warnings(app) if w.type == "caselog.tag_page"]


def test_a_users_new_page_at_a_tag_page_path_survives_the_next_build(tmp_path: Path) -> None:
    srcdir = tmp_path / "world"
    shutil.copytree(WORLD, srcdir)
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        assert (Path(app.outdir) / "tags" / "search.html").exists()
    finally:
        app.cleanup()
    (srcdir / "tags").mkdir()
    (srcdir / "tags" / "search.md").write_text("# My own search notes\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()  # an incremental build: the manifest lists tags/search.html as ours
        page = Path(app.outdir) / "tags" / "search.html"
        assert page.exists()
        assert "My own search notes" in page.read_text(encoding="utf-8")
    finally:
        app.cleanup()


# -- cases the builder excludes -----------------------------------------------------------------------


def test_a_case_inside_only_latex_is_not_in_the_html_catalogue(html: SphinxTestApp) -> None:
    cases = cases_of(html)
    assert "only-html" in cases
    assert "only-latex" not in cases
    data = json.loads((Path(html.outdir) / "caselog.json").read_text(encoding="utf-8"))
    assert "print only" not in {t["name"] for t in data["tags"]}
    assert ("only.md", line_of("only.md", "See {case:ref}")) in located(html, "ref")
    names = {name for (_type, name) in inventory(html)}
    assert "only-latex" not in names and "only-html" in names


def test_a_case_inside_only_html_is_not_in_the_latex_catalogue(module_build) -> None:
    app = module_build("world", "latex")
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "Only in print" in tex
    assert "Only on the web" not in tex  # not in the indices either
    assert ("only.md", line_of("only.md", "See {case:ref}")) in located(app, "ref")


# -- included files, odd file names ---------------------------------------------------------------------


def test_a_case_in_an_included_file_is_located_in_that_file(html: SphinxTestApp) -> None:
    assert ("included.md", line_of("included.md", ":kind:")) in located(html, "kind")
    location = cases_of(html)["included-case"]["location"]
    assert location == {"file": "included.md", "line": line_of("included.md", "{case}")}


def test_a_hash_in_a_file_name_is_escaped_in_urls(
    html: SphinxTestApp, dirhtml: SphinxTestApp, module_build
) -> None:
    assert cases_of(html)["hashed-page"]["url"] == "a%23b.html#hashed-page"
    assert cases_of(dirhtml)["hashed-page"]["url"] == "a%23b/#hashed-page"
    caselog = module_build("world", "caselog")
    assert cases_of(caselog)["hashed-page"]["url"] == "a%23b.html#hashed-page"


# -- nesting and titles -----------------------------------------------------------------------------------


def test_a_case_nested_in_a_case_is_refused_and_its_text_kept(html: SphinxTestApp) -> None:
    assert ("nesting.md", line_of("nesting.md", "The inner case")) in located(html, "nested")
    cases = cases_of(html)
    assert "inner-case" not in cases and "outer-case" in cases
    page = html_of(html, "nesting")
    (outer,) = page.select("article.caselog-case")
    assert "The inner quote." in outer.get_text()
    assert not outer.select("cite cite")
    assert [h.get_text() for h in outer.select(".caselog-source-host")] == ["outer.example.org"]


def test_an_untitled_case_among_others_warns(html: SphinxTestApp) -> None:
    missing = located(html, "missing_title")
    assert ("untitled.md", line_of("untitled.md", ":::{case}")) in missing
    assert ("untitled.md", line_of("untitled.md", ":::{case}", after="page-per-case")) not in (
        missing
    )


# -- other builders ----------------------------------------------------------------------------------------


def test_man_prints_each_source_url_once(module_build) -> None:
    (page,) = Path(module_build("world", "man").outdir).rglob("*.1")
    # \X'tty: link URL' is a terminal's hyperlink, not text a reader sees
    text = re.sub(r"\\X'[^']*'", "", page.read_text(encoding="utf-8"))
    lines = [line for line in text.splitlines() if "curia" in line]
    assert lines
    assert all(line.count("https://") == 1 for line in lines), lines


@pytest.mark.parametrize("builder", ["json", "pickle"])
def test_serialising_builders_finish(module_build, builder: str) -> None:
    app = module_build("world", builder)
    no_traceback(app)
    assert list(Path(app.outdir).rglob("case-tags.f*"))


def test_singlehtml_inventory_lists_no_tag_pages(module_build) -> None:
    uris = [uri for uri, _display in inventory(module_build("world", "singlehtml")).values()]
    assert uris and not [u for u in uris if u.startswith("tags/")]


# -- the tag vocabulary file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ("deep", "nested too deeply"),
        ("dev-zero", "not a regular file"),
        ("fifo", "not a regular file"),
        ("huge", "larger than"),
    ],
)
def test_a_hostile_vocabulary_file_is_one_located_error(
    tmp_path: Path, shape: str, message: str
) -> None:
    srcdir = tmp_path / "world"
    shutil.copytree(WORLD, srcdir)
    (srcdir / "conf.py").write_text(
        (srcdir / "conf.py").read_text(encoding="utf-8") + 'caselog_tags = "tags.yml"\n',
        encoding="utf-8",
    )
    path = srcdir / "tags.yml"
    if shape == "deep":  # flow sequences 20,000 deep: the composer recurses per level
        path.write_text("privacy:\n  title: " + "[" * 20_000 + "\n", encoding="utf-8")
    elif shape == "dev-zero":
        path.symlink_to("/dev/zero")
    elif shape == "fifo":
        os.mkfifo(path)
    else:
        path.write_text("privacy:\n  description: " + "x" * (2 << 20) + "\n", encoding="utf-8")
    started = time.perf_counter()
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
    finally:
        app.cleanup()
    assert time.perf_counter() - started < 60
    errors = [w for w in caselog_warnings(app) if w.type == "caselog.vocabulary"]
    assert [(w.file, w.level) for w in errors] == [("tags.yml", "ERROR")]
    assert message in errors[0].message
    no_traceback(app)
    assert cases_of(app)["good-url"]  # the build went on, without a vocabulary


# -- text pasted from PDFs and word processors ----------------------------------------------------------


def test_invisible_characters_do_not_split_tags_or_ids(html: SphinxTestApp) -> None:
    cases = cases_of(html)
    assert "schrems-ii" in cases
    case = cases["schrems-ii"]
    assert case["tags"] == ["surveillance", "privacy"]  # soft hyphen, ZWSP and BOM dropped
    assert case["date"] == "2020-07-16"  # single-digit month and day, as typed
    data = json.loads((Path(html.outdir) / "caselog.json").read_text(encoding="utf-8"))
    assert {t["slug"] for t in data["tags"]} >= {"surveillance", "privacy"}
    assert "pri-vacy" not in {t["slug"] for t in data["tags"]}


def test_a_see_also_written_as_a_title_finds_the_case_by_its_slug(html: SphinxTestApp) -> None:
    assert not [w for w in caselog_warnings(html) if w.file == "pasted.md"]
    page = html_of(html, "pasted")
    links = page.find("article", id="pasted-neighbour").select(".caselog-see-also a[href]")
    assert [a["href"] for a in links] == ["#schrems-ii"]


def test_a_sentence_pasted_as_a_tag_gets_a_file_name_every_file_system_holds(
    html: SphinxTestApp,
) -> None:
    data = json.loads((Path(html.outdir) / "caselog.json").read_text(encoding="utf-8"))
    (tag,) = [t for t in data["tags"] if t["cases"] == ["sentence-tag"]]
    assert len(tag["title"]) > 300 and len(tag["slug"]) <= 100
    assert (Path(html.outdir) / "tags" / f"{tag['slug']}.html").exists()
    assert (Path(html.outdir) / "tags" / f"{tag['slug']}.atom").exists()


@pytest.mark.parametrize(
    ("case_id", "needle"),
    [("repeated-source", ":source: Second"), ("repeated-yaml", "kind: ruling")],
)
def test_an_option_given_twice_warns_at_the_repeat(
    html: SphinxTestApp, case_id: str, needle: str
) -> None:
    line = line_of("options.md", needle, after=case_id)
    messages = [
        w.message
        for w in caselog_warnings(html)
        if (w.file, w.line, w.type) == ("options.md", line, "caselog.option")
    ]
    assert len(messages) == 1 and "given again" in messages[0]
    # the block scalar's lines are values, not options: they don't count as repeats
    assert len([w for w in caselog_warnings(html) if "given again" in w.message]) == 2


@pytest.mark.parametrize(
    ("name", "needle", "case_id"),
    [
        ("included_rst.rst", ":kind: bogus-included", "included-rst-case"),
        ("includer_rst.rst", ":kind: bogus-in-note", "note-case"),
    ],
)
def test_rst_cases_past_an_include_are_located_in_their_own_file(
    html: SphinxTestApp, name: str, needle: str, case_id: str
) -> None:
    """In rST, a directive's ``lineno`` counts the included lines too: only the state
    machine maps it to the file and the line in it."""
    assert (name, line_of(name, needle)) in located(html, "kind")
    location = cases_of(html)[case_id]["location"]
    assert location == {"file": name, "line": line_of(name, ".. case::")}
