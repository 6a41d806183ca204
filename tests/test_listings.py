"""The ``caselist`` directive: filters, order, limit, the four styles, warnings, links.

Most tests read one html (or latex) build of ``test-listing-filters``, made once per
module. Its cases (cases.md, cases_rst.rst, order.rst):

========================  ========  ==========  =========================  ==================
id                        kind      date        tags                       source (publisher)
========================  ========  ==========  =========================  ==================
a-2015                    ruling    2015        privacy                    curia (CJEU)
b-2015-06-15              position  2015-06-15  privacy, encryption        rfc-editor (IETF)
c-2016-04                 law       2016-04     Encryption                 datatracker (IETF)
d-2016-04-30              incident  2016-04-30  mass surveillance          —
e-2016-05-01              report    2016-05-01  privacy, Mass Surveillance example.com
f-undated                 position  —           privacy                    —
o-* (eight, order.rst)    statement 2009–2011   order                      —
========================  ========  ==========  =========================  ==================

filters_md.md and filters_rst.rst hold the same caselists, each under a heading
whose id names it; styles_md.md/styles_rst.rst show ``:tags: privacy`` in each style.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from helpers import (
    caselog_warnings,
    counts,
    edit,
    html_of,
    line_of,
    read_docs,
    status_of,
    tag_page_parts,
    written_docs,
)
from sphinx.testing.util import SphinxTestApp

ROOT = "listing-filters"
FURO = pytest.mark.skipif(importlib.util.find_spec("furo") is None, reason="furo not installed")
PAGES = ("filters_md", "filters_rst")
ORDER_NEWEST = [
    *("o-zed-new", "o-alpha", "o-beta", "o-same-1", "o-same-2", "o-zed-old"),
    *("o-aaa", "o-undated-one"),
]

#: section id → the ids its listing shows, in order
FILTERS = {
    # :tags: any of (spelled "Mass  Surveillance" in the filter, "Encryption" on a case)
    "any-tags": ["e-2016-05-01", "d-2016-04-30", "c-2016-04", "b-2015-06-15"],
    # :all-tags:
    "all-tags-privacy-surveillance": ["e-2016-05-01"],
    "all-tags-privacy-encryption": ["b-2015-06-15"],
    # :kind:
    "kinds": ["c-2016-04", "a-2015"],
    "one-kind": ["d-2016-04-30"],
    # :source: a publisher, a host seen in a source, a host only configured, by suffix
    "publisher": ["c-2016-04", "b-2015-06-15"],
    "seen-host": ["c-2016-04", "b-2015-06-15"],
    "configured-host": ["c-2016-04", "b-2015-06-15"],
    "court-by-host": ["a-2015"],
    "court-by-name": ["a-2015"],
    "two-sources": ["e-2016-05-01", "c-2016-04", "b-2015-06-15"],
    # :from:/:until:, inclusive, partial dates covering their whole period
    "from-a-month": ["e-2016-05-01", "d-2016-04-30", "c-2016-04", "b-2015-06-15", "a-2015"],
    "until-a-month": [
        *("d-2016-04-30", "c-2016-04", "b-2015-06-15", "a-2015"),
        *[i for i in ORDER_NEWEST if i not in {"o-aaa", "o-undated-one"}],
    ],
    "one-day": ["d-2016-04-30", "c-2016-04"],
    "one-month": ["b-2015-06-15", "a-2015"],
    "before-june": ["a-2015"],
    # filters combine with AND; the undated f-undated never matches a date filter
    "combined": ["b-2015-06-15"],
    "nothing": [],
    "unknown-tag": [],
}
ORDERS = {
    # -date reverses only the date: ties by casefolded title, then id; undated last
    "newest-first": ORDER_NEWEST,
    "oldest-first": [
        *("o-zed-old", "o-alpha", "o-beta", "o-same-1", "o-same-2", "o-zed-new"),
        *("o-aaa", "o-undated-one"),
    ],
    # title (casefolded), then date, then id
    "by-title": [
        *("o-aaa", "o-alpha", "o-beta", "o-same-1", "o-same-2", "o-undated-one"),
        *("o-zed-old", "o-zed-new"),
    ],
    "limited": ["o-zed-new", "o-alpha", "o-beta"],
    "limited-by-title": ["o-aaa", "o-alpha"],
}
#: the case's document
DOC = {
    **dict.fromkeys(("a-2015", "b-2015-06-15", "c-2016-04", "d-2016-04-30"), "cases"),
    **dict.fromkeys(("e-2016-05-01", "f-undated"), "cases_rst"),
    **dict.fromkeys(ORDER_NEWEST, "order"),
}
TITLE = {
    "a-2015": "Ruling of the year 2015",
    "b-2015-06-15": "Position in mid 2015",
    "e-2016-05-01": "Report of May 2016",
    "f-undated": "Undated position",
}
#: ``:tags: privacy`` newest first, as every style shows it
PRIVACY = ["e-2016-05-01", "b-2015-06-15", "a-2015", "f-undated"]


@pytest.fixture(scope="module")
def listing_html(module_build) -> SphinxTestApp:
    return module_build(ROOT)


@pytest.fixture(scope="module")
def listing_latex(module_build) -> SphinxTestApp:
    return module_build(ROOT, "latex")


def listing(soup, section_id: str):
    section = soup.find("section", id=section_id)
    assert section is not None, section_id
    boxes = section.find_all("div", class_="caselog-listing")
    assert len(boxes) == 1, section_id
    return boxes[0]


def listed_ids(box) -> list[str]:
    """The ids of the cases a listing links to, in order (tag links left out)."""
    ids = []
    for link in box.find_all("a", href=True):
        page, _, fragment = link["href"].partition("#")
        if fragment and "/tags/" not in f"/{page}":
            ids.append(fragment)
    return ids


# -- filters, order and limit -----------------------------------------------------------------


@pytest.mark.parametrize("section_id", list(FILTERS))
def test_each_filter_lists_the_matching_cases_in_myst_and_rst(
    listing_html: SphinxTestApp, section_id: str
) -> None:
    for page in PAGES:
        box = listing(html_of(listing_html, page), section_id)
        assert listed_ids(box) == FILTERS[section_id], page


@pytest.mark.parametrize("section_id", list(ORDERS))
def test_sort_and_limit_give_a_total_order(listing_html: SphinxTestApp, section_id: str) -> None:
    for page in PAGES:
        box = listing(html_of(listing_html, page), section_id)
        assert listed_ids(box) == ORDERS[section_id], page


def test_listing_links_go_to_the_cases_and_tags_to_their_pages(
    listing_html: SphinxTestApp,
) -> None:
    app = listing_html
    for page in PAGES:
        box = listing(html_of(app, page), "any-tags")
        case_links = [(p.a["href"], p.a.get_text(strip=True)) for p in box.select("p.caselog-item")]
        assert case_links == [
            ("cases_rst.html#e-2016-05-01", "Report of May 2016"),
            ("cases.html#d-2016-04-30", "Incident at the end of April"),
            ("cases.html#c-2016-04", "Law of April 2016"),
            ("cases.html#b-2015-06-15", "Position in mid 2015"),
        ]
        # every link lands on its case
        for href, title in case_links:
            doc, _, anchor = href.partition("#")
            target = html_of(app, doc.removesuffix(".html")).find(id=anchor)
            assert target is not None and title in target.get_text(), href
        tags = [
            (a["href"], a.get_text(strip=True))
            for a in box.find_all("a")
            if a.find(class_="caselog-tag")
        ]
        assert tags == [
            ("tags/privacy.html", "privacy"),
            ("tags/mass-surveillance.html", "mass surveillance"),
            ("tags/mass-surveillance.html", "mass surveillance"),
            ("tags/encryption.html", "encryption"),
            ("tags/privacy.html", "privacy"),
            ("tags/encryption.html", "encryption"),
        ]
        for href, _ in tags:
            assert (Path(app.outdir) / href).is_file(), href


def test_a_listing_anywhere_links_relative_to_its_page(listing_html: SphinxTestApp) -> None:
    """In a subfolder, inside an admonition and a list item."""
    soup = html_of(listing_html, "sub/placed")
    box = soup.select_one("div.admonition li div.caselog-listing.caselog-style-table")
    assert box is not None
    assert [a["href"] for a in box.find_all("a") if "#" in a["href"]] == [
        "../cases.html#c-2016-04",
        "../cases.html#a-2015",
    ]
    assert {a["href"] for a in box.find_all("a") if a.find(class_="caselog-tag")} == {
        "../tags/encryption.html",
        "../tags/privacy.html",
    }


def test_an_empty_result_says_so_without_a_warning(listing_html: SphinxTestApp) -> None:
    for page in PAGES:
        for section_id in ("nothing", "unknown-tag"):
            box = listing(html_of(listing_html, page), section_id)
            empty = box.select("p.caselog-empty")
            assert [p.get_text(strip=True) for p in empty] == ["No cases match."]
            assert box.find("ul") is None and box.find("table") is None
    # no vocabulary: a tag that no case has is no reason to warn
    found = [w for w in caselog_warnings(listing_html) if w.file.startswith("filters")]
    assert found == []


# -- styles -----------------------------------------------------------------------------------

STYLE_PAGES = ("styles_md", "styles_rst")


@pytest.mark.parametrize("page", STYLE_PAGES)
def test_list_style(listing_html: SphinxTestApp, page: str) -> None:
    box = listing(html_of(listing_html, page), "list-style")
    assert box["class"][:2] == ["caselog-listing", "caselog-style-list"]
    items = box.select("ul.caselog-list > li > p.caselog-item")
    assert len(items) == len(PRIVACY)
    assert listed_ids(box) == PRIVACY
    first = items[0]
    assert first.find("a").get_text(strip=True) == TITLE["e-2016-05-01"]
    time = first.find("time", class_="caselog-date")
    assert (time["datetime"], time.get_text(strip=True)) == ("2016-05-01", "May 1, 2016")
    assert first.find(class_="caselog-kind").get_text(strip=True) == "Report"
    assert [t.get_text(strip=True) for t in first.select("a .caselog-tag")] == [
        "privacy",
        "mass surveillance",
    ]
    # the undated case says so
    assert items[-1].find(class_="caselog-undated") is not None
    assert items[-1].find("time") is None


@pytest.mark.parametrize("page", STYLE_PAGES)
def test_table_style(listing_html: SphinxTestApp, page: str) -> None:
    box = listing(html_of(listing_html, page), "table-style")
    assert "caselog-style-table" in box["class"]
    table = box.select_one("table.caselog-table")
    assert table is not None
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Date", "Title", "Kind", "Tags", "Sources"]
    rows = [tr.find_all("td") for tr in table.select("tbody tr")]
    assert [r[1].find("a")["href"].partition("#")[2] for r in rows] == PRIVACY
    date, title, kind, tags, sources = rows[0]
    assert date.find("time")["datetime"] == "2016-05-01"
    assert title.get_text(strip=True) == TITLE["e-2016-05-01"]
    assert kind.get_text(strip=True) == "Report"
    assert [(a["href"], a.get_text(strip=True)) for a in tags.find_all("a")] == [
        ("tags/privacy.html", "privacy"),
        ("tags/mass-surveillance.html", "mass surveillance"),
    ]
    assert [(a["href"], a.get_text(strip=True)) for a in sources.find_all("a")] == [
        ("https://example.com/story", "example.com")
    ]
    assert rows[3][0].get_text(strip=True) == "undated"
    assert rows[3][4].get_text(strip=True) == ""


@pytest.mark.parametrize("page", STYLE_PAGES)
def test_cards_style(listing_html: SphinxTestApp, page: str) -> None:
    box = listing(html_of(listing_html, page), "cards-style")
    assert "caselog-style-cards" in box["class"]
    cards = box.select(".sd-card")
    assert len(cards) == len(PRIVACY)
    assert listed_ids(box) == PRIVACY
    # the excerpt is the quote's first sentence
    assert [c.select_one(".caselog-excerpt").get_text(strip=True) for c in cards] == [
        "A report found things.",
        "Encryption must be the default!",
        "The court ruled on transfers.",
        "Nobody knows when.",
    ]
    title_link = cards[1].select_one(".sd-card-title a")
    assert title_link["href"] == "cases.html#b-2015-06-15"
    assert title_link.get_text(strip=True) == TITLE["b-2015-06-15"]
    footer = cards[1].select_one(".sd-card-footer")
    assert footer.find("time")["datetime"] == "2015-06-15"
    assert [a["href"] for a in footer.find_all("a")] == [
        "tags/privacy.html",
        "tags/encryption.html",
    ]


@pytest.mark.parametrize("page", STYLE_PAGES)
def test_timeline_style_groups_under_year_headings(listing_html: SphinxTestApp, page: str) -> None:
    box = listing(html_of(listing_html, page), "timeline-style")
    assert "caselog-style-timeline" in box["class"]
    groups: dict[str, list[str]] = {}
    heading = None
    for child in box.find_all(["p", "ul"], recursive=False):
        if "caselog-year" in child.get("class", []):
            heading = child.get_text(strip=True)
            groups[heading] = []
        else:
            assert heading is not None and child.name == "ul"
            groups[heading] += listed_ids(child)
    assert groups == {
        "2016": ["e-2016-05-01"],
        "2015": ["b-2015-06-15", "a-2015"],
        "Undated": ["f-undated"],
    }


# -- warnings ---------------------------------------------------------------------------------


#: (file, text on the bad option's line, how the warning starts)
BAD_OPTIONS = [
    *(
        (filename, needle, start)
        for filename in ("options_md.md", "options_rst.rst")
        for needle, start in (
            (":colour: red", "unknown option"),
            (":kind: ruling, verdict", "unknown kind"),
            (":style: carousel", "unknown :style:"),
            (":sort: newest", "unknown :sort:"),
            (":from: 2015-13", "bad :from:"),
            (":limit: -1", "bad :limit:"),
        )
    ),
    ("options_md.md", "limit: lots", "bad :limit:"),  # in a MyST '---' YAML block
    ("options_rst.rst", ":until: 20160", "bad :until:"),
]


def test_bad_options_warn_at_their_line(listing_html: SphinxTestApp) -> None:
    found = {
        (w.file, w.line, w.level, w.type, " ".join(w.message.split()[:2]))
        for w in caselog_warnings(listing_html)
    }
    assert found == {
        (filename, line_of(ROOT, filename, needle), "WARNING", "caselog.option", start)
        for filename, needle, start in BAD_OPTIONS
    }


def test_bad_option_messages_name_the_value(listing_html: SphinxTestApp) -> None:
    messages = [w.message for w in caselog_warnings(listing_html) if w.file == "options_rst.rst"]
    for value in ("colour", "verdict", "carousel", "newest", "2015-13", "-1", "20160"):
        assert any(value in m for m in messages), value


def test_bad_option_values_fall_back_to_the_defaults(listing_html: SphinxTestApp) -> None:
    for page in ("options_md", "options_rst"):
        boxes = html_of(listing_html, page).select("div.caselog-listing")
        assert len(boxes) == 7
        unknown_option, bad_kind, bad_style, bad_sort, bad_from, bad_limit, last = boxes
        assert listed_ids(unknown_option) == PRIVACY
        # the known kind still filters
        assert listed_ids(bad_kind) == ["a-2015"]
        # an unknown style is the list style, an unknown sort newest first
        assert "caselog-style-list" in bad_style["class"]
        assert bad_style.select("ul.caselog-list > li > p.caselog-item")
        assert listed_ids(bad_sort) == PRIVACY
        # a bad date or limit is ignored
        assert len(listed_ids(bad_from)) == len(DOC)
        assert listed_ids(bad_limit) == PRIVACY
        assert len(listed_ids(last)) == (len(PRIVACY) if page == "options_md" else len(DOC))


# -- LaTeX ------------------------------------------------------------------------------------

_SECTION = re.compile(r"\\(?:section|chapter)\{")
_LABEL = re.compile(r"\\label\{\\detokenize\{([^{}]*)\}\}")
_HYPERREF = re.compile(r"\\hyperref\[\\detokenize\{([^{}:]*):([^{}]*)\}\]")


def latex_sections(app: SphinxTestApp) -> tuple[str, dict[str, str]]:
    """The .tex, and its sections by their first label (``doc:section-id``)."""
    tex_files = list(Path(app.outdir).glob("*.tex"))
    assert len(tex_files) == 1
    tex = tex_files[0].read_text(encoding="utf-8")
    sections = {}
    for chunk in _SECTION.split(tex)[1:]:
        label = _LABEL.search(chunk)
        if label:
            sections[label[1]] = chunk
    return tex, sections


def test_latex_listings_link_to_the_cases_documents(listing_latex: SphinxTestApp) -> None:
    """All documents are one tree in LaTeX: each link names the case's document."""
    tex, sections = latex_sections(listing_latex)
    labels = set(_LABEL.findall(tex))
    for page in PAGES:
        for section_id, expected in {**FILTERS, **ORDERS}.items():
            chunk = sections[f"{page}:{section_id}"]
            refs = _HYPERREF.findall(chunk)
            assert [anchor for _, anchor in refs] == expected, (page, section_id)
            assert [doc for doc, _ in refs] == [DOC[i] for i in expected], (page, section_id)
            for doc, anchor in refs:
                assert f"{doc}:{anchor}" in labels
            if not expected:
                assert "No cases match." in chunk


