"""The ``case`` directive, as a user meets it: real builds of ``tests/roots/test-directive-*``.

Every assertion is on what a reader or an author sees: parsed HTML, LaTeX text,
the other builders' output, and warnings with their file, line and type.
Expected line numbers are computed from the root's files, never written down.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from helpers import (
    caselog_warnings,
    compile_tex,
    html_of,
    line_of,
    no_traceback,
    raw_warnings,
    tex_of,
    warnings_of,
)

# -- helpers ------------------------------------------------------------------------------


def article(soup: BeautifulSoup, case_id: str):
    found = soup.select(f"article.caselog-case#{case_id}")
    assert len(found) == 1, f"expected one article #{case_id}, found {len(found)}"
    return found[0]


# -- 1. MyST and rST give the same doctree: see test_snippets.py ---------------------------


# -- 2. every builder ----------------------------------------------------------------------

BUILDERS = [
    "html",
    "dirhtml",
    "singlehtml",
    "epub",
    "latex",
    "text",
    "man",
    "texinfo",
    "xml",
    "gettext",
]
TITLES = ("Regulator fines the data broker", "Standards body calls monitoring an attack")
QUOTES = (
    "Selling location data without consent is unlawful.",
    "Pervasive monitoring is a technical attack.",
)
CONTEXTS = (
    "The broker had sold location histories for years.",
    "The memo asks protocol designers to mitigate monitoring.",
)
SOURCE_URLS = (
    "https://regulator.example.org/decisions/2019/17",
    "https://www.rfc-editor.org/rfc/rfc7258",
)


def output_text(builder: str, outdir: Path) -> str:
    """Everything the builder wrote that a reader reads, as plain text."""
    patterns = {
        "html": ["*.html"],
        "dirhtml": ["index.html", "*/index.html"],
        "singlehtml": ["index.html"],
        "epub": ["*.xhtml"],
        "latex": ["*.tex"],
        "text": ["*.txt"],
        "man": ["*.1"],
        "texinfo": ["*.texi"],
        "xml": ["*.xml"],
        "gettext": ["*.pot"],
    }[builder]
    files = sorted({f for pattern in patterns for f in outdir.glob(pattern)})
    assert files, f"{builder} wrote no output in {outdir}"
    parser = {"html": "lxml", "dirhtml": "lxml", "singlehtml": "lxml", "epub": "xml", "xml": "xml"}
    texts = [f.read_text(encoding="utf-8") for f in files]
    if builder in parser:
        texts = [BeautifulSoup(t, parser[builder]).get_text(" ") for t in texts]
    text = "\n".join(texts)
    if builder == "man":
        text = text.replace("\\:", "").replace("\\%", "").replace("\\-", "-")
    if builder == "latex":
        text = text.replace("\\sphinxhyphen{}", "-")
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def every_builder(module_build):
    """The builds of ``test-directive-builders``, one per builder, made on first use."""
    return lambda builder: module_build("directive-builders", builder)


def test_the_stored_doctree_holds_source_urls_only_in_their_links(every_builder):
    """Print's written-out URL is added when print writes (``PrintedUrls``): the doctree
    that every build reads, pickles and keeps in memory has a URL in its link only."""
    app = every_builder("html")
    refs, written = [], []
    for docname in ("index", "myst"):
        doctree = app.env.get_doctree(docname)
        refs += [ref["refuri"] for ref in doctree.findall(nodes.reference)]
        written += [
            n for n in doctree.findall(nodes.inline) if "caselog-source-url" in n["classes"]
        ]
    assert written == []
    for url in SOURCE_URLS:
        assert url in refs


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder_builds_the_case_without_warnings(every_builder, builder):
    app = every_builder(builder)
    assert raw_warnings(app).strip() == "", f"{builder} warned:\n{raw_warnings(app)}"

    text = output_text(builder, Path(app.outdir))
    for expected in (*TITLES, *QUOTES):
        assert expected in text, f"{builder}: {expected!r} missing"
    if builder in {"text", "man", "texinfo", "latex"}:
        # a printed page cannot be clicked: the full URL is written out
        for url in SOURCE_URLS:
            assert url in text, f"{builder}: the full URL {url!r} is not written out"
    if builder == "text":
        # the titled source is followed by its URL, not by its host
        assert "Decision 2019/17 https://regulator.example.org/decisions/2019/17" in text
    if builder == "latex":
        assert r"\sphinxurl{https://regulator.example.org/decisions/2019/17}" in text
    if builder in {"texinfo", "man"}:
        # these writers print a link's URL themselves: it must not stand there twice
        # "Decision 2019/17", then its URL once (the listing shows the host, then the URL)
        shown = re.sub(r"\\X'[^']*'", "", text)  # a terminal's hyperlink, not shown text
        after = shown.split("Decision 2019/17", 1)[1].split("\n", 1)[0]
        assert after.count("regulator.example.org/decisions/2019/17") == 1, after


def test_gettext_extracts_the_case_text_but_not_the_labels(every_builder):
    app = every_builder("gettext")
    assert raw_warnings(app).strip() == ""
    msgids = set()
    for pot in Path(app.outdir).glob("*.pot"):
        msgids |= set(re.findall(r'^msgid "(.+)"$', pot.read_text(encoding="utf-8"), re.MULTILINE))
    for message in (*TITLES, *QUOTES, *CONTEXTS):
        assert message in msgids, f"no msgid for {message!r}"
    for label in ("Context and Discussion", "Sources", "Tags", "See also", "Ruling", "Position"):
        assert label not in msgids, f"the generated label {label!r} was extracted"


#: listings.md of test-directive-builders: the ``:tags: fines`` listing in each style,
#: then one that matches nothing. Both cases carry "Fines"; the broker's is newer.
LISTED = ["Regulator fines the data", "Standards body calls"]  # a text table wraps the rest
STYLES = ("Fines as a list", "Fines as a table", "Fines as cards", "Fines as a timeline")


def listings_text(builder: str, outdir: Path) -> str:
    """The reader's text of the listings page: its own file, or its part of the one file."""
    own = {"text": "listings.txt", "epub": "listings.xhtml"}
    if builder in own:
        text = (outdir / own[builder]).read_text(encoding="utf-8")
        if builder == "epub":
            text = BeautifulSoup(text, "xml").get_text(" ")
    else:
        (path,) = outdir.glob("*.1" if builder == "man" else "*.texi")
        lines = path.read_text(encoding="utf-8").splitlines()
        # texinfo: not the menus and node lines, which name the sections too
        text = "\n".join(x for x in lines if not x.startswith(("@node ", "* ")))
        text = text[text.index(STYLES[0]) :].replace("\\:", "").replace("\\-", "-")
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("builder", ["text", "man", "texinfo", "epub"])
def test_caselist_in_every_style_lists_the_cases_newest_first(every_builder, builder):
    app = every_builder(builder)
    assert warnings_of(app) == []
    text = listings_text(builder, Path(app.outdir))
    sections = [text.index(style) for style in STYLES]
    assert sections == sorted(sections), "the styles are in the page's order"
    ends = [*sections[1:], text.index("No incidents")]
    for style, start, end in zip(STYLES, sections, ends, strict=True):
        part = text[start:end]
        at = [part.find(title) for title in LISTED]
        assert -1 not in at, (builder, style, "a listed case is missing")
        assert at == sorted(at), (builder, style, "newest first")
        if style == "Fines as a timeline":
            assert part.index("2019") < at[0] < part.index("2014") < at[1], (builder, part)
        if style == "Fines as cards":  # the cards show each case's quote
            assert QUOTES[0] in part and QUOTES[1] in part, (builder, part)
    assert "No cases match." in text[text.index("No incidents") :]
    if builder != "epub":  # printed output: no web page to link to
        assert ".html" not in text


