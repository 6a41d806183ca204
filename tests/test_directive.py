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
from conftest import ROOTS, caselog_warnings, compile_tex, html_of, warnings_of
from docutils import nodes
from sphinx import addnodes

from sphinx_caselog.nodes import case

# -- helpers ------------------------------------------------------------------------------


def root_file(root: str, name: str) -> Path:
    return ROOTS / f"test-{root}" / name


def line_of(root: str, name: str, needle: str, *, whole: bool = False) -> int:
    """The 1-based line of the one line of ``test-<root>/<name>`` that contains *needle*
    (or, with *whole*, that is *needle* once stripped).

    Fails (instead of silently matching something else) if the needle is not unique.
    """
    lines = root_file(root, name).read_text(encoding="utf-8").splitlines()
    found = [
        number
        for number, line in enumerate(lines, start=1)
        if (line.strip() == needle.strip() if whole else needle in line)
    ]
    assert len(found) == 1, f"{needle!r} must occur exactly once in {name}, found at {found}"
    return found[0]


def raw_warnings(app) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())


def assert_no_traceback(app) -> None:
    stream = raw_warnings(app)
    assert "Traceback" not in stream
    assert "Exception occurred" not in stream
    assert 'File "' not in stream


def article(soup: BeautifulSoup, case_id: str):
    found = soup.select(f"article.caselog-case#{case_id}")
    assert len(found) == 1, f"expected one article #{case_id}, found {len(found)}"
    return found[0]


# -- 1. MyST and rST give the same doctree ---------------------------------------------------


def normalised(node: case) -> str:
    """The case subtree without what necessarily differs between two files."""
    copy = node.deepcopy()
    for element in copy.findall(nodes.Element):
        for attribute in ("source", "line", "refdoc"):
            element.attributes.pop(attribute, None)
        element.source = None
        element.line = None
    return copy.pformat()


@pytest.mark.sphinx("html", testroot="directive-equivalence", freshenv=True)
def test_myst_and_rst_give_the_same_case_doctree(app):
    app.build()
    (myst_case,) = app.env.get_doctree("myst").findall(case)
    (rst_case,) = app.env.get_doctree("rst").findall(case)

    # Not vacuous: the case really has every part the two syntaxes must agree on.
    assert myst_case["caseid"] == "same-case"
    assert "featured" in myst_case["classes"]
    # A titled source carries its URL written out too (HTML swaps it for the host).
    assert [r["refuri"] for r in myst_case.findall(nodes.reference)] == [
        "https://curia.europa.eu/juris/liste.jsf?num=C-293/12",
        "https://curia.europa.eu/juris/liste.jsf?num=C-293/12",
        "https://www.example.org/analysis",
    ]
    (attribution,) = myst_case.findall(nodes.attribution)
    assert attribution.astext() == "Court of Justice of the EU"
    (quote,) = (q for q in myst_case.findall(nodes.block_quote))
    assert len([p for p in quote.children if isinstance(p, nodes.paragraph)]) == 2
    assert "Member states had to transpose it." in myst_case.astext()
    assert {x["reftarget"] for x in myst_case.findall(addnodes.pending_xref)} == {
        "other-case",
        "privacy",
        "data retention",
    }

    assert normalised(myst_case) == normalised(rst_case)
    # The same id on two pages is a duplicate; nothing else may be reported.
    assert {w.type for w in warnings_of(app)} <= {"caselog.duplicate_id"}
    assert_no_traceback(app)


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


@pytest.mark.parametrize(
    "builder",
    [
        pytest.param(b, marks=pytest.mark.sphinx(b, testroot="directive-builders", freshenv=True))
        for b in BUILDERS
    ],
)
def test_every_builder_builds_the_case_without_warnings(app, builder):
    app.build()
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
    if builder == "texinfo":
        assert "@indicateurl{https://regulator.example.org/decisions/2019/17}" in text


@pytest.mark.sphinx("gettext", testroot="directive-builders", freshenv=True)
def test_gettext_extracts_the_case_text_but_not_the_labels(app):
    app.build()
    assert raw_warnings(app).strip() == ""
    msgids = set()
    for pot in Path(app.outdir).glob("*.pot"):
        msgids |= set(re.findall(r'^msgid "(.+)"$', pot.read_text(encoding="utf-8"), re.MULTILINE))
    for message in (*TITLES, *QUOTES, *CONTEXTS):
        assert message in msgids, f"no msgid for {message!r}"
    for label in ("Context and Discussion", "Sources", "Tags", "See also", "Ruling", "Position"):
        assert label not in msgids, f"the generated label {label!r} was extracted"


# -- 3. HTML structure ---------------------------------------------------------------------

HTML = pytest.mark.sphinx("html", testroot="directive-html")


@HTML
def test_html_article_title_and_permalink(app):
    app.build()
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


@HTML
def test_html_meta_kind_and_dates(app):
    app.build()
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


@HTML
def test_html_quote_context_sources_tags_and_see_also(app):
    app.build()
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


@HTML
def test_html_dash_in_a_myst_quote_becomes_the_attribution(app):
    app.build()
    dash = article(html_of(app, "a-full"), "dash-case")
    quote = dash.select_one("blockquote.caselog-quote")
    assert quote.select_one("p.attribution > cite").get_text(strip=True) == "A privacy scholar"
    assert [p.get_text(strip=True) for p in quote.select("p:not(.attribution)")] == [
        "Privacy is not secrecy."
    ]


