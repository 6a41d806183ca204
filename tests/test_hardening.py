"""Hardening (issue 9): hostile, broken and oversized input, as docs/security.md promises.

Real builds of the ``tests/roots/test-hostile-*`` roots, one per promise:

* ``hostile-escape``: case text with HTML and LaTeX specials in every field (title, tags,
  attribution, source titles, quote, context), in rST and in MyST with MyST's raw-HTML
  syntax off (as docs/security.md recommends), on a page-per-case page (so the case title
  is the page's ``<title>``), in all four listing styles, tag pages, indices, JSON, feeds,
  LaTeX and the search index;
* ``hostile-urls``: sources with every scheme trick, which must never become links;
* ``hostile-ids``: case ids that collide with section, footnote and index-target ids, tags
  that slug alike (``C++``, ``C#``, ``C``), duplicate case ids;
* ``hostile-limits`` (small ``caselog_max_*`` limits) and ``hostile-huge`` (a generated case
  with a 1 MB title, 10,000 tags and 10,000 sources);
* ``hostile-warnings``: every ``CaselogWarning`` subtype, located and suppressible;
* ``hostile-property``: an empty project the control-character regression writes into.

HTML is parsed, never searched as text, for every claim about escaping: strictly as XML
for well-formedness (Sphinx's ``etree_parse``; it needs defusedxml, and where that is not
installed lxml's XML parser with entities unresolved does the same job), and with
BeautifulSoup (lxml) for its content. Raw bytes are only searched for the *absence* of a
dangerous substring, as an extra.

Expected line numbers are computed from the roots' files, never written down.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

import pytest
import sphinx
from bs4 import BeautifulSoup
from helpers import (
    ATOM,
    DOCS,
    ROOTS,
    build_copy,
    caselog_warnings,
    cases_of,
    compile_tex,
    console_warnings,
    export_of,
    feed_of,
    grouped,
    index_rows,
    line_of,
    no_traceback,
    raw_warnings,
    tex_escape,
    warnings_of,
)
from lxml import etree
from sphinx.testing.util import SphinxTestApp, etree_parse

from sphinx_caselog.config import CaselogConfig
from sphinx_caselog.warnings_ import CaselogWarning

SUBTYPES = [w.subtype for w in CaselogWarning]
#: Subtypes only a builder of their own emits (quotecheck: located and suppressed in
#: test_quotecheck.py); the broken root's HTML builds can't trigger them.
BUILDER_SUBTYPES = {"quote"}

# -- helpers ------------------------------------------------------------------------------


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "lxml")


def parse_strictly(path: Path) -> Any:
    """Parse a page as XML: Sphinx's ``etree_parse``, or lxml's parser without defusedxml."""
    try:
        return etree_parse(path)
    except ModuleNotFoundError:  # etree_parse imports defusedxml when called
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return etree.parse(str(path), parser)


def pages(outdir: Path) -> list[Path]:
    found = sorted(outdir.rglob("*.html"))
    assert found, f"no HTML pages in {outdir}"
    return found


def head_title(soup: BeautifulSoup) -> str:
    """The page's ``<title>`` without the theme's `` — <project> documentation``."""
    return soup.title.get_text().rpartition(" \N{EM DASH} ")[0]


def heading_text(heading) -> str:
    """A heading's text without its permalink."""
    return "".join(t for t in heading.find_all(string=True) if t.parent.name != "a").strip()


def texts(elements) -> list[str]:
    return [e.get_text() for e in elements]


# == 1. escaping exactly once ================================================================

ESCAPE = "hostile-escape"
PROJECT = "Hostile log"
BASEURL = "https://example.org/hostile/"
PAGE_TITLE = "<script>alert(1)</script> & \"q\" 'q' </p>"
#: every case of test-hostile-escape as written, field by field (tags as displayed)
CASES: dict[str, dict[str, Any]] = {
    "page-case": {
        "docname": "hostile",
        "title": PAGE_TITLE,
        "tags": ["<b>x</b>", "a&b", "C++"],
        "tag_keys": ["<b>x</b>", "a&b", "c++"],
        "attribution": "<img src=x onerror=alert(1)>",
        "sources": ['Source </a><script>alert(2)</script> & "q"'],
        "quote": '<script>alert(3)</script> & &amp; &lt;b&gt; "quoted" </blockquote>',
        "context": "<b>context</b> & </div> <!-- not a comment -->",
    },
    "inline-case": {
        "docname": "hostile",
        "title": "Inline <script>alert(4)</script> & \"q\" 'q' </p> title",
        "tags": ["a&b", "<i>tag</i>"],
        "tag_keys": ["a&b", "<i>tag</i>"],
        "attribution": "Zoë & <i>co</i>",
        "sources": ['Report <b>bold</b> & "more"'],
        "quote": "<img src=x onerror=alert(5)> quoted & done.",
        "context": None,
    },
    "specials-case": {
        "docname": "specials",
        "title": r"Specials \ { } $ & # ^ _ % ~ \input{/etc/passwd} \write18{rm -rf}",
        "tags": [r"\input{/etc/passwd}", r"\write18{rm -rf}", "100% & #1"],
        "tag_keys": [r"\input{/etc/passwd}", r"\write18{rm -rf}", "100% & #1"],
        "attribution": r"\input{/etc/passwd} $x$ ~",
        "sources": [r"Report \input{/etc/passwd} & 50%"],
        "quote": r"Quote with \write18{rm -rf} & 50% #1 $x$.",
        "context": r"Context with \input{/etc/passwd} and a_b^c~d.",
    },
}
#: newest first, as listings order them by default
NEWEST_FIRST = ["inline-case", "page-case", "specials-case"]
#: each distinct tag's title (its first spelling) → the cases that carry it
TAG_TITLES = {
    "<b>x</b>": ["page-case"],
    "a&b": ["inline-case", "page-case"],
    "C++": ["page-case"],
    "<i>tag</i>": ["inline-case"],
    r"\input{/etc/passwd}": ["specials-case"],
    r"\write18{rm -rf}": ["specials-case"],
    "100% & #1": ["specials-case"],
}
#: raw markup of case text that must never reach a page as markup
RAW_MARKUP = [
    b"<script>alert",
    b"<img src=x",
    b"<b>x</b>",
    b"<i>tag</i>",
    b"<i>co</i>",
    b"<b>bold</b>",
    b"<b>context</b>",
    b'onmouseover="',
]