def test_caselist_links_resolve_in_epub_and_texinfo(every_builder):
    """The listed titles are links to the cases, whose targets exist in the same output."""
    epub = Path(every_builder("epub").outdir)
    page = BeautifulSoup((epub / "listings.xhtml").read_text(encoding="utf-8"), "xml")
    hrefs = [a["href"] for a in page.find_all("a", href=True) if "#" in a["href"]]
    assert {"index.xhtml#broker-fine", "myst.xhtml#monitoring-attack"} <= set(hrefs)
    for href in hrefs:
        target, _, anchor = href.partition("#")
        document = BeautifulSoup((epub / target).read_text(encoding="utf-8"), "xml")
        assert document.find(id=anchor) is not None, href

    texi = output_text("texinfo", Path(every_builder("texinfo").outdir))
    refs = re.findall(r"@ref\{([^,}]+),,([^}]*)\}", texi)
    anchors = set(re.findall(r"@anchor\{([^}]+)\}", texi))
    listed = [ref for ref, title in refs if title in TITLES]
    assert len(listed) >= 2 * len(STYLES)
    assert [ref for ref, _ in refs if ref not in anchors] == []


def test_man_page_shows_no_empty_link_target(every_builder):
    (page,) = Path(every_builder("man").outdir).glob("*.1")
    assert "\\%<>" not in page.read_text(encoding="utf-8")


