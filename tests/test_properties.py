"""Properties of whole builds (issue 9), for generated case text: Hypothesis writes a case
into a copy of ``tests/roots/test-hostile-property`` and builds it, once per example.

The pure values (``tag_key`` idempotence, NFC/NFD and case variants, ``İ`` and ``ß``,
URL schemes, ``parse_source``) have their own properties in test_model.py; here the
same inputs go through a real build, which must keep every promise of docs/security.md:

* the HTML shows the text exactly, and no element comes from it;
* only http(s) sources with a host become links;
* ``caselog.json`` round-trips the text exactly;
* the Atom feed parses and its text matches;
* LaTeX escapes every special of the title, once;
* spelling variants of a tag are one tag, on every page and in the data.

Each example is one or two builds, so examples are few (``max_examples`` below) and not
shrunk (a shrink would rebuild dozens of times): a failure shows the generated example as
found. Titles and quotes are written with every ASCII punctuation character escaped (so
reStructuredText reads them as plain text), options as they are (option values are raw).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from helpers import ROOTS, browser_scheme, caselog_warnings, no_traceback, tex_escape, warnings_of
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.model import parse_source
from sphinx_caselog.slugs import display_name, tag_key

ATOM = "{http://www.w3.org/2005/Atom}"
ROOT = ROOTS / "test-hostile-property"
#: characters that end a line for docutils (``str.splitlines``), and NUL (docutils' own
#: escape marker): a one-line value can't hold them
LINE_BREAKS = "\x00\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
SPECIALS = [
    *"<>&\"'\\{}$%#_^~",
    "</script>",
    "<b>",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    "&lt;",
    "&#106;",
    "\\input{x}",
    "\\write18{y}",
    "]]>",
    "-->",
    "\x01",
    "\x07",
    "\x1b",
    "\x7f",
    "\x9f",
    "\u200b",
    "é",
    "İ",
    "ß",
]
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters=LINE_BREAKS + "\t")
PROPERTY_SETTINGS = settings(
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def pieces(alphabet: st.SearchStrategy[str], specials: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(specials), st.text(alphabet, min_size=1, max_size=6))
    return st.lists(piece, min_size=1, max_size=6).map("".join)


def one_line(specials: list[str] = SPECIALS, exclude: str = "") -> st.SearchStrategy[str]:
    """Non-blank text on one line, without surrounding whitespace."""
    alphabet = st.characters(
        exclude_categories=("Cs",), exclude_characters=LINE_BREAKS + "\t" + exclude
    )
    kept = [s for s in specials if not set(s) & set(exclude)]
    return pieces(alphabet, kept).map(str.strip).filter(bool)


SCHEMES = [
    "https://",
    "http://",
    "HTTPS://",
    "javascript:",
    "JaVaScRiPt:",
    "java\x01script:",  # (a tab would be expanded to spaces by reStructuredText)
    "java&#9;script:",
    "vbscript:",
    "data:text/html,",
    "file:///",
    "//",
    "&#106;avascript:",
    "%6Aavascript:",
    "ftp://",
    "mailto:",
    "",
    " https://",
]
URL_REST = st.lists(
    st.sampled_from([*"abcdefgh0123456789.-/?&=#%;:@_~+!*'()", "é", "www.", "example.org"]),
    max_size=12,
).map("".join)
URLS = st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(SCHEMES), URL_REST)
TAGS = st.lists(one_line(exclude=","), min_size=1, max_size=4)


def rst_escape(text: str) -> str:
    """*text* as reStructuredText reads it back as plain text: ASCII punctuation escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def build(base: Path, text: str, builder: str = "html") -> SphinxTestApp:
    srcdir = base / "src"
    if not srcdir.exists():
        shutil.copytree(ROOT, srcdir)
        (srcdir / "case.rst").write_text(text, encoding="utf-8")
    app = SphinxTestApp(builder, srcdir=srcdir, builddir=base / "build")
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def assert_clean(app: SphinxTestApp, allowed: set[str] = frozenset()) -> None:
    no_traceback(app)
    assert {w.type for w in warnings_of(app)} <= allowed, warnings_of(app)


#: what may stay in escaped LaTeX text: escape sequences, brackets in a group (``{[}``),
#: and ``\(...\)``, the math Sphinx uses for a few Unicode symbols
_TEX_ESCAPES = re.compile(r"\\(?:[A-Za-z]+\{\}|[{}$&#_%]|\(.*?\\\))|\{[\[\]]\}")

