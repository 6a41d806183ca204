"""Issue 15: indices, tables and tag pages as reading views; cases as headings; print.

Each test here failed before its fix (the browser suite in ``tests/browser`` checks
what only a browser can tell: overflow, search, axe, the validator).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import html_of, tex_of
from sphinx.testing.util import SphinxTestApp

ROOT = "reading-views"
DRI = "Digital Rights Ireland: the Data Retention Directive is invalid"


@pytest.fixture(scope="module")
def html(module_build) -> SphinxTestApp:
    return module_build(ROOT, "html")


@pytest.fixture(scope="module")
def latex(module_build) -> SphinxTestApp:
    return module_build(ROOT, "latex")


# -- indices ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["case-tags", "case-sources", "case-timeline"])
def test_indices_are_reading_views(html: SphinxTestApp, page: str) -> None:
    """No API-reference look: proportional type, no ISO dates, each case as a list
    item with its human date, under a heading per group with its count."""
    section = html_of(html, page).find("section", class_="caselog-index-page")
    assert section is not None
    assert not section.select("code, table.indextable")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", section.get_text())
    groups = section.select("section.caselog-index-group")
    assert groups
    for group in groups:
        assert re.fullmatch(r"\d+ cases?", group.select_one("h2 .caselog-count").get_text())
    dates = [t.get_text() for t in section.select("time.caselog-date")]
    assert "April 8, 2014" in dates


def test_tag_index_links_each_tag_to_its_page(html: SphinxTestApp) -> None:
    soup = html_of(html, "case-tags")
    heads = {
        h.select_one("a:not(.headerlink)").get_text(): h.select_one("a:not(.headerlink)")["href"]
        for h in soup.select("section.caselog-index-group > h2")
    }
    assert heads == {"data retention": "tags/data-retention.html", "privacy": "tags/privacy.html"}
    assert not (Path(html.outdir) / "tags" / "index.html").exists()  # one overview


def test_source_index_names_publishers_once(html: SphinxTestApp) -> None:
    soup = html_of(html, "case-sources")
    heads = [h.find("span").get_text() for h in soup.select("section.caselog-index-group > h2")]
    assert heads == ["Court of Justice of the EU", "EUR-Lex", "example.org"]
    # a publisher named after its host repeats nothing ("apple.com (apple.com)")
    group = soup.find("section", id="caselog-source-example-org")
    assert group.select(".caselog-index-hosts") == []
    eurlex = soup.find("section", id="caselog-source-eur-lex")
    assert eurlex.select_one(".caselog-index-hosts").get_text() == "eur-lex.europa.eu"
    assert [a.get_text() for a in eurlex.select(".caselog-index-sources a")] == [
        "Judgment in Joined Cases C-293/12 and C-594/12",
        "Directive 2006/24/EC",
    ]


# -- listings ---------------------------------------------------------------------------------


def test_table_names_each_publisher_once(html: SphinxTestApp) -> None:
    table = html_of(html, "listings").select_one("table.caselog-table")
    row = next(tr for tr in table.select("tbody tr") if DRI in tr.get_text())
    sources = row.find_all("td")[4]
    assert sources.get_text(" ", strip=True) == "EUR-Lex [2] , Court of Justice of the EU"
    assert [a["title"] for a in sources.find_all("a")] == [
        "Judgment in Joined Cases C-293/12 and C-594/12",
        "Directive 2006/24/EC",
        "Press release",
    ]


def test_listing_items_put_the_title_on_its_own_line(html: SphinxTestApp) -> None:
    """A long title wraps under itself: link first, then the meta line as a block."""
    tag_page = html_of(html, "tags/privacy")
    item = tag_page.select_one("p.caselog-item")
    assert item.contents[0].name == "a"
    assert item.select_one(":scope > .caselog-item-meta time.caselog-date") is not None


# -- tag pages --------------------------------------------------------------------------------


def test_tag_page_has_a_way_up_a_count_and_no_self_badge(html: SphinxTestApp) -> None:
    section = html_of(html, "tags/privacy").find("section", class_="caselog-tag-page")
    crumbs = section.select_one("p.caselog-breadcrumb")
    assert [(a["href"], a.get_text()) for a in crumbs.find_all("a")] == [
        ("../case-tags.html", "Tag index")
    ]
    assert crumbs.select_one(".caselog-breadcrumb-here").get_text() == "privacy"
    assert section.select_one("p.caselog-count").get_text() == "2 cases"
    badges = [b.get_text() for b in section.select(".caselog-listing .caselog-tag")]
    assert badges == ["data retention"]  # the other tag, never the page's own


# -- headings ---------------------------------------------------------------------------------


def test_case_title_is_a_heading_below_its_section(html: SphinxTestApp) -> None:
    article = html_of(html, "cases").find("article", id="dri")
    title = article.find(class_="caselog-title")
    assert title.name == "h3"  # under the page's h1 and the section's h2
    labels = article.select("[role=heading]")
    assert [(label.get_text(), label["aria-level"]) for label in labels] == [
        ("Context and Discussion", "4"),
        ("Sources", "4"),
        ("Tags", "4"),
        ("See also", "4"),
    ]


# -- print ------------------------------------------------------------------------------------


def test_index_labels_print_as_their_titles(latex: SphinxTestApp) -> None:
    tex = tex_of(latex)
    line = next(line for line in tex.splitlines() if line.startswith("Indices:"))
    for label in ("case-tags", "case-sources", "case-timeline", "case-tag-overview"):
        assert label not in line.replace("\\detokenize", "")
    assert "Tag index" in line and "Timeline" in line and "Source index" in line


def test_timeline_prints_human_dates(latex: SphinxTestApp) -> None:
    tex = tex_of(latex)
    assert "\\sphinxstyleindexextra{April 8, 2014}" in tex
    assert "\\sphinxstyleindexextra{June 2015}" in tex
    assert "2014-04-08" not in tex.split("\\renewcommand{\\indexname}{Timeline}")[1]


def test_print_package_keeps_cases_together_and_unhyphenated(latex: SphinxTestApp) -> None:
    sty = (Path(latex.outdir) / "sphinxcaselog.sty").read_text(encoding="utf-8")
    assert re.search(r"newenvironment\{sphinxcaselog\}\{%\s*\\par\\needspace", sty)
    for part in ("context", "sources", "tags", "see-also"):
        assert f"\\newenvironment{{sphinxclasscaselog-{part}}}" in sty
    assert "\\mbox{\\small\\sffamily\\bfseries\\MakeUppercase{#1}}" in sty  # kinds
    assert "\\mbox{\\small\\sffamily #1}" in sty  # dates
    assert "\\hyphenpenalty=\\@M" in sty  # the indices
    # and the parts carry the classes the environments hook on
    tex = tex_of(latex)
    for part in ("context", "sources", "tags", "see-also"):
        assert f"\\begin{{sphinxuseclass}}{{caselog-{part}}}" in tex


def test_print_asks_room_for_each_cases_own_closing_parts(latex: SphinxTestApp) -> None:
    """Sources, Tags and See also move to the next page together: the room asked for
    is measured per case (its sources' lines, its tags, its see-also entries), not a
    fixed guess that leaves a gap after a short tail or splits a long one."""
    sty = (Path(latex.outdir) / "sphinxcaselog.sty").read_text(encoding="utf-8")
    assert "\\newcommand{\\sphinxcaselogtail}[1]" in sty
    tex = tex_of(latex)
    asked = {}
    for block in tex.split("\\begin{sphinxcaselog}")[1:]:
        body = block.split("\\end{sphinxcaselog}")[0]
        label = re.search(r"\\label\{\\detokenize\{[^:}]*:([^}]+)\}\}", body)
        room = re.search(r"\\sphinxcaselogtail\{(\d+)\}", body)
        assert label and room, body[:300]
        # asked for before the parts it is for
        assert body.index("\\sphinxcaselogtail") < body.index("{caselog-sources}")
        asked[label[1]] = int(room[1])
    # dri: three sources with their URLs, two tags, a see-also; memo: one source, one tag;
    # at most a quarter of a page (a longer tail breaks between its sources)
    assert 5 <= asked["memo"] < asked["dri"] <= 12, asked