@pytest.mark.parametrize("style", ["list", "table", "cards", "timeline"])
def test_latex_styles_link_cases_and_show_tags_as_emphasis(
    listing_latex: SphinxTestApp, style: str
) -> None:
    _tex, sections = latex_sections(listing_latex)
    for page in STYLE_PAGES:
        chunk = sections[f"{page}:{style}-style"]
        assert [f"{d}:{a}" for d, a in _HYPERREF.findall(chunk)] == [
            f"{DOC[i]}:{i}" for i in PRIVACY
        ]
        assert ".html" not in chunk
        tags = re.findall(r"\\sphinxstyleemphasis\{\\DUrole\{caselog-tag\}\{([^{}]*)\}\}", chunk)
        assert tags[:2] == ["privacy", "mass surveillance"], (page, style)
        if style == "timeline":
            assert re.findall(r"\\subsubsection\*\{([^{}]*)\}", chunk) == [
                "2016",
                "2015",
                "Undated",
            ]


def test_latex_listing_has_no_html_links(listing_latex: SphinxTestApp) -> None:
    tex, sections = latex_sections(listing_latex)
    targets = re.findall(r"\\(?:hyperref\[|sphinxhref\{|href\{|url\{)([^\]}]*)", tex)
    assert targets
    assert not [t for t in targets if ".html" in t]
    placed = sections["sub/placed:placed-anywhere"]
    assert [f"{d}:{a}" for d, a in _HYPERREF.findall(placed)] == [
        "cases:c-2016-04",
        "cases:a-2015",
    ]