def injected_elements(soup: BeautifulSoup) -> list[Any]:
    """Elements that only case text could have put there: ``<b>``, ``<i>``, an ``<img>``
    that is not one of Sphinx's own (from ``_static``), an inline ``<script>`` that calls
    ``alert``, any ``on*`` event attribute."""
    found = list(soup.find_all(["b", "i"]))
    found += [i for i in soup.find_all("img") if "_static/" not in i.get("src", "")]
    found += [s for s in soup.find_all("script") if not s.get("src") and "alert" in s.get_text()]
    found += [e for e in soup.find_all(True) if any(a.lower().startswith("on") for a in e.attrs)]
    return found


@pytest.fixture(scope="module")
def escape_html(module_build) -> SphinxTestApp:
    return module_build(ESCAPE)


@pytest.fixture(scope="module")
def escape_latex(module_build) -> SphinxTestApp:
    return module_build(ESCAPE, "latex")


def case_article(soup: BeautifulSoup, case_id: str):
    """The case's ``<article>``: its own id, or (page-per-case) its section's."""
    found = soup.select(f"article.caselog-case#{case_id}") or soup.select(
        f"section#{case_id} > article.caselog-case#caselog-{case_id}"
    )
    assert len(found) == 1, f"expected one article for {case_id}, found {len(found)}"
    return found[0]


def test_escape_build_is_clean(escape_html: SphinxTestApp) -> None:
    """Hostile text is not an error: nothing warns (so the other tests see a normal build)."""
    assert warnings_of(escape_html) == []
    no_traceback(escape_html)


@pytest.mark.parametrize("case_id", list(CASES))
def test_case_page_shows_every_field_as_text(escape_html: SphinxTestApp, case_id: str) -> None:
    expected = CASES[case_id]
    soup = soup_of(Path(escape_html.outdir) / f"{expected['docname']}.html")
    body = case_article(soup, case_id)

    if case_id == "page-case":
        # the title comes from the section: the page's <title> and <h1>
        assert head_title(soup) == expected["title"]
        assert heading_text(soup.select_one(f"section#{case_id} > h1")) == expected["title"]
    else:
        (title,) = body.select(".caselog-title > span.caselog-title-text")
        assert title.get_text() == expected["title"]
    quote = body.select("blockquote.caselog-quote p:not(.attribution)")
    assert texts(quote) == [expected["quote"]]
    assert texts(body.select("blockquote.caselog-quote p.attribution > cite")) == [
        expected["attribution"]
    ]
    context = body.select("div.caselog-context > p:not(.rubric)")
    assert texts(context) == ([expected["context"]] if expected["context"] else [])
    assert texts(body.select("div.caselog-sources a.reference.external")) == expected["sources"]
    assert texts(body.select("div.caselog-tags span.caselog-tag")) == expected["tags"]
    assert injected_elements(soup) == []


def test_no_page_is_malformed_or_holds_markup_from_case_text(escape_html: SphinxTestApp) -> None:
    outdir = Path(escape_html.outdir)
    checked = []
    for page in pages(outdir):
        parse_strictly(page)  # well-formed
        soup = soup_of(page)
        assert injected_elements(soup) == [], page.relative_to(outdir)
        raw = page.read_bytes()
        for markup in RAW_MARKUP:
            assert markup not in raw, (page.relative_to(outdir), markup)
        checked.append(page.relative_to(outdir).as_posix())
    # not vacuous: the pages that show case text were among them
    assert {"hostile.html", "specials.html", "listings.html", "case-tags.html"} <= set(checked)
    assert sum(name.startswith("tags/") for name in checked) == len(TAG_TITLES)


def tag_slugs(app: SphinxTestApp) -> dict[str, str]:
    """Tag title → slug, from caselog.json."""
    return {tag["title"]: tag["slug"] for tag in export_of(app.outdir)["tags"]}


def test_tag_pages_escape_exactly_once(escape_html: SphinxTestApp) -> None:
    outdir = Path(escape_html.outdir)
    slugs = tag_slugs(escape_html)
    assert set(slugs) == set(TAG_TITLES)
    for title, case_ids in TAG_TITLES.items():
        soup = soup_of(outdir / "tags" / f"{slugs[title]}.html")
        assert head_title(soup) == title
        section = soup.select_one("section.caselog-tag-page")
        assert heading_text(section.select_one("h1")) == title
        listed = [a.get_text() for a in section.select("p.caselog-item > a:first-child")]
        assert sorted(listed) == sorted(CASES[c]["title"] for c in case_ids)
    # the one overview, the Tag index, heads each tag with its title, as text
    overview = soup_of(outdir / "case-tags.html")
    headings = overview.select("section.caselog-index-group > h2")
    for heading in headings:
        heading.find(class_="caselog-count").extract()
    assert sorted(heading_text(h) for h in headings) == sorted(TAG_TITLES)


def test_tag_page_feed_link_title_is_escaped_once(escape_html: SphinxTestApp) -> None:
    """Each tag page links its own feed; the link's title is the feed's title, as text."""
    outdir = Path(escape_html.outdir)
    slugs = tag_slugs(escape_html)
    for title in TAG_TITLES:
        soup = soup_of(outdir / "tags" / f"{slugs[title]}.html")
        links = soup.select('link[rel="alternate"][type="application/atom+xml"]')
        assert {link["href"]: link["title"] for link in links} == {
            "../cases.atom": PROJECT,
            f"{slugs[title]}.atom": f"{PROJECT}: {title}",
        }