# -- 3. HTML structure ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_build(module_build):
    return module_build("directive-html")


def test_html_article_title_and_permalink(html_build):
    app = html_build
    soup = html_of(app, "a-full")
    full = article(soup, "full-case")
    assert {"caselog-case", "caselog-kind-ruling", "featured", "wide"} <= set(full["class"])
    (title,) = full.select(":scope > .caselog-title")
    assert title.get_text(" ", strip=True).startswith("Court strikes down bulk retention")
    assert title.select_one("em").get_text() == "bulk"
    (link,) = title.select("a.headerlink")
    assert link["href"] == "#full-case"
    # the stylesheet is linked and shipped
    assert soup.select('link[href*="_static/caselog.css"]')
    assert (Path(app.outdir) / "_static" / "caselog.css").is_file()


def test_html_meta_kind_and_dates(html_build):
    app = html_build
    full = article(html_of(app, "a-full"), "full-case")
    meta = full.select_one(":scope > p.caselog-meta")
    assert meta.select_one("span.caselog-kind").get_text(strip=True) == "Ruling"
    (time,) = meta.select("time.caselog-date")
    assert time["datetime"] == "2014-05-01"
    assert time.get_text(strip=True) == "May 1, 2014"

    dates = html_of(app, "b-dates")
    month = article(dates, "month-case").select_one("p.caselog-meta time.caselog-date")
    assert (month["datetime"], month.get_text(strip=True)) == ("2015-10", "October 2015")
    year = article(dates, "year-case").select_one("p.caselog-meta time.caselog-date")
    assert (year["datetime"], year.get_text(strip=True)) == ("2013", "2013")
    assert article(dates, "year-case").select_one("span.caselog-kind").get_text() == "Report"


def test_html_quote_context_sources_tags_and_see_also(html_build):
    app = html_build
    full = article(html_of(app, "a-full"), "full-case")

    (quote,) = full.select("blockquote.caselog-quote")
    assert "The directive is invalid." in quote.get_text()
    assert quote.select_one("p.attribution > cite").get_text(strip=True) == (
        "Court of Justice of the EU"
    )

    (context,) = full.select("div.caselog-context")
    assert "Context and Discussion" in context.get_text()
    assert "The directive had been adopted in 2006." in context.get_text()
    assert "The directive is invalid." not in context.get_text()

    (sources,) = full.select("div.caselog-sources")
    links = sources.select("a.reference.external")
    assert [a["href"] for a in links] == [
        "https://curia.europa.eu/juris/liste.jsf?num=C-293/12",
        "https://www.example.org/analysis",
    ]
    assert links[0].get_text(strip=True) == "Judgment C-293/12"
    hosts = [s.get_text(strip=True) for s in sources.select("span.caselog-source-host")]
    assert hosts == ["curia.europa.eu", "example.org"]

    (tags,) = full.select("div.caselog-tags")
    badges = tags.select("span.caselog-tag")
    assert all({"caselog-tag", "sd-badge"} <= set(b["class"]) for b in badges)
    # "Privacy" and "PRIVACY" are one tag
    assert [b.get_text(strip=True) for b in badges] == ["Mass Surveillance", "Privacy"]

    (see_also,) = full.select("div.caselog-see-also")
    hrefs = [a["href"] for a in see_also.select("a[href]")]
    assert "b-dates.html#month-case" in hrefs
    assert "A case dated by month" in see_also.get_text()


def test_html_dash_in_a_myst_quote_becomes_the_attribution(html_build):
    app = html_build
    dash = article(html_of(app, "a-full"), "dash-case")
    quote = dash.select_one("blockquote.caselog-quote")
    assert quote.select_one("p.attribution > cite").get_text(strip=True) == "A privacy scholar"
    assert [p.get_text(strip=True) for p in quote.select("p:not(.attribution)")] == [
        "Privacy is not secrecy."
    ]