# -- incremental builds -----------------------------------------------------------------------
#
# test-listing-incremental: a.md holds watched-1 ("Watched one", 2015-03, watched) and
# watched-2 ("Watched two", 2014, watched + other); u.md unrelated-1 (2010, unrelated).
# b.md lists ``:tags: watched``, c.md ``:tags: unrelated``, e.md ``:from: 2015`` (as a
# table, then as cards); d.md has no listing. Every page but index is an orphan.

WATCHED_ONE = """:::{case} Watched one
:id: watched-1
:date: 2015-03
:tags: watched

> The first watched sentence. A second one.
:::
"""


@pytest.fixture
def project(rebuilds):
    return rebuilds("listing-incremental")


def rewritten(app) -> set[str]:
    """The documents written, less the root document, which Sphinx < 8.2 writes on every
    build that changed anything."""
    return written_docs(app) - {"index"}


def items(app, docname: str) -> list[tuple[str, str, list[str]]]:
    """(id, title, tag titles) of each case the page's listing shows."""
    box = html_of(app, docname).find("div", class_="caselog-listing")
    result = []
    for link in box.find_all("a", href=True):
        if "#" in link["href"] and "tags/" not in link["href"]:
            row = link.find_parent(["li", "tr"])
            tags = [t.get_text(strip=True) for t in row.select(".caselog-tag")]
            result.append((link["href"].partition("#")[2], link.get_text(strip=True), tags))
    return result