def test_indices_escape_exactly_once(escape_html: SphinxTestApp) -> None:
    outdir = Path(escape_html.outdir)
    tags = grouped(index_rows(soup_of(outdir / "case-tags.html")))
    assert set(tags) == set(TAG_TITLES)
    for title, case_ids in TAG_TITLES.items():
        assert sorted(row.text for row in tags[title][1:]) == sorted(
            CASES[c]["title"] for c in case_ids
        )

    sources = grouped(index_rows(soup_of(outdir / "case-sources.html")))
    assert set(sources) == {"example.org", "news.example.net", "specials.example.org"}
    shown = {row.text: row.extra for rows in sources.values() for row in rows[1:]}
    assert shown == {c["title"]: "; ".join(c["sources"]) for c in CASES.values()}

    timeline = index_rows(soup_of(outdir / "case-timeline.html"))
    assert [row.text for row in timeline] == [CASES[c]["title"] for c in reversed(NEWEST_FIRST)]
    for name in ("case-tags.html", "case-sources.html", "case-timeline.html"):
        assert injected_elements(soup_of(outdir / name)) == []


@pytest.mark.parametrize("style", ["list", "table", "cards", "timeline"])
def test_listings_escape_exactly_once(escape_html: SphinxTestApp, style: str) -> None:
    soup = soup_of(Path(escape_html.outdir) / "listings.html")
    (box,) = soup.select(f"div.caselog-listing.caselog-style-{style}")
    titles = [CASES[c]["title"] for c in NEWEST_FIRST]
    if style in {"list", "timeline"}:
        items = box.select("p.caselog-item")
        assert [item.select_one("a").get_text() for item in items] == titles
        assert [texts(item.select("span.caselog-tag")) for item in items] == [
            CASES[c]["tags"] for c in NEWEST_FIRST
        ]
    elif style == "table":
        rows = box.select("tbody > tr")
        assert [row.select("td")[1].get_text() for row in rows] == titles
        assert [texts(row.select("td")[3].select("span.caselog-tag")) for row in rows] == [
            CASES[c]["tags"] for c in NEWEST_FIRST
        ]
    else:
        assert texts(box.select(".sd-card-title a")) == titles
        # each quote is one sentence: the excerpt is the whole quote
        assert texts(box.select("p.caselog-excerpt")) == [CASES[c]["quote"] for c in NEWEST_FIRST]
    assert injected_elements(box) == []


def test_json_round_trips_case_text_exactly(escape_html: SphinxTestApp) -> None:
    data = cases_of(export_of(escape_html.outdir))
    assert set(data) == set(CASES)
    for case_id, expected in CASES.items():
        case = data[case_id]
        assert case["title"] == expected["title"]
        assert case["tags"] == expected["tag_keys"]
        assert case["attribution"] == expected["attribution"]
        assert [s["title"] for s in case["sources"]] == expected["sources"]
        assert case["quote"] == expected["quote"]
        assert case["context"] == expected["context"]
    assert {t["title"] for t in export_of(escape_html.outdir)["tags"]} == set(TAG_TITLES)


def test_atom_feeds_carry_case_text_as_text(escape_html: SphinxTestApp) -> None:
    outdir = Path(escape_html.outdir)
    by_title = {c["title"]: c for c in CASES.values()}
    site = feed_of(outdir / "cases.atom")
    entries = site.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        CASES[c]["title"] for c in NEWEST_FIRST
    ]
    for entry in entries:
        expected = by_title[entry.findtext(f"{ATOM}title")]
        labels = [c.get("label") for c in entry.findall(f"{ATOM}category")]
        assert labels == expected["tags"]
        said = f"\n\n\N{EM DASH} {expected['attribution']}" if expected["attribution"] else ""
        assert entry.findtext(f"{ATOM}summary") == expected["quote"] + said
    slugs = tag_slugs(escape_html)
    for title in TAG_TITLES:
        feed = feed_of(outdir / "tags" / f"{slugs[title]}.atom")
        assert feed.findtext(f"{ATOM}title") == f"{PROJECT}: {title}"
    for feed in outdir.rglob("*.atom"):
        raw = feed.read_bytes()
        for markup in RAW_MARKUP:
            assert markup not in raw, (feed.name, markup)