def test_html_tag_shows_the_spelling_of_its_first_use(html_build):
    """a-full.md (read first) writes "Mass Surveillance"; b-dates.rst "mass   SURVEILLANCE"."""
    app = html_build
    badges = article(html_of(app, "b-dates"), "month-case").select("span.caselog-tag")
    assert [b.get_text(strip=True) for b in badges] == ["Mass Surveillance"]


def test_html_unsafe_source_is_text_and_never_a_link(html_build):
    app = html_build
    soup = html_of(app, "d-unsafe")
    unsafe = article(soup, "unsafe-case")
    texts = [
        s.get_text(strip=True) for s in unsafe.select("div.caselog-sources span.caselog-unsafe")
    ]
    assert texts == ["Click me <javascript:alert(document.cookie)>"]
    assert soup.select('a[href^="javascript"]') == []
    for element in soup.select("[href], [src], [action]"):
        for attribute in ("href", "src", "action"):
            value = element.get(attribute, "").lower()
            assert "script:" not in value, element
    # the safe source of the same case still is a link
    assert [a["href"] for a in unsafe.select("a.reference.external")] == [
        "https://example.org/safe"
    ]


def test_html_page_per_case_section_carries_the_id(html_build):
    app = html_build
    soup = html_of(app, "c-page-case")
    assert len(soup.select("[id='page-case']")) == 1
    section = soup.select_one("section#page-case")
    assert section is not None, "the section must carry the case id as its (first) id"
    heading = section.select_one("h1")
    assert heading.get_text(" ", strip=True).startswith("A case on its own page")
    assert heading.select_one("a.headerlink")["href"] == "#page-case"

    (body,) = section.select("article.caselog-case")
    assert "caselog-kind-incident" in body["class"]
    # only the anchor search and intersphinx use (CaseDomain.get_objects)
    assert body.get("id") == "caselog-page-case"
    assert body.select(".caselog-title") == []
    assert body.select_one("time.caselog-date")["datetime"] == "2016-03-09"


@pytest.mark.sphinx(
    "html", testroot="directive-html", srcdir="directive-html-de", confoverrides={"language": "de"}
)
def test_html_dates_are_localised(app):
    app.build()
    full = html_of(app, "a-full").select_one("#full-case time.caselog-date")
    assert full["datetime"] == "2014-05-01"
    assert "Mai" in full.get_text() and "2014" in full.get_text()
    month = html_of(app, "b-dates").select_one("#month-case time.caselog-date")
    assert (month["datetime"], month.get_text(strip=True)) == ("2015-10", "Oktober 2015")


# -- 4. LaTeX -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def latex_build(module_build):
    return module_build("directive-latex", "latex")


def test_latex_case_blocks_labels_and_package(latex_build):
    app = latex_build
    tex = tex_of(app)
    assert tex.count(r"\begin{sphinxcaselog}") == tex.count(r"\end{sphinxcaselog}") == 3
    assert r"\begin{sphinxcaselog}\label{\detokenize{specials:specials-case}}" in tex
    assert r"\begin{sphinxcaselog}\label{\detokenize{index:pointer-case}}" in tex
    # page-per-case: the section carries the label the references use
    assert r"\label{\detokenize{page-case:page-case}}" in tex

    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", tex))
    targets = re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", tex)
    assert targets, "the test root must contain case references"
    assert {"specials:specials-case", "page-case:page-case", "index:pointer-case"} <= set(targets)
    assert [t for t in targets if t not in labels] == []
    pagerefs = re.findall(r"\\sphinxstyleindexpageref\{([^:}]*):\\detokenize\{([^}]*)\}\}", tex)
    assert [f"{d}:{a}" for d, a in pagerefs if f"{d}:{a}" not in labels] == []

    assert r"\usepackage{sphinxcaselog}" in tex
    assert (Path(app.outdir) / "sphinxcaselog.sty").is_file()
    # the source URLs are written out
    assert r"\sphinxurl{https://specials.example.org/report\_2015.pdf}" in tex
    assert r"\sphinxurl{https://registry.example.org/entries/42?view=full\&lang=en}" in tex