def tag_groups(app, slug: str) -> list[tuple[str, list[str]]]:
    return tag_page_parts(html_of(app, f"tags/{slug}"))[2]


def test_incremental_added_case_is_listed_on_an_unchanged_page(project) -> None:
    srcdir, build = project
    first = build()
    assert [i for i, _, _ in items(first, "b")] == ["watched-1", "watched-2"]
    with (srcdir / "a.md").open("a", encoding="utf-8") as stream:
        stream.write(
            "\n:::{case} Watched three\n:id: watched-3\n:date: 2016-01\n:tags: watched\n:::\n"
        )
    second = build()
    assert read_docs(second) == {"a"}
    assert rewritten(second) == {"a", "b", "e"}
    assert items(second, "b") == [
        ("watched-3", "Watched three", ["watched"]),
        ("watched-1", "Watched one", ["watched"]),
        ("watched-2", "Watched two", ["watched", "other"]),
    ]
    assert [i for i, _, _ in items(second, "e")] == ["watched-3", "watched-1"]
    assert tag_groups(second, "watched") == [
        ("2016", ["watched-3"]),
        ("2015", ["watched-1"]),
        ("2014", ["watched-2"]),
    ]


def test_incremental_title_edit_shows_in_listings_and_tag_pages(project) -> None:
    srcdir, build = project
    build()
    edit(srcdir / "a.md", "Watched one", "Renamed one")
    second = build()
    assert read_docs(second) == {"a"}
    assert rewritten(second) == {"a", "b", "e"}
    assert items(second, "b")[0][:2] == ("watched-1", "Renamed one")
    assert items(second, "e")[0][:2] == ("watched-1", "Renamed one")
    page = html_of(second, "tags/watched").find("section", class_="caselog-tag-page")
    assert "Renamed one" in page.get_text()
    assert "Watched one" not in page.get_text()