# -- 1. hostile text through a whole build ---------------------------------------------------


def case_source(title: str, tags: list[str], attribution: str, source: str, quote: str) -> str:
    return (
        "Case\n====\n\n"
        f".. case:: {rst_escape(title)}\n"
        "   :id: the-case\n"
        "   :date: 2015-06-01\n"
        f"   :tags: {', '.join(tags)}\n"
        f"   :attribution: {attribution}\n"
        f"   :source: {source}\n\n"
        f"      {rst_escape(quote)}\n"
    )


ALLOWED_ELEMENTS = {"article", "p", "span", "a", "blockquote", "div", "cite", "time", "ul", "li"}
#: the case title is a heading, one level below its section (issue 15)
ALLOWED_ELEMENTS |= {f"h{level}" for level in range(2, 7)}


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=12)
@given(
    title=one_line(),
    tags=TAGS,
    attribution=one_line(),
    source_title=one_line(exclude="<>"),
    url=URLS,
    quote=one_line(),
)
@example(
    title="<script>alert(1)</script> & \"q\" 'q' \\input{/etc/passwd} $ % # _ ^ ~ { }",
    tags=["<b>x</b>", "a&b", "C++"],
    attribution="<img src=x onerror=alert(1)>",
    source_title="Report & more",
    url="JaVa\x01ScRiPt:alert(1)",
    quote="&lt;b&gt; </blockquote> done.",
)
@example(
    title="Plain",
    tags=["İstanbul", "Straße"],
    attribution="Zoë",
    source_title="Judgment",
    url="https://example.org/a?b=1&c=2",
    quote="Quoted.",
)
def test_hostile_text_survives_a_whole_build(
    tmp_path_factory: pytest.TempPathFactory,
    title: str,
    tags: list[str],
    attribution: str,
    source_title: str,
    url: str,
    quote: str,
) -> None:
    quote = f"Q{quote}"  # never a list marker, a dash attribution or a line block
    line = f"{source_title} <{url}>"
    text = case_source(title, tags, attribution, line, quote)
    base = tmp_path_factory.mktemp("property")
    app = build(base, text)
    # control characters in the argument and options are removed, with caselog.option
    controlled = any(map(CONTROL.search, [title, *tags, attribution, line]))
    assert_clean(
        app, {"caselog.unsafe_url", "caselog.option"} if controlled else {"caselog.unsafe_url"}
    )
    title, attribution, line = (CONTROL.sub("", t) for t in (title, attribution, line))
    tags = [CONTROL.sub("", t) for t in tags if CONTROL.sub("", t).strip()]
    outdir = Path(app.outdir)
    source = parse_source(line)
    first: dict[str, str] = {}  # each tag as its first spelling shows it
    for tag in tags:
        first.setdefault(tag_key(tag), display_name(tag))
    keys, displays = list(first), list(first.values())

    # the data: exactly the text, the URL only when it is safe
    (case,) = json.loads((outdir / "caselog.json").read_text(encoding="utf-8"))["cases"]
    assert case["title"] == title
    assert case["tags"] == keys
    assert case["attribution"] == (attribution.strip() or None)
    assert case["quote"] == quote
    assert case["sources"] == [
        {
            "title": source.given_title,
            "url": source.url,
            "publisher": source.host,
            "archive_url": None,
            "archive_date": None,
            "accessed": None,
        }
    ]
    warned = [w for w in caselog_warnings(app) if w.type == "caselog.unsafe_url"]
    assert len(warned) == (source.url is None)

    # the page: the text as text, no element from it, links only to http(s)
    soup = BeautifulSoup((outdir / "case.html").read_bytes(), "lxml")
    (article,) = soup.select("article.caselog-case")
    assert article.select_one("span.caselog-title-text").get_text() == title
    assert [t.get_text() for t in article.select("span.caselog-tag")] == displays
    cite = article.select_one("p.attribution > cite")
    assert (cite.get_text() if cite else "") == attribution.strip()
    quoted = article.select("blockquote.caselog-quote p:not(.attribution)")
    assert [p.get_text() for p in quoted] == [quote]
    assert {e.name for e in article.find_all(True)} <= ALLOWED_ELEMENTS
    assert [e for e in article.find_all(True) if any(a.startswith("on") for a in e.attrs)] == []
    for link in article.find_all("a", href=True):
        href = link["href"]
        if browser_scheme(href) is None and not href.startswith("//"):
            continue  # a link within the site (permalink, tag page)
        assert browser_scheme(href) in {"http", "https"}, href
        assert href == source.url
    sources = article.select("div.caselog-sources li")
    if source.url is None:
        assert [s.get_text() for s in sources] == [line.strip()]
        assert sources[0].find("a") is None

    # LaTeX: the title line holds the title escaped once, and no bare special
    latex = build(base, text, "latex")
    (tex,) = Path(latex.outdir).glob("*.tex")
    match = re.search(
        r"^\\DUrole\{caselog-title-text\}\{(.*)\}$", tex.read_text(encoding="utf-8"), re.MULTILINE
    )
    assert match is not None
    assert match[1] == tex_escape(title)
    bare = _TEX_ESCAPES.sub("", match[1])
    assert not set(bare) & set("\\{}$&#^_%~"), match[1]

    # the feed: XML, with the text
    try:
        feed = ET.parse(outdir / "cases.atom").getroot()
    except ET.ParseError as err:
        pytest.fail(f"cases.atom is not well-formed XML ({err}) for title {title!r}")
    # (XML 1.0 can't hold control characters at all: feeds drop exactly those)
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == XML_ILLEGAL.sub("", title)
    assert [c.get("label") for c in entry.findall(f"{ATOM}category")] == [
        XML_ILLEGAL.sub("", d) for d in displays
    ]
    said = f"\n\n\N{EM DASH} {attribution.strip()}" if attribution.strip() else ""
    assert entry.findtext(f"{ATOM}summary") == XML_ILLEGAL.sub("", quote + said)