def test_latex_escapes_specials_in_a_title(latex_build):
    app = latex_build
    tex = tex_of(app)
    escaped = (
        r"Costs 100\% \& more: \textbackslash{}input\{secret\} \#1 \$5 "
        r"\textasciicircum{}up\_down \textasciitilde{}tilde \{braces\} a \textbackslash{} b"
    )
    assert escaped in tex
    assert r"\input{secret}" not in tex
    assert r"\input\{secret" not in tex
    assert "A quote with 50\\% \\& a \\# sign." in tex


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("latexmk") and shutil.which("pdflatex")), reason="needs latexmk and pdflatex"
)
@pytest.mark.sphinx("latex", testroot="directive-latex", srcdir="directive-latex-pdf")
def test_latex_compiles_to_pdf_without_undefined_references(app):
    app.build()
    pdf, log = compile_tex(Path(app.outdir))
    assert pdf.is_file()
    assert re.search("undefined", log, re.IGNORECASE) is None, [
        line for line in log.splitlines() if "undefined" in line.lower()
    ]


# -- 5. warnings ------------------------------------------------------------------------------

WARN = "directive-warnings"
TRAP = "look like options"


def expected_warnings() -> list[tuple[str, int, str]]:
    """(file, line, type) of every warning the broken root must give, computed from its files."""
    md, rst = "broken-md.md", "broken-rst.rst"
    located = [
        (md, ":colour: red", "caselog.option"),
        (md, ":kind: nonsense", "caselog.kind"),
        (md, ":date: May 2014", "caselog.date"),
        (md, ":date: 2014-02-30", "caselog.date"),
        (md, ":published: 2018-13-01T10:00", "caselog.date"),
        (md, "flavour: bitter", "caselog.option"),
        (md, "kind: bogus", "caselog.kind"),
        (md, "date: 2014-13", "caselog.date"),
        (md, "published: 2018-13-01", "caselog.date", True),
        (md, "  javascript:alert(1)", "caselog.unsafe_url"),
        (md, "<JaVaScRiPt:alert(2)>", "caselog.unsafe_url"),
        (md, "vbscript:msgbox(3)", "caselog.unsafe_url"),
        (md, "data:text/html;base64", "caselog.unsafe_url"),
        (md, "file:///etc/passwd", "caselog.unsafe_url"),
        (md, "ftp://ftp.example.org/pub", "caselog.unsafe_url"),
        (md, "mailto:someone@example.org", "caselog.unsafe_url"),
        (md, "//evil.example/path", "caselog.unsafe_url"),
        (md, "Empty <>", "caselog.unsafe_url"),
        (rst, ":colour: red", "caselog.option"),
        (rst, ":kind: nonsense", "caselog.kind"),
        (rst, ":date: 2014-02-30", "caselog.date"),
        (rst, ":published: 2018-13-01", "caselog.date"),
        (rst, "      javascript:alert(1)", "caselog.unsafe_url"),
        (rst, "java\tscript:alert(5)", "caselog.unsafe_url"),
        (rst, "Protocol relative <//evil.example>", "caselog.unsafe_url"),
        ("untitled.md", ":::{case}", "caselog.missing_title"),
    ]
    return sorted(
        (name, line_of(WARN, name, needle, whole=bool(whole)), type_)
        for name, needle, type_, *whole in located
    )


BELOW = "vbscript:below(6)"  # located by its own test


@pytest.fixture(scope="module")
def warn_build(module_build):
    return module_build(WARN)


def located(app) -> list[tuple[str, int | None, str | None]]:
    """The caselog warnings, except the option-trap ones and BELOW, as (file, line, type)."""
    return sorted(
        (w.file, w.line, w.type)
        for w in caselog_warnings(app)
        if TRAP not in w.message and BELOW not in w.message
    )


def test_each_warning_is_located_at_its_option_line(warn_build):
    app = warn_build
    assert located(app) == expected_warnings()
    # nothing but caselog warnings, and no traceback for any of them
    assert [w for w in warnings_of(app) if not (w.type or "").startswith("caselog")] == []
    no_traceback(app)
    assert "javascript" not in " ".join(
        a.get("href", "").lower() for a in html_of(app, "broken-md").select("a")
    )


def test_a_source_below_the_option_name_is_located_on_its_own_line(warn_build):
    """``:source:`` with nothing after it, the sources on the following lines (rST)."""
    app = warn_build
    warning = [w for w in caselog_warnings(app) if BELOW in w.message]
    assert [(w.file, w.line, w.type) for w in warning] == [
        ("broken-rst.rst", line_of(WARN, "broken-rst.rst", BELOW), "caselog.unsafe_url")
    ]


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        pytest.param(
            "broken-md.md", "    https://trapped-indented.example/second", id="myst-indented"
        ),
        pytest.param("broken-md.md", "https://trapped-later.example/two", id="myst-later-option"),
        pytest.param("broken-rst.rst", ":date: 2014-09-09", id="rst-body-option"),
    ],
)
def test_option_trap_warns_at_the_trapped_line(warn_build, name, needle):
    app = warn_build
    traps = [
        (w.file, w.line, w.type)
        for w in caselog_warnings(app)
        if TRAP in w.message and needle.strip() in w.message
    ]
    assert traps == [(name, line_of(WARN, name, needle), "caselog.option")]