def test_incremental_date_edit_reorders_listings_and_tag_pages(project) -> None:
    srcdir, build = project
    build()
    edit(srcdir / "a.md", ":date: 2014\n", ":date: 2016-07\n")
    second = build()
    assert read_docs(second) == {"a"}
    assert rewritten(second) == {"a", "b", "e"}
    assert [i for i, _, _ in items(second, "b")] == ["watched-2", "watched-1"]
    assert [i for i, _, _ in items(second, "e")] == ["watched-2", "watched-1"]
    assert tag_groups(second, "watched") == [("2016", ["watched-2"]), ("2015", ["watched-1"])]
    assert "2016-07" in {t["datetime"] for t in html_of(second, "b").select("time")}


def test_incremental_quote_edit_updates_the_card_excerpt(project) -> None:
    srcdir, build = project
    first = build()
    excerpts = [p.get_text(strip=True) for p in html_of(first, "e").select(".caselog-excerpt")]
    assert excerpts == ["The first watched sentence."]
    edit(srcdir / "a.md", "The first watched sentence.", "An edited sentence!")
    second = build()
    assert read_docs(second) == {"a"}
    assert "e" in rewritten(second)
    assert not {"c", "d", "u"} & rewritten(second)
    excerpts = [p.get_text(strip=True) for p in html_of(second, "e").select(".caselog-excerpt")]
    assert excerpts == ["An edited sentence!"]