@HTML
def test_html_tag_shows_the_spelling_of_its_first_use(app):
    """a-full.md (read first) writes "Mass Surveillance"; b-dates.rst "mass   SURVEILLANCE"."""
    app.build()
    badges = article(html_of(app, "b-dates"), "month-case").select("span.caselog-tag")
    assert [b.get_text(strip=True) for b in badges] == ["Mass Surveillance"]


@HTML
def test_html_unsafe_source_is_text_and_never_a_link(app):
    app.build()
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


@HTML
def test_html_page_per_case_section_carries_the_id(app):
    app.build()
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

LATEX = pytest.mark.sphinx("latex", testroot="directive-latex")


def tex_of(app) -> str:
    (tex,) = Path(app.outdir).glob("*.tex")
    return tex.read_text(encoding="utf-8")


@LATEX
def test_latex_case_blocks_labels_and_package(app):
    app.build()
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


@LATEX
def test_latex_escapes_specials_in_a_title(app):
    app.build()
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


def located(app) -> list[tuple[str, int | None, str | None]]:
    """The caselog warnings, except the option-trap ones and BELOW, as (file, line, type)."""
    return sorted(
        (w.file, w.line, w.type)
        for w in caselog_warnings(app)
        if TRAP not in w.message and BELOW not in w.message
    )


@pytest.mark.sphinx("html", testroot=WARN, freshenv=True)
def test_each_warning_is_located_at_its_option_line(app):
    app.build()
    assert located(app) == expected_warnings()
    # nothing but caselog warnings, and no traceback for any of them
    assert [w for w in warnings_of(app) if not (w.type or "").startswith("caselog")] == []
    assert_no_traceback(app)
    assert "javascript" not in " ".join(
        a.get("href", "").lower() for a in html_of(app, "broken-md").select("a")
    )


@pytest.mark.sphinx("html", testroot=WARN, freshenv=True)
def test_a_source_below_the_option_name_is_located_on_its_own_line(app):
    """``:source:`` with nothing after it, the sources on the following lines (rST)."""
    app.build()
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
@pytest.mark.sphinx("html", testroot=WARN, freshenv=True)
def test_option_trap_warns_at_the_trapped_line(app, name, needle):
    app.build()
    traps = [
        (w.file, w.line, w.type)
        for w in caselog_warnings(app)
        if TRAP in w.message and needle.strip() in w.message
    ]
    assert traps == [(name, line_of(WARN, name, needle), "caselog.option")]


@pytest.mark.sphinx("html", testroot=WARN)
def test_option_trap_lines_are_left_out_of_the_case(app):
    app.build()
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


@pytest.mark.sphinx("html", testroot=WARN, freshenv=True)
def test_unknown_kind_falls_back_to_the_default_kind(app):
    app.build()
    soup = html_of(app, "broken-md")
    for case_id in ("md-unknown-kind", "md-yaml-options"):
        body = article(soup, case_id)
        assert "caselog-kind-position" in body["class"]
        assert body.select_one("span.caselog-kind").get_text(strip=True) == "Position"
    # an invalid date leaves the case undated
    assert article(soup, "md-impossible-date").select("time") == []


@pytest.mark.sphinx(
    "html", testroot=WARN, freshenv=True, confoverrides={"suppress_warnings": ["caselog.kind"]}
)
def test_suppressing_one_subtype_silences_only_it(app):
    app.build()
    types = {w.type for w in caselog_warnings(app)}
    assert "caselog.kind" not in types
    assert types >= {
        "caselog.option",
        "caselog.date",
        "caselog.unsafe_url",
        "caselog.missing_title",
    }
    expected = [w for w in expected_warnings() if w[2] != "caselog.kind"]
    assert located(app) == expected


@pytest.mark.sphinx(
    "html", testroot=WARN, freshenv=True, confoverrides={"suppress_warnings": ["caselog"]}
)
def test_suppressing_caselog_silences_every_subtype(app):
    app.build()
    assert caselog_warnings(app) == []
    assert "caselog" not in raw_warnings(app)
    assert warnings_of(app) == []


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

EDGE = pytest.mark.sphinx("html", testroot="directive-edge", freshenv=True)


@EDGE
def test_an_id_written_with_a_space_still_gives_a_valid_anchor(app):
    """``:id: Schrems I``: an HTML id cannot contain whitespace, nor can a ``#fragment``."""
    app.build()
    soup = html_of(app, "index")
    (body,) = soup.select("article.caselog-case")
    assert body.select_one(".caselog-title").get_text(" ", strip=True).startswith("A case whose id")
    ids = [element["id"] for element in soup.select("[id]")]
    assert [i for i in ids if re.search(r"\s", i)] == []
    permalink = body.select_one(".caselog-title a.headerlink")["href"]
    assert permalink.startswith("#")
    assert permalink[1:] in ids


@EDGE
def test_myst_indented_code_after_a_blank_line_is_not_an_option_trap(app):
    """Only an indented line right below the options is the trap; after a blank line it is
    an ordinary Markdown code block of the body."""
    app.build()
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