def strings_in(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string in a JSON value, keys included, with where it was found."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from strings_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, (*path, index))


def test_search_index_holds_no_markup_from_case_text(escape_html: SphinxTestApp) -> None:
    """Case text never reaches the search index as markup.

    Case titles are in ``objects`` (search finds cases as objects), escaped. The one
    exception is not case text: the page-per-case page's own heading is the page
    title, which Sphinx itself stores in ``titles``/``alltitles`` (as text in Sphinx 9,
    whose searchtools.js escapes it; escaped in 8.1).
    """
    text = (Path(escape_html.outdir) / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.rstrip().endswith(")")
    index = json.loads(text.strip()[len("Search.setIndex(") : -1])
    found = list(strings_in(index))
    assert found
    tag_titles = {
        t for d, t in zip(index["docnames"], index["titles"], strict=True) if d[:5] == "tags/"
    }
    # a generated page's title is stored as Sphinx stores a document's (search.py): text
    # from Sphinx 9 on, which searchtools.js escapes; escaped HTML before
    assert ("<b>x</b>" if sphinx.version_info >= (9,) else "&lt;b&gt;x&lt;/b&gt;") in tag_titles
    for where, value in found:
        if where[:1] == ("objects",) and "<" not in value:
            continue  # a case object's title, escaped by Sphinx (and again by searchtools.js)
        if where[:1] == ("indexentries",) and where[1:] == ():
            continue  # an index entry's words are matched, never shown
        if where[:1] == ("titles",) and value in tag_titles and sphinx.version_info >= (9,):
            continue  # text, which searchtools.js escapes
        for marker in ("alert(2)", "alert(3)", "alert(4)", "alert(5)", "<b>", "<i>", "<img"):
            assert marker not in value, (where, value)
        if "<" in value:  # raw markup: only Sphinx's own copy of the page heading
            assert value == PAGE_TITLE and where[0] in {"titles", "alltitles"}, (where, value)
    # the ids of the cases are what the extension gives the index
    assert {"page-case", "inline-case", "specials-case"} <= set(index["indexentries"])


SPECIALS_TITLE_TEX = (
    r"Specials \textbackslash{} \{ \} \$ \& \# \textasciicircum{} \_ \% \textasciitilde{} "
    r"\textbackslash{}input\{/etc/passwd\} \textbackslash{}write18\{rm \sphinxhyphen{}rf\}"
)


def test_latex_escapes_specials_and_commands(escape_latex: SphinxTestApp) -> None:
    (tex_file,) = Path(escape_latex.outdir).glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    assert f"\\DUrole{{caselog-title-text}}{{{SPECIALS_TITLE_TEX}}}" in tex
    assert tex_escape(CASES["specials-case"]["title"]) == SPECIALS_TITLE_TEX  # the oracle agrees
    # the commands from case text are never commands
    assert r"\input{/etc/passwd}" not in tex
    assert r"\input{" not in tex
    assert r"\write18" not in tex
    for case_id, case in CASES.items():
        if case_id == "page-case":
            assert f"\\chapter{{{tex_escape(case['title'])}}}" in tex
        else:
            assert f"\\DUrole{{caselog-title-text}}{{{tex_escape(case['title'])}}}" in tex
        for tag in case["tags"]:
            assert f"\\DUrole{{caselog-tag}}{{{tex_escape(tag)}}}" in tex, tag
        for field in ("attribution", "quote", "context"):
            if case[field]:
                assert tex_escape(case[field]) in tex, (case_id, field)
        for title in case["sources"]:
            assert tex_escape(title) in tex, (case_id, title)


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("latexmk") and shutil.which("pdflatex")), reason="needs latexmk and pdflatex"
)
def test_latex_with_hostile_text_compiles_and_reads_no_file(
    escape_latex: SphinxTestApp, tmp_path: Path
) -> None:
    outdir = tmp_path / "latex"
    shutil.copytree(escape_latex.outdir, outdir)
    pdf, log = compile_tex(outdir)
    assert "(/etc/passwd" not in log  # \input{/etc/passwd} was never executed
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", pdf.name, "-"],
            cwd=outdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert CASES["specials-case"]["title"] in text
        assert CASES["specials-case"]["quote"] in text


#: characters XML 1.0 forbids (an Atom feed containing one is not XML)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def test_atom_feed_stays_well_formed_with_control_characters(tmp_path: Path) -> None:
    """Control characters are legal in reStructuredText, JSON and (as a parse error HTML
    recovers from) HTML, but not in XML: the feeds must still parse."""
    title = "Bell\x07 and escape\x1b in a title"
    case = (
        f"Case\n====\n\n.. case:: {title}\n   :id: the-case\n   :date: 2015\n"
        "   :tags: tag\x01one\n\n      A quote\x02 with a control character.\n"
    )
    app = build_copy(tmp_path, "hostile-property", files={"case.rst": case})
    # removed once, where the directive reads its argument and options
    assert cases_of(export_of(app.outdir))["the-case"]["title"] == "Bell and escape in a title"
    feeds = sorted(Path(app.outdir).rglob("*.atom"))
    assert len(feeds) == 2
    for feed in feeds:
        try:
            root = feed_of(feed)
        except ET.ParseError as err:
            pytest.fail(f"{feed.name} is not well-formed XML: {err}")
        shown = root.find(f"{ATOM}entry").findtext(f"{ATOM}title").replace("\ufffd", "")
        assert XML_ILLEGAL.sub("", shown) == XML_ILLEGAL.sub("", title)


# == 2. URL schemes ===========================================================================

URLS = "hostile-urls"
URLS_BASE = "https://example.org/urls/"
SAFE_URL = "https://example.org/fine"
#: each unsafe source line of test-hostile-urls/index.md, as its text
UNSAFE_LINES = [
    "javascript:alert(1)",
    "Mixed case <JaVaScRiPt:alert(2)>",
    "vbscript:msgbox(3)",
    "data:text/html,<script>alert(4)</script>",
    "file:///etc/passwd",
    "//evil.example/x",
    "&#106;avascript:alert(6)",
    "%6Aavascript:alert(7)",
    "Empty <>",
    "mailto:someone@example.org",
    "ftp://ftp.example.org/pub",
]
TAB_LINE = "java\tscript:alert(8)"  # a real tab, from a YAML double-quoted "\t"
#: what must not be in any link target, decoded as a browser would
UNSAFE_MARKERS = ("script", "java", "data:", "file:", "evil", "mailto", "ftp", "alert", "msgbox")


@pytest.fixture(scope="module")
def urls_html(module_build) -> SphinxTestApp:
    return module_build(URLS)


@pytest.fixture(scope="module")
def urls_latex(module_build) -> SphinxTestApp:
    return module_build(URLS, "latex")


def link_targets(soup: BeautifulSoup) -> list[str]:
    """Every URL-valued attribute of the page (href, src, action, …)."""
    names = ("href", "src", "action", "formaction", "data", "poster", "cite", "xlink:href")
    return [e[name] for e in soup.find_all(True) for name in names if e.has_attr(name)]


def decoded(url: str) -> str:
    """The target as a browser reads it: percent-decoded, tabs/newlines dropped, lowercased."""
    return re.sub(r"[\t\n\r]", "", unquote(unquote(url))).strip().lower()