def test_incremental_retag_rewrites_only_the_listings_that_changed(project) -> None:
    """watched-2 (2014) is not in e's listing (from 2015), nor in c's: neither is re-written."""
    srcdir, build = project
    first = build()
    outdir = Path(first.outdir)
    mtimes = {doc: (outdir / f"{doc}.html").stat().st_mtime_ns for doc in ("c", "d", "e", "u")}
    edit(srcdir / "a.md", ":tags: watched, other", ":tags: watched, extra")
    second = build()
    assert read_docs(second) == {"a"}
    assert rewritten(second) == {"a", "b"}
    assert {doc: (outdir / f"{doc}.html").stat().st_mtime_ns for doc in mtimes} == mtimes
    assert items(second, "b")[1] == ("watched-2", "Watched two", ["watched", "extra"])
    assert tag_groups(second, "extra") == [("2014", ["watched-2"])]
    overview = html_of(second, "case-tags").select(
        "section.caselog-index-group > h2 > a:not(.headerlink)"
    )
    assert [a.get_text(strip=True) for a in overview] == ["extra", "unrelated", "watched"]


def test_incremental_retag_out_of_a_listing(project) -> None:
    srcdir, build = project
    build()
    edit(srcdir / "a.md", ":date: 2015-03\n:tags: watched\n", ":date: 2015-03\n:tags: other\n")
    second = build()
    assert read_docs(second) == {"a"}
    assert rewritten(second) == {"a", "b", "e"}
    assert [i for i, _, _ in items(second, "b")] == ["watched-2"]
    assert items(second, "e") == [("watched-1", "Watched one", ["other"])]
    assert tag_groups(second, "watched") == [("2014", ["watched-2"])]
    assert tag_groups(second, "other") == [("2015", ["watched-1"]), ("2014", ["watched-2"])]