def test_option_trap_lines_are_left_out_of_the_case(warn_build):
    app = warn_build
    soup = html_of(app, "broken-md")
    indented = article(soup, "md-trap-indented")
    later = article(soup, "md-trap-later")
    for trapped, text in ((indented, "trapped-indented.example"), (later, "trapped-later.example")):
        assert text not in trapped.get_text()
        assert not any(text in a.get("href", "") for a in trapped.select("a"))
        # the quote after the trap is still the case's quote
        assert trapped.select_one("blockquote.caselog-quote") is not None
    assert [a["href"] for a in indented.select("a.reference.external")] == [
        "https://example.org/first"
    ]
    assert [a["href"] for a in later.select("a.reference.external")] == ["https://example.org/one"]
    # the trapped ":date:" line is neither shown nor applied
    assert ":date:" not in later.get_text()
    assert later.select("time") == []
    rst_trap = article(html_of(app, "broken-rst"), "rst-trap")
    assert "2014-09-09" not in rst_trap.get_text()
    assert "The body starts with something" in rst_trap.get_text()


def test_unknown_kind_falls_back_to_the_default_kind(warn_build):
    app = warn_build
    soup = html_of(app, "broken-md")
    for case_id in ("md-unknown-kind", "md-yaml-options"):
        body = article(soup, case_id)
        assert "caselog-kind-position" in body["class"]
        assert body.select_one("span.caselog-kind").get_text(strip=True) == "Position"
    # an invalid date leaves the case undated
    assert article(soup, "md-impossible-date").select("time") == []


ZERO = "directive-yearzero"


@pytest.mark.sphinx("html", testroot=ZERO, freshenv=True)
def test_year_zero_is_a_bad_date_not_a_crash(app):
    try:
        app.build()
    except Exception as exc:  # noqa: BLE001 (the point of the test)
        pytest.fail(f"the build crashed instead of warning caselog.date: {exc!r}")
    assert located(app) == sorted(
        [
            ("index.rst", line_of(ZERO, "index.rst", ":date: 0000", whole=True), "caselog.date"),
            ("index.rst", line_of(ZERO, "index.rst", ":date: 0000-05"), "caselog.date"),
        ]
    )


# -- edge cases ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def edge_build(module_build):
    return module_build("directive-edge")


def test_an_id_written_with_a_space_still_gives_a_valid_anchor(edge_build):
    """``:id: Schrems I``: an HTML id cannot contain whitespace, nor can a ``#fragment``."""
    app = edge_build
    soup = html_of(app, "index")
    (body,) = soup.select("article.caselog-case")
    assert body.select_one(".caselog-title").get_text(" ", strip=True).startswith("A case whose id")
    ids = [element["id"] for element in soup.select("[id]")]
    assert [i for i in ids if re.search(r"\s", i)] == []
    permalink = body.select_one(".caselog-title a.headerlink")["href"]
    assert permalink.startswith("#")
    assert permalink[1:] in ids


def test_myst_indented_code_after_a_blank_line_is_not_an_option_trap(edge_build):
    """Only an indented line right below the options is the trap; after a blank line it is
    an ordinary Markdown code block of the body."""
    app = edge_build
    assert [w for w in caselog_warnings(app) if w.file == "code.md"] == []
    body = article(html_of(app, "code"), "code-first")
    context = body.select_one("div.caselog-context")
    assert context is not None
    assert 'print("the leaked snippet")' in context.select_one("pre").get_text()
    assert "The snippet was published on a forum." in context.get_text()


@pytest.mark.sphinx("html", testroot="directive-emptyquote")
def test_an_empty_leading_quote_is_left_out_without_crashing(app) -> None:
    """A lone ``>`` used to crash the build (Sphinx unwrapped the classed empty quote)."""
    app.build()
    assert warnings_of(app) == []
    case = html_of(app, "index").find("article", id="empty-quote")
    assert case is not None
    assert case.select("blockquote") == []
    assert "The context is all there is." in case.select_one("div.caselog-context").get_text()