def test_unsafe_sources_never_become_links_in_html(urls_html: SphinxTestApp) -> None:
    outdir = Path(urls_html.outdir)
    names = []
    for page in pages(outdir):
        parse_strictly(page)
        soup = soup_of(page)
        for target in link_targets(soup):
            value = decoded(target)
            assert not any(m in value for m in UNSAFE_MARKERS), (page.name, target)
            assert not value.startswith("//"), (page.name, target)
        # in the content (not the theme's footer), the only external link is the safe source
        for target in link_targets(soup.select_one('[role="main"]')):
            if urlsplit(target).scheme:
                assert target == SAFE_URL, (page.name, target)
        names.append(page.relative_to(outdir).as_posix())
    assert {"index.html", "tags/links.html", "case-sources.html"} <= set(names)


def test_unsafe_sources_are_shown_as_text(urls_html: SphinxTestApp) -> None:
    soup = soup_of(Path(urls_html.outdir) / "index.html")
    unsafe = case_article(soup, "unsafe-case")
    assert [a["href"] for a in unsafe.select("div.caselog-sources a")] == [SAFE_URL]
    assert texts(unsafe.select("div.caselog-sources span.caselog-unsafe")) == UNSAFE_LINES
    tab = case_article(soup, "tab-case")
    assert tab.select("div.caselog-sources a") == []
    assert texts(tab.select("div.caselog-sources span.caselog-unsafe")) == [TAB_LINE]
    # the listing table: the safe source as a link to its host, the others as text
    rows = soup.select("div.caselog-style-table tbody > tr")
    cells = {row.select("td")[1].get_text(): row.select("td")[4] for row in rows}
    tab_cell = cells["A tab inside the scheme"]
    all_cell = cells["Sources with every unsafe scheme"]
    assert texts(tab_cell.select("span.caselog-unsafe")) == [TAB_LINE]
    assert texts(all_cell.select("span.caselog-unsafe")) == UNSAFE_LINES
    assert [(a["href"], a.get_text()) for a in all_cell.select("a")] == [(SAFE_URL, "example.org")]
    assert tab_cell.select("a") == []


def test_unsafe_sources_are_not_links_in_latex(urls_latex: SphinxTestApp) -> None:
    (tex_file,) = Path(urls_latex.outdir).glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    link = re.compile(r"\\(?:sphinxhref|href|sphinxurl|url|sphinxnolinkurl)\{([^}]*)\}")
    assert set(link.findall(tex)) == {SAFE_URL}
    for line in [*UNSAFE_LINES, TAB_LINE]:
        assert tex_escape(line) in tex, line  # shown as text


def test_unsafe_sources_have_a_null_url_in_json(urls_html: SphinxTestApp) -> None:
    data = cases_of(export_of(urls_html.outdir))
    none = {"archive_url": None, "archive_date": None, "accessed": None}
    unsafe = [{"title": line, "url": None, "publisher": None, **none} for line in UNSAFE_LINES]
    assert data["unsafe-case"]["sources"] == [
        {"title": "Fine", "url": SAFE_URL, "publisher": "example.org", **none},
        *unsafe,
    ]
    assert data["tab-case"]["sources"] == [
        {"title": TAB_LINE, "url": None, "publisher": None, **none}
    ]
    assert [p["name"] for p in export_of(urls_html.outdir)["sources"]] == ["example.org"]


def test_unsafe_sources_never_reach_the_feeds(urls_html: SphinxTestApp) -> None:
    feeds = sorted(Path(urls_html.outdir).rglob("*.atom"))
    assert len(feeds) == 2  # the log's and the tag's
    for feed in feeds:
        for element in feed_of(feed).iter():
            if element.get("href") is not None:
                # the log's own pages, or (rel=related) the one safe source
                assert element.get("href").startswith(URLS_BASE) or (
                    element.get("rel") == "related" and element.get("href") == SAFE_URL
                ), element.get("href")
            for value in (element.text or "", *element.attrib.values()):
                assert not any(m in decoded(value) for m in UNSAFE_MARKERS), (feed, value)


def test_each_unsafe_source_warns_at_its_own_line(urls_html: SphinxTestApp) -> None:
    expected = sorted(
        [("index.md", line_of(URLS, "index.md", f"  {line}", whole=True)) for line in UNSAFE_LINES]
        + [("index.md", line_of(URLS, "index.md", 'source: "java\\tscript:alert(8)"'))]
    )
    found = caselog_warnings(urls_html)
    assert {w.type for w in found} == {"caselog.unsafe_url"}
    assert sorted((w.file, w.line) for w in found) == expected
    assert warnings_of(urls_html) == found


# == 3. anchors and ids =========================================================================

IDS = "hostile-ids"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@pytest.fixture(scope="module")
def ids_html(module_build) -> SphinxTestApp:
    return module_build(IDS)


def test_no_two_elements_share_an_id_on_any_page(ids_html: SphinxTestApp) -> None:
    outdir = Path(ids_html.outdir)
    for page in pages(outdir):
        tree = parse_strictly(page)
        ids = Counter(e.get("id") for e in tree.iter() if e.get("id") is not None)
        assert {i: n for i, n in ids.items() if n > 1} == {}, page.relative_to(outdir)
        assert [i for i in ids if not i or re.search(r"\s", i)] == [], page.relative_to(outdir)
    # not vacuous: the collisions were there to be resolved
    reported = {w.message.split("'")[1] for w in caselog_warnings(ids_html)}
    assert {"index-0", "id1", "id2", "collisions", "c", "privacy", "twice"} <= reported