def test_incremental_deleted_cases_leave_the_listings(project) -> None:
    srcdir, build = project
    build()
    edit(srcdir / "a.md", WATCHED_ONE, "")
    (srcdir / "u.md").unlink()
    second = build()
    assert counts(second) == (0, 1, 1)
    assert read_docs(second) == {"a"}
    assert rewritten(second) == {"a", "b", "c", "e"}
    assert [i for i, _, _ in items(second, "b")] == ["watched-2"]
    for page in ("c", "e"):
        box = html_of(second, page).find("div", class_="caselog-listing")
        assert [p.get_text(strip=True) for p in box.select("p.caselog-empty")] == [
            "No cases match."
        ], page
    assert tag_groups(second, "watched") == [("2014", ["watched-2"])]
    overview = html_of(second, "case-tags").select(
        "section.caselog-index-group > h2 > a:not(.headerlink)"
    )
    assert [a.get_text(strip=True) for a in overview] == ["other", "watched"]


def test_incremental_a_tag_page_left_without_cases_lists_none(project) -> None:
    """Retag the only case of "other": its page must not keep listing the case (a clean
    build writes no such page; Sphinx never removes an output file by itself)."""
    srcdir, build = project
    first = build()
    assert tag_groups(first, "other") == [("2014", ["watched-2"])]
    edit(srcdir / "a.md", ":tags: watched, other", ":tags: watched, extra")
    second = build()
    page = Path(second.outdir) / "tags" / "other.html"
    listed = tag_groups(second, "other") if page.exists() else []
    assert listed == [], "tags/other.html still lists a case that is no longer tagged other"


@pytest.mark.parametrize(
    ("builder", "theme"),
    [
        ("html", "alabaster"),
        pytest.param("html", "furo", marks=FURO),
        ("dirhtml", "alabaster"),
    ],
)
def test_incremental_rebuild_without_changes_reads_and_writes_nothing(
    project, builder: str, theme: str
) -> None:
    """And succeeds: the tag pages are rendered with no document written before them."""
    _, build = project
    overrides = {"confoverrides": {"html_theme": theme}}
    first = build(builder, **overrides)
    docs = {"a", "b", "c", "d", "e", "index", "u"}
    assert written_docs(first) == docs
    outdir = Path(first.outdir)
    pages = [outdir / Path(first.builder.get_target_uri(doc) or "index.html") for doc in docs]
    pages = [p / "index.html" if not p.suffix else p for p in pages]
    mtimes = {p: p.stat().st_mtime_ns for p in pages}
    second = build(builder, **overrides)
    assert counts(second) == (0, 0, 0)
    assert read_docs(second) == set()
    assert written_docs(second) == set()
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    assert "build succeeded" in status_of(second)
    assert not caselog_warnings(second)
    # the tag pages are still there, whole, in the theme's layout
    assert tag_groups(second, "watched") == [("2015", ["watched-1"]), ("2014", ["watched-2"])]
    assert html_of(second, "case-tags").select(
        "section.caselog-index-group > h2 > a:not(.headerlink)"
    )
    main = "article[role=main]" if theme == "furo" else "div.body"
    assert html_of(second, "tags/watched").select_one(f"{main} section.caselog-tag-page")