#: what the directive removes from its argument and options (see sphinx_caselog.directives)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: the characters XML 1.0 forbids (see sphinx_caselog.feeds)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# -- 2. one tag, however it is spelled ---------------------------------------------------------

TAG_TEXT = st.text(
    st.characters(
        categories=["L", "M", "N", "Zs", "P", "S"],
        exclude_characters=",:\N{LATIN SMALL LETTER DOTLESS I}",
    ),
    min_size=1,
    max_size=8,
).filter(lambda t: tag_key(t) != "")


def variants(text: str) -> list[str]:
    """Spellings that are one tag: as written, decomposed, upper case, casefolded."""
    return [text, unicodedata.normalize("NFD", text), text.upper(), text.casefold()]


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=8)
@given(text=TAG_TEXT)
@example(text="İstanbul")
@example(text="Straße")
@example(text="Σίσυφος")
def test_spelling_variants_of_a_tag_are_one_tag_everywhere(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    spellings = variants(text)
    cases = "".join(
        f".. case:: Case {n}\n   :id: case-{n}\n   :date: 2015-0{n + 1}\n"
        f"   :tags: {spelling}\n   :see-also: tag:{spellings[(n + 1) % 4]}\n\n"
        for n, spelling in enumerate(spellings)
    )
    app = build(tmp_path_factory.mktemp("tag-variants"), f"Cases\n=====\n\n{cases}")
    assert_clean(app)  # every see-also resolved: no caselog.ref
    outdir = Path(app.outdir)
    data = json.loads((outdir / "caselog.json").read_text(encoding="utf-8"))
    (tag,) = data["tags"]
    assert tag["name"] == tag_key(text)
    assert tag["title"] == display_name(text)  # the first spelling
    assert tag["cases"] == [f"case-{n}" for n in range(4)]
    assert all(case["tags"] == [tag["name"]] for case in data["cases"])
    assert [e["target"] for c in data["cases"] for e in c["see_also"]] == [tag["name"]] * 4

    soup = BeautifulSoup((outdir / "case.html").read_bytes(), "lxml")
    badges = soup.select("div.caselog-tags a")
    see_also = soup.select("div.caselog-see-also a")
    page = f"tags/{tag['slug']}.html"
    assert [a["href"] for a in badges] == [page] * 4
    assert [a["href"] for a in see_also] == [page] * 4
    assert {a.get_text() for a in [*badges, *see_also]} == {tag["title"]}
    tag_page = BeautifulSoup((outdir / page).read_bytes(), "lxml")
    listed = tag_page.select("section.caselog-tag-page p.caselog-item > a:first-child")
    assert sorted(a.get_text() for a in listed) == [f"Case {n}" for n in range(4)]
    assert len(list((outdir / "tags").glob("*.html"))) == 1  # the tag's page