def test_every_internal_link_lands_on_an_id(ids_html: SphinxTestApp) -> None:
    outdir = Path(ids_html.outdir)
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids_cache:
            ids_cache[page] = {e["id"] for e in soup_of(page).find_all(id=True)}
        return ids_cache[page]

    checked = 0
    for page in pages(outdir):
        for link in soup_of(page).find_all("a", href=True):
            parts = urlsplit(link["href"])
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = page if not parts.path else (page.parent / parts.path).resolve()
            if target.suffix != ".html":
                continue
            assert target.is_file(), (page.name, link["href"])
            assert unquote(parts.fragment) in ids_of(target), (page.name, link["href"])
            checked += 1
    assert checked > 30


def test_cases_and_tags_that_collide_all_keep_a_place(ids_html: SphinxTestApp) -> None:
    outdir = Path(ids_html.outdir)
    data = export_of(ids_html.outdir)
    tags = {t["title"]: t["slug"] for t in data["tags"]}
    assert sorted(tags) == ["C", "C#", "C++"]
    assert len(set(tags.values())) == 3
    for title, slug in tags.items():
        assert SLUG.match(slug)
        page = outdir / "tags" / f"{slug}.html"
        assert heading_text(soup_of(page).select_one("section.caselog-tag-page h1")) == title
    # every case, the duplicates too, stays on its page with an anchor of its own
    articles = {
        "collide": ("A case whose id comes", "A case whose id is a section", "Privacy", "Footnote id", "Another footnote id",
                    "Same page twice", "Same page twice again", "A case named like", "Collisions"),
        "other": ("The duplicate of a case", "Same page twice on another page"),
        "myst": ("C#", "Other page", "A case whose id is the explicit target"),
    }  # fmt: skip
    for docname, titles in articles.items():
        soup = soup_of(outdir / f"{docname}.html")
        shown = [a.get_text(" ", strip=True) for a in soup.select("article.caselog-case")]
        assert len(shown) == len(titles), docname
        for title, text in zip(titles, shown, strict=True):
            assert text.startswith(title), (docname, title, text)
    for case in data["cases"]:
        page, _, anchor = case["url"].partition("#")
        assert SLUG.match(anchor), case["url"]
        assert anchor in {e["id"] for e in soup_of(outdir / page).find_all(id=True)}


# == 4. limits ===================================================================================

LIMITS = "hostile-limits"
SMALL = {
    "caselog_max_title_length": 20,
    "caselog_max_tags": 3,
    "caselog_max_sources": 2,
    "caselog_max_quote_length": 50,
    "caselog_max_list_items": 3,
}
LONG_TITLE = "A title of forty characters, more or less"
QUOTE = (
    "First paragraph, of forty characters..",
    "Second paragraph that crosses the limit.",
    "Third paragraph that is dropped.",
)


@pytest.fixture(scope="module")
def limits_html(module_build) -> SphinxTestApp:
    return module_build(LIMITS, **SMALL)


def test_each_oversized_value_warns_at_its_line(limits_html: SphinxTestApp) -> None:
    md, rst = "myst.md", "rst.rst"
    expected = [
        (md, line_of(LIMITS, md, f":::{{case}} {LONG_TITLE}")),  # title: the directive
        (md, line_of(LIMITS, md, ":tags: one, two")),  # tags: the option
        (md, line_of(LIMITS, md, "source: |")),  # sources: the option
        (md, line_of(LIMITS, md, ":::{case} Quoted")),  # quote: the directive
        (rst, line_of(LIMITS, rst, f".. case:: {LONG_TITLE}")),
        (rst, line_of(LIMITS, rst, ":tags: one, two")),
        (rst, line_of(LIMITS, rst, ":source: https://example.org/1")),
        (rst, line_of(LIMITS, rst, ".. case:: Quoted")),
        # each listing longer than caselog_max_list_items: at its directive
        ("index.rst", line_of(LIMITS, "index.rst", ":style: list") - 1),
        ("index.rst", line_of(LIMITS, "index.rst", ":style: table") - 1),
    ]
    found = caselog_warnings(limits_html)
    assert sorted((w.file, w.line, w.type) for w in found) == sorted(
        (f, n, "caselog.limit") for f, n in expected
    )
    messages = " ".join(w.message for w in found)
    for setting in SMALL:
        assert setting in messages
    # the sources past the limit are not even parsed: the unsafe fourth one gives no warning
    assert warnings_of(limits_html) == found


@pytest.mark.parametrize("prefix", ["md", "rst"])
def test_oversized_values_are_cut_as_documented(limits_html: SphinxTestApp, prefix: str) -> None:
    docname = "myst" if prefix == "md" else "rst"
    soup = soup_of(Path(limits_html.outdir) / f"{docname}.html")
    data = cases_of(export_of(limits_html.outdir))
    cut_title = LONG_TITLE[:20].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    title = case_article(soup, f"{prefix}-long-title").select_one("span.caselog-title-text")
    assert title.get_text() == cut_title
    assert data[f"{prefix}-long-title"]["title"] == cut_title

    tags = case_article(soup, f"{prefix}-many-tags").select("span.caselog-tag")
    assert texts(tags) == ["one", "two", "three"]
    assert data[f"{prefix}-many-tags"]["tags"] == ["one", "two", "three"]

    sources = case_article(soup, f"{prefix}-many-sources").select("div.caselog-sources li")
    assert [li.select_one("a")["href"] for li in sources] == [
        "https://example.org/1",
        "https://example.org/2",
    ]
    assert [s["url"] for s in data[f"{prefix}-many-sources"]["sources"]] == [
        "https://example.org/1",
        "https://example.org/2",
    ]

    kept = (QUOTE[0], QUOTE[1][: 50 - len(QUOTE[0])].rstrip() + " [\N{HORIZONTAL ELLIPSIS}]")
    quote = case_article(soup, f"{prefix}-long-quote").select("blockquote.caselog-quote p")
    assert tuple(texts(quote)) == kept
    assert data[f"{prefix}-long-quote"]["quote"] == "\n\n".join(kept)


def test_listings_show_the_limit_and_link_the_timeline(limits_html: SphinxTestApp) -> None:
    soup = soup_of(Path(limits_html.outdir) / "index.html")
    total = len(export_of(limits_html.outdir)["cases"])
    assert total == 8
    boxes = soup.select("div.caselog-listing")
    assert len(boxes) == 2
    for box in boxes:
        shown = box.select("p.caselog-item") or box.select("tbody > tr")
        assert len(shown) == SMALL["caselog_max_list_items"]
        (more,) = box.select("p.caselog-more a")
        assert more.get_text() == f"and {total - 3} more cases: see the Timeline"
        assert more["href"] == "case-timeline.html"


HUGE_TITLE = ("Ab<c>&" * 200_000)[:1_000_000]


def huge_source(fmt: str) -> str:
    tags = ", ".join(f"tag {n}" for n in range(10_000))
    if fmt == "rst":
        sources = "\n".join(f"      https://example.org/{n}" for n in range(10_000))
        return (
            f"Huge\n====\n\n.. case:: {HUGE_TITLE}\n   :id: huge\n   :date: 2015\n"
            f"   :tags: {tags}\n   :source: https://example.org/start\n{sources}\n\n"
            "      A quote.\n"
        )
    sources = "\n".join(f"  https://example.org/{n}" for n in range(10_000))
    return (
        f"# Huge\n\n:::{{case}} {HUGE_TITLE}\n---\nid: huge\ndate: 2015\ntags: {tags}\n"
        f"source: |\n{sources}\n---\n\n> A quote.\n:::\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_huge_case_builds_in_bounded_time(tmp_path: Path, fmt: str) -> None:
    text = huge_source(fmt)
    start = time.monotonic()
    app = build_copy(tmp_path, "hostile-huge", files={f"huge.{fmt}": text})
    elapsed = time.monotonic() - start
    assert elapsed < 20, f"the build took {elapsed:.1f} s"
    no_traceback(app)
    lines = text.splitlines()
    directive = next(n for n, line in enumerate(lines, 1) if "case" in line and "Ab<c>" in line)
    tags_line = next(n for n, line in enumerate(lines, 1) if "tag 9999" in line)
    source_line = next(
        n for n, line in enumerate(lines, 1) if line.lstrip(" :").startswith("source")
    )
    assert sorted((w.file, w.line, w.type) for w in warnings_of(app)) == sorted(
        [
            (f"huge.{fmt}", directive, "caselog.limit"),
            (f"huge.{fmt}", tags_line, "caselog.limit"),
            (f"huge.{fmt}", source_line, "caselog.limit"),
        ]
    )
    case = cases_of(export_of(app.outdir))["huge"]
    assert case["title"] == HUGE_TITLE[:300].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    assert case["tags"] == [f"tag {n}" for n in range(30)]
    assert len(case["sources"]) == 30
    page = Path(app.outdir) / "huge.html"
    assert page.stat().st_size < 500_000  # the output is bounded too
    assert injected_elements(soup_of(page)) == []


# == 6. located, typed, suppressible warnings ====================================================

WARN = "hostile-warnings"
#: conf.py lines appended for each configuration of the broken root
CONFIGURATIONS = {
    "base": "",
    "vocabulary": 'caselog_tags = "broken-tags.yml"',
    "config": "caselog_feed_length = -1",
    "archive": "caselog_require_archive = True",
}
#: the configuration in which each subtype is triggered
TRIGGERED_IN = dict.fromkeys(SUBTYPES, "base") | {
    "vocabulary": "vocabulary",
    "config": "config",
    "no_archive": "archive",
}


def expected_warnings(configuration: str) -> list[tuple[str, int | None, str]]:
    """(file name, line, type) of every warning the broken root gives in *configuration*."""
    cases, more = "cases.md", "more.md"
    located = [
        (cases, ":bogus: yes", "option"),
        (cases, ":date: 2014-02-30", "date"),
        (cases, ":kind: opinion", "kind"),
        (cases, ":source: javascript:alert(1)", "unsafe_url"),
        (cases, ":tags: privacy, encryption, privacy rights", "limit"),
        (cases, ":::{case} A case whose id is a section's elsewhere", "duplicate_id"),
        (cases, "{case:ref}`nope`", "ref"),
        (more, ":::{case} Second of two", "duplicate_id"),
        (more, ":::{case} A case inside a case", "nested"),
    ]
    result = [(name, line_of(WARN, name, needle), f"caselog.{t}") for name, needle, t in located]
    result.append((more, line_of(WARN, more, ":::{case}", whole=True), "caselog.missing_title"))
    result.append(("privacy.md", None, "caselog.tag_page"))
    if configuration == "vocabulary":
        line = line_of(WARN, "broken-tags.yml", "Encryption: strong")
        result.append(("broken-tags.yml", line, "caselog.vocabulary"))
    else:
        line = line_of(WARN, cases, ":tags: privacy, surveilance")  # the option's line
        result.append((cases, line, "caselog.unknown_tag"))
    if configuration == "config":
        result.append(("conf.py", None, "caselog.config"))
    if configuration == "archive":
        line = line_of(WARN, more, ":source: Plain <https://example.org/plain>")
        result.append((more, line, "caselog.no_archive"))
    return sorted(result, key=str)


def build_broken(base: Path, configuration: str, **overrides: Any) -> SphinxTestApp:
    try:
        return build_copy(base, WARN, conf_extra=CONFIGURATIONS[configuration], **overrides)
    except Exception as exc:  # noqa: BLE001 (a crash is the failure being reported)
        pytest.fail(f"the {configuration!r} build crashed instead of warning: {exc!r}")


def located(app: SphinxTestApp) -> list[tuple[str, int | None, str | None]]:
    """Every caselog warning as (file, line, type); config's line is not checked."""
    return sorted(
        (
            (w.file, None if w.type == "caselog.config" else w.line, w.type)
            for w in caselog_warnings(app)
        ),
        key=str,
    )


@pytest.fixture(scope="module")
def broken(module_build) -> Any:
    return lambda configuration: module_build(WARN, conf_extra=CONFIGURATIONS[configuration])


def test_the_broken_root_triggers_every_subtype(broken) -> None:
    """caselog.vocabulary turns the vocabulary off, and caselog.unknown_tag with it, so
    the root triggers every subtype over its configurations, not in one build."""
    found = {
        w.type for configuration in CONFIGURATIONS for w in caselog_warnings(broken(configuration))
    }
    assert found == {f"caselog.{s}" for s in SUBTYPES if s not in BUILDER_SUBTYPES}


@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
def test_every_warning_is_typed_and_located(broken, configuration: str) -> None:
    app = broken(configuration)
    assert located(app) == expected_warnings(configuration)
    # every warning the build printed is one of ours, with a known subtype and a file
    printed = [
        line
        for line in raw_warnings(app).splitlines()
        if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)
    ]
    parsed = warnings_of(app)
    assert len(parsed) == len(printed), printed
    for warning in parsed:
        assert warning.type in {f"caselog.{s}" for s in SUBTYPES}, warning
        assert warning.file, warning
        if warning.type not in {"caselog.config", "caselog.tag_page"}:
            assert warning.line is not None, warning
    no_traceback(app)


@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
def test_suppressing_caselog_silences_every_subtype(tmp_path: Path, configuration: str) -> None:
    app = build_broken(tmp_path, configuration, suppress_warnings=["caselog"])
    assert raw_warnings(app).strip() == ""


@pytest.mark.parametrize("subtype", [s for s in SUBTYPES if s not in BUILDER_SUBTYPES])
def test_suppressing_one_subtype_silences_only_it(tmp_path: Path, subtype: str) -> None:
    configuration = TRIGGERED_IN[subtype]
    app = build_broken(tmp_path, configuration, suppress_warnings=[f"caselog.{subtype}"])
    expected = [w for w in expected_warnings(configuration) if w[2] != f"caselog.{subtype}"]
    assert located(app) == expected
    assert len(expected) < len(expected_warnings(configuration))  # not vacuous


@pytest.mark.slow
def test_warnings_as_errors_fail_the_build_and_list_every_warning(tmp_path: Path) -> None:
    """``sphinx-build -W --keep-going``, one process per configuration, run side by side."""
    runs = {}
    for configuration, extra in CONFIGURATIONS.items():
        srcdir = tmp_path / configuration / "src"
        shutil.copytree(ROOTS / f"test-{WARN}", srcdir)
        if extra:
            with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
                conf.write(f"\n{extra}\n")
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going"]
        command += ["-d", str(tmp_path / configuration / "doctrees")]
        command += [str(srcdir), str(tmp_path / configuration / "html")]
        runs[configuration] = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
    for configuration, process in runs.items():
        _, stderr = process.communicate(timeout=120)
        assert process.returncode != 0, configuration
        no_traceback(stderr)
        printed = console_warnings(stderr)
        found = sorted(
            ((w.file, None if w.type == "caselog.config" else w.line, w.type) for w in printed),
            key=str,
        )
        assert found == expected_warnings(configuration), (configuration, stderr[-3000:])


def test_a_tag_pages_dir_outside_the_output_is_refused(tmp_path: Path) -> None:
    app = build_copy(tmp_path, WARN, conf_extra='caselog_tag_pages_dir = "../escaped"')
    assert [(w.file, w.type) for w in warnings_of(app) if w.type == "caselog.config"] == [
        ("conf.py", "caselog.config")
    ]
    outdir = Path(app.outdir)
    assert not (outdir.parent / "escaped").exists()
    assert (outdir / "tags" / "encryption.html").is_file()  # the default folder instead
    assert [p for p in tmp_path.rglob("*.html") if outdir not in p.parents] == []


# == 7. docs ========================================================================================


def test_warnings_doc_gives_an_example_and_fix_for_every_subtype() -> None:
    text = (DOCS / "warnings.md").read_text(encoding="utf-8")
    assert "```{caselog-warnings-table}" in text
    examples = text.split("## Examples and fixes", 1)[1]
    terms = re.findall(r"^`caselog\.(\w+)`\n: (.+?)(?=\n\n|\Z)", examples, re.MULTILINE | re.DOTALL)
    documented = dict(terms)
    assert set(documented) == set(SUBTYPES)
    for subtype, body in documented.items():
        assert f"[caselog.{subtype}]" in body, f"the example of {subtype} shows no warning"
        assert "\N{EM DASH}" in body, f"the entry of {subtype} gives no fix"


def load_docs_extension() -> Any:
    spec = importlib.util.spec_from_file_location("caselog_docs", DOCS / "_ext" / "caselog_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_configuration_doc_uses_the_generated_table() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert re.search(r"^```\{caselog-config-table\}\s*$", text, re.MULTILINE)
    # the docs extension defines that directive from the package's own declarations
    registered: dict[str, Any] = {}
    load_docs_extension().setup(SimpleNamespace(add_directive=registered.setdefault))
    rows = registered["caselog-config-table"].rows(None)
    assert [row[0] for row in rows] == [
        f"caselog_{f.name}" for f in dataclasses.fields(CaselogConfig)
    ]
    # and no value is described by hand besides the table
    assert not re.search(r"^\|\s*`caselog_", text, re.MULTILINE)


def test_security_doc_states_every_limit_with_its_default() -> None:
    text = (DOCS / "security.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(caselog_max_\w+)` \| ([\d,]+)", text, re.MULTILINE))
    defaults = CaselogConfig()
    limits = {f"caselog_{f.name}": getattr(defaults, f.name) for f in dataclasses.fields(defaults)}
    limits = {name: value for name, value in limits.items() if name.startswith("caselog_max_")}
    assert {name: int(value.replace(",", "")) for name, value in rows.items()} == limits
