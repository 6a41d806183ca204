"""The ``case`` domain: roles, publishers, indices (HTML and LaTeX), objects.inv, search, warnings.

Most tests read one html (or latex) build of ``test-domain-refs`` made once per
module by the ``refs_html``/``refs_latex`` fixtures. Duplicate ids across far-apart
documents use ``test-domain-many``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import (
    Row,
    caselog_warnings,
    grouped,
    html_of,
    index_rows,
    inventory,
    line_of,
    links,
    paragraph,
    read_in_parallel,
    search_index,
    search_objects,
    search_pages,
)
from sphinx.testing.util import SphinxTestApp

IETF_TITLE = "IETF declares pervasive monitoring an attack"
SCHREMS_TITLE = "CJEU invalidates Safe Harbour"

#: Every case of test-domain-refs that wins its id: id → (docname, title).
CASES = {
    "ietf-pervasive-monitoring": ("cases", IETF_TITLE),
    "datatracker-history": ("cases", "Datatracker history"),
    "broken-see-also": ("cases", "Broken see-also"),
    "schrems-i": ("rstcases", SCHREMS_TITLE),
    "xx-gamma-month": ("timeline", "Gamma month"),
    "yy-beta-year": ("timeline", "Beta year"),
    "aardvark-late": ("timeline", "Aardvark late"),
    "zz-alpha-day": ("timeline", "Alpha day"),
    "same-b": ("timeline", "Same title"),
    "same-a": ("timeline", "Same title"),
    "undated-b": ("timeline", "Undated B"),
    "undated-a": ("timeline", "Undated A"),
    "later-ruling": ("timeline", "Later ruling"),
    "untitled-case-section": ("sections", "Untitled case section"),
    "explicit-in-section": ("sections", "Another heading"),
    "collision": ("sections", "Colliding case"),
    "twice": ("dupes", "Twice first"),
}
#: tag key → display name
TAGS = {
    "position": "Position",
    "privacy": "privacy",
    "mass surveillance": "Mass Surveillance",
    "strasse": "Straße",
    "données": "Données",
    "data protection": "Data Protection",
    "sectioned": "sectioned",
}
PUBLISHERS = {
    "curia.europa.eu",
    "EFF",
    "Example",
    "Example News",
    "IETF",
    "notietf.org",
    "unmapped.net",
}


@pytest.fixture(scope="module")
def refs_html(module_build) -> SphinxTestApp:
    return module_build("domain-refs")


@pytest.fixture(scope="module")
def refs_latex(module_build) -> SphinxTestApp:
    return module_build("domain-refs", "latex")


# -- roles --------------------------------------------------------------------------------


def test_case_ref_links_to_the_case_and_shows_its_title(refs_html: SphinxTestApp) -> None:
    app = refs_html
    soup = html_of(app, "refs")
    assert links(paragraph(soup, "Case:")) == [("cases.html#ietf-pervasive-monitoring", IETF_TITLE)]
    assert links(paragraph(soup, "Explicit:")) == [
        ("cases.html#ietf-pervasive-monitoring", "the memo")
    ]
    rst = html_of(app, "refs_rst")
    assert links(paragraph(rst, "Case:")) == [("rstcases.html#schrems-i", SCHREMS_TITLE)]
    assert links(paragraph(rst, "Explicit:")) == [("rstcases.html#schrems-i", "the ruling")]


def test_every_case_link_lands_on_the_case(refs_html: SphinxTestApp) -> None:
    """Each {case:ref} href names a page and an id on it that holds the case (or its section)."""
    app = refs_html
    checked = 0
    for docname in ("refs", "refs_rst", "sections", "dupes", "cases", "rstcases"):
        for link in html_of(app, docname).select("a[href]"):
            if "case-ref" not in " ".join(
                c for span in link.find_all(True) for c in span.get("class", [])
            ):
                continue
            page, _, fragment = link["href"].partition("#")
            target_doc = page.removesuffix(".html") if page else docname
            target = html_of(app, target_doc).find(id=fragment)
            assert target is not None, f"{docname}: {link['href']} has no target"
            title = link.get("title")
            assert title and title in target.get_text(), (link["href"], title)
            checked += 1
    assert checked >= 8


def test_case_anchor_when_the_title_or_the_id_belongs_to_a_section(
    refs_html: SphinxTestApp,
) -> None:
    app = refs_html
    soup = html_of(app, "sections")
    assert links(paragraph(soup, "Links:")) == [
        ("#untitled-case-section", "Untitled case section"),
        ("#explicit-in-section", "Another heading"),
        (f"#{soup.find('article', id=re.compile('^collision-'))['id']}", "Colliding case"),
    ]
    # the section "Collision" keeps its own id; the case got another one
    assert soup.find("section", id="collision") is not None


def test_tag_role_accepts_any_spelling_that_normalises_to_the_tag(refs_html: SphinxTestApp) -> None:
    app = refs_html
    soup = html_of(app, "refs")
    # tags link to their own pages (issue 4), named by the one slug policy
    assert links(paragraph(soup, "Tag:")) == [("tags/mass-surveillance.html", "Mass Surveillance")]
    assert links(paragraph(soup, "Casefold:")) == [("tags/strasse.html", "Straße")]
    decomposed = links(paragraph(soup, "Decomposed:"))
    assert [href for href, _ in decomposed] == ["tags/donnees.html"]
    shown = decomposed[0][1]
    assert shown == "Données" and unicodedata.is_normalized("NFC", shown)
    rst = html_of(app, "refs_rst")
    assert links(paragraph(rst, "Tag:")) == [("tags/data-protection.html", "Data Protection")]


def test_source_role_accepts_publisher_name_and_hosts(refs_html: SphinxTestApp) -> None:
    app = refs_html
    soup = html_of(app, "refs")
    for label in ("Publisher:", "Host:", "Www host:"):
        assert links(paragraph(soup, label)) == [("case-sources.html#caselog-source-ietf", "IETF")]
    rst = html_of(app, "refs_rst")
    (link,) = links(paragraph(rst, "Source:"))
    assert link == ("case-sources.html#caselog-source-curia-europa-eu", "curia.europa.eu")
    # the link leads to the publisher's group on the Source index, not to its top
    group = html_of(app, "case-sources").find(id=link[0].partition("#")[2])
    assert group is not None and "curia.europa.eu" in group.find("h2").get_text()


def test_any_role_resolves_a_case_id(refs_html: SphinxTestApp) -> None:
    app = refs_html
    assert links(paragraph(html_of(app, "refs"), "Any:")) == [
        ("rstcases.html#schrems-i", SCHREMS_TITLE)
    ]


def test_ref_role_links_to_the_three_index_pages(refs_html: SphinxTestApp) -> None:
    app = refs_html
    assert links(paragraph(html_of(app, "refs"), "Indices:")) == [
        ("case-tags.html", "Tag index"),
        ("case-sources.html", "Source index"),
        ("case-timeline.html", "Timeline"),
    ]
    for page, heading in (
        ("case-tags", "Tag index"),
        ("case-sources", "Source index"),
        ("case-timeline", "Timeline"),
    ):
        h1 = html_of(app, page).find("h1")
        assert (
            "".join(t for t in h1.find_all(string=True) if t.parent.name != "a").strip() == heading
        )


def test_see_also_entries_resolve_to_links(refs_html: SphinxTestApp) -> None:
    app = refs_html
    ietf = html_of(app, "cases").find("article", id="ietf-pervasive-monitoring")
    see_also = ietf.find(class_="caselog-see-also")
    assert [href for href, _ in links(see_also)] == [
        "tags/privacy.html",
        "rstcases.html#schrems-i",
    ]
    assert links(see_also)[1][1] == SCHREMS_TITLE
    schrems = html_of(app, "rstcases").find("article", id="schrems-i")
    see_also = schrems.find(class_="caselog-see-also")
    assert links(see_also)[0] == ("cases.html#ietf-pervasive-monitoring", IETF_TITLE)
    assert links(see_also)[1][0] == "tags/mass-surveillance.html"


# -- warnings -------------------------------------------------------------------------------


def test_unknown_targets_warn_at_the_roles_location_without_nitpicky(
    refs_html: SphinxTestApp,
) -> None:
    app = refs_html
    assert not app.config.nitpicky
    found = {(w.file, w.line, w.message) for w in caselog_warnings(app) if w.type == "caselog.ref"}
    expected = {
        (
            "refs.md",
            line_of("domain-refs", "refs.md", "no-such-case"),
            "unknown case 'no-such-case'",
        ),
        ("refs.md", line_of("domain-refs", "refs.md", "no such tag"), "unknown tag 'no such tag'"),
        (
            "refs.md",
            line_of("domain-refs", "refs.md", "nobody.example"),
            "unknown source 'nobody.example'",
        ),
        (
            "refs_rst.rst",
            line_of("domain-refs", "refs_rst.rst", "missing-in-rst"),
            "unknown case 'missing-in-rst'",
        ),
    }
    # Nothing else: every resolvable reference of the root resolved.
    assert {f for f in found if f[0] != "cases.md"} == expected
    # The role's text is still shown, as plain text.
    soup = html_of(app, "refs")
    for label, text in (
        ("Unknown case:", "no-such-case"),
        ("Unknown tag:", "no such tag"),
        ("Unknown source:", "nobody.example"),
    ):
        para = paragraph(soup, label)
        assert para.find("a") is None
        assert text in para.get_text()
    para = paragraph(html_of(app, "refs_rst"), "Unknown case:")
    assert para.find("a") is None
    assert "missing-in-rst" in para.get_text()


def test_unknown_see_also_targets_warn_at_the_case(refs_html: SphinxTestApp) -> None:
    app = refs_html
    found = [w for w in caselog_warnings(app) if w.file == "cases.md"]
    assert {(w.type, w.message) for w in found} == {
        ("caselog.ref", "unknown case 'missing-case'"),
        ("caselog.ref", "unknown tag 'missing tag'"),
    }
    first = line_of("domain-refs", "cases.md", ":::{case} Broken see-also")
    option = line_of("domain-refs", "cases.md", "see-also: missing-case")
    assert all(first <= w.line <= option for w in found), found
    broken = html_of(app, "cases").find("article", id="broken-see-also")
    see_also = broken.find(class_="caselog-see-also")
    assert see_also.find("a") is None
    assert "missing-case" in see_also.get_text()


def test_duplicate_id_on_one_page_warns_once_at_the_later_case(refs_html: SphinxTestApp) -> None:
    app = refs_html
    found = [
        w
        for w in caselog_warnings(app)
        if w.type == "caselog.duplicate_id" and "'twice'" in w.message
    ]
    assert [(w.file, w.line) for w in found] == [
        ("dupes.md", line_of("domain-refs", "dupes.md", "Twice second"))
    ]
    assert "dupes.md" in found[0].message
    assert links(paragraph(html_of(app, "dupes"), "Link:")) == [("#twice", "Twice first")]


@pytest.mark.parametrize(
    "jobs",
    [
        pytest.param(1, marks=pytest.mark.sphinx("html", testroot="domain-many", freshenv=True)),
        pytest.param(
            4,
            marks=[
                pytest.mark.slow,
                pytest.mark.sphinx("html", testroot="domain-many", freshenv=True, parallel=4),
            ],
        ),
    ],
)
def test_duplicate_ids_in_far_apart_documents(app, jobs: int) -> None:
    """One warning, at a12 (the later in (docname, line) order), naming a01, which is
    used by links and the inventory (although a12's case is dated earlier); reported
    once in a parallel build too (the duplicates are found after all chunks merged)."""
    app.build()
    assert read_in_parallel(app) == (jobs > 1)
    found = [w for w in caselog_warnings(app) if w.type == "caselog.duplicate_id"]
    assert [(w.file, w.line) for w in found] == [
        ("a12.md", line_of("domain-many", "a12.md", "Second of the shared id"))
    ], found
    assert "a01.md" in found[0].message
    # The earlier definition wins: links and the inventory go to a01.
    assert links(paragraph(html_of(app, "a06"), "Shared:")) == [
        ("a01.html#shared-id", "First of the shared id")
    ]
    assert inventory(app)["case:case", "shared-id"] == (
        "a01.html#caselog-shared-id",
        "First of the shared id",
    )


# -- publishers and the Source index ---------------------------------------------------------


def test_source_index_groups_cases_by_publisher(refs_html: SphinxTestApp) -> None:
    app = refs_html
    rows = index_rows(html_of(app, "case-sources"))
    entries = grouped(rows)
    assert set(entries) == PUBLISHERS
    # sorted, grouped by first letter
    tops = [r for r in rows if not r.sub]
    assert [r.text for r in tops] == sorted(PUBLISHERS, key=str.casefold)
    assert all(r.group == r.text[0].upper() for r in tops)
    # each case entry shows the titles of its sources from that publisher
    ietf = entries["IETF"]
    assert {(r.text, r.extra) for r in ietf[1:]} == {
        ("Datatracker history", "Draft history"),
        (IETF_TITLE, "RFC 7258: Pervasive Monitoring Is an Attack"),
        (SCHREMS_TITLE, "IETF about page"),
    }
    hrefs = {r.text: r.href for r in ietf[1:]}
    assert hrefs[SCHREMS_TITLE] == "rstcases.html#schrems-i"
    assert hrefs[IETF_TITLE] == "cases.html#ietf-pervasive-monitoring"


def test_publisher_mapping_by_host_suffix(refs_html: SphinxTestApp) -> None:
    """datatracker.ietf.org → IETF (suffix), news.example.org → Example News (longest
    suffix), www.example.org → Example, eff.org → EFF (configured as www.eff.org),
    notietf.org is not ietf.org, www.unmapped.net → unmapped.net."""
    app = refs_html
    entries = grouped(index_rows(html_of(app, "case-sources")))

    def sources(publisher: str) -> set[str]:
        return {r.extra for r in entries[publisher][1:]}

    assert "Draft history" in sources("IETF")
    assert sources("Example News") == {"Example news story"}
    assert sources("Example") == {"Example main page"}
    assert sources("EFF") == {"EFF deeplink"}
    assert sources("notietf.org") == {"Not the IETF"}
    assert sources("unmapped.net") == {"Unmapped page"}
    assert not any(p.startswith("www.") for p in entries)


# -- the Tag index ---------------------------------------------------------------------------


def test_tag_index_lists_tags_by_letter_with_their_cases(refs_html: SphinxTestApp) -> None:
    app = refs_html
    rows = index_rows(html_of(app, "case-tags"))
    entries = grouped(rows)
    assert set(entries) == set(TAGS.values())
    tops = [r for r in rows if not r.sub]
    assert [r.text for r in tops] == sorted(TAGS.values(), key=str.casefold)
    assert [r.group for r in tops] == [r.text[0].upper() for r in tops]
    # each tag with its cases, in chronological order
    assert [r.text for r in entries["privacy"][1:]] == [IETF_TITLE, SCHREMS_TITLE]
    assert [r.href for r in entries["privacy"][1:]] == [
        "cases.html#ietf-pervasive-monitoring",
        "rstcases.html#schrems-i",
    ]
    assert [r.text for r in entries["Mass Surveillance"][1:]] == [IETF_TITLE]
    assert [r.text for r in entries["Straße"][1:]] == ["Datatracker history"]
    assert [r.text for r in entries["sectioned"][1:]] == ["Untitled case section"]


# -- the Timeline ----------------------------------------------------------------------------


def test_timeline_groups_by_year_and_orders_by_date_title_id(refs_html: SphinxTestApp) -> None:
    app = refs_html
    rows = index_rows(html_of(app, "case-timeline"))
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    assert list(groups) == ["2013", "2014", "2015", "2016", "2017", "2018", "Undated"]
    # 2014, 2014-01 and 2014-01-01 all sort as 2014-01-01: ties by title (not by id, nor
    # source order: both are the reverse), then by id (same-b comes first in the source)
    assert [(r.text, r.href) for r in groups["2014"]] == [
        ("Alpha day", "timeline.html#zz-alpha-day"),
        ("Beta year", "timeline.html#yy-beta-year"),
        ("Gamma month", "timeline.html#xx-gamma-month"),
        ("Same title", "timeline.html#same-a"),
        ("Same title", "timeline.html#same-b"),
        (IETF_TITLE, "cases.html#ietf-pervasive-monitoring"),
        ("Aardvark late", "timeline.html#aardvark-late"),
    ]
    assert [r.text for r in groups["Undated"]] == ["Broken see-also", "Undated A", "Undated B"]
    assert [r.text for r in groups["2018"]] == [
        "Untitled case section",
        "Another heading",
        "Colliding case",
    ]
    # every winning case is on the timeline exactly once
    hrefs = [r.href for r in rows]
    assert len(hrefs) == len(set(hrefs)) == len(CASES)


# -- LaTeX -----------------------------------------------------------------------------------


def test_latex_index_entries_point_at_existing_labels(refs_latex: SphinxTestApp) -> None:
    app = refs_latex
    tex_files = list(Path(app.outdir).glob("*.tex"))
    assert len(tex_files) == 1
    tex = tex_files[0].read_text(encoding="utf-8")
    pagerefs = re.findall(r"\\sphinxstyleindexpageref\{([^{}:]*):\\detokenize\{([^{}]*)\}\}", tex)
    labels = set(re.findall(r"\\label\{\\detokenize\{([^{}]*)\}\}", tex))
    assert {f"{doc}:{anchor}" for doc, anchor in pagerefs} >= {
        "cases:ietf-pervasive-monitoring",
        "rstcases:schrems-i",
        "sections:untitled-case-section",
        "sections:explicit-in-section",
    }
    missing = sorted({f"{doc}:{anchor}" for doc, anchor in pagerefs} - labels)
    assert not missing, f"index entries without a \\label: {missing}"
    # the three indices, with their entries
    for heading in ("Tag index", "Source index", "Timeline"):
        assert f"\\renewcommand{{\\indexname}}{{{heading}}}" in tex
    # in print each tag and each publisher heads a group of its own entries
    assert "\\bigletter{Mass Surveillance}" in tex
    assert "\\bigletter{Example News}" in tex


# -- objects.inv ---------------------------------------------------------------------------


def test_inventory_has_every_case_tag_and_publisher(refs_html: SphinxTestApp) -> None:
    app = refs_html
    inv = inventory(app)
    cases = {name: value for (typ, name), value in inv.items() if typ == "case:case"}
    assert set(cases) == set(CASES)
    for case_id, (docname, title) in CASES.items():
        uri, display = cases[case_id]
        assert uri.startswith(f"{docname}.html#"), (case_id, uri)
        assert display == title
    assert (
        cases["collision"][0]
        == "sections.html#"
        + html_of(app, "sections").find("article", id=re.compile("^collision-"))["id"]
    )
    tags = {name: value for (typ, name), value in inv.items() if typ == "case:tag"}
    assert {name: display for name, (_, display) in tags.items()} == TAGS
    assert {uri for uri, _ in tags.values()} == {
        f"tags/{slug}.html#caselog-tag-{slug}"
        for slug in (
            *("position", "privacy", "mass-surveillance", "strasse", "donnees"),
            *("data-protection", "sectioned"),
        )
    }
    sources = {name: value for (typ, name), value in inv.items() if typ == "case:source"}
    assert set(sources) == PUBLISHERS
    assert {uri.partition("#")[0] for uri, _ in sources.values()} == {"case-sources.html"}
    page = html_of(app, "case-sources")
    for name, (uri, _) in sources.items():  # each lands on its publisher's group
        group = page.find(id=uri.partition("#")[2])
        assert group is not None and name in group.find("h2").get_text(), (name, uri)


# -- HTML search -----------------------------------------------------------------------------


def test_search_index_finds_each_case_by_id_and_title(refs_html: SphinxTestApp) -> None:
    """Search finds a case by its id through a general-index entry, whose link lands
    on the case (titles are found as page text: see the next test); and no case
    object carries an anchor built from its display name (searchtools.js would
    link to ``page#<title>``)."""
    app = refs_html
    index = search_index(app)
    entries = index["indexentries"]
    for case_id, (docname, _title) in CASES.items():
        for key in (case_id,):
            assert key in entries, f"{key!r} is not a search index entry"
            links = {f"{index['docnames'][doc]}#{anchor}" for doc, anchor, _main in entries[key]}
            assert any(link.startswith(f"{docname}#") for link in links), (key, links)
            for link in links:
                page, _, fragment = link.partition("#")
                if page == docname:
                    assert html_of(app, page).find(id=unquote(fragment)) is not None, link
    # and as an object: its title, as readers read it, linked to an anchor that is on
    # the case (never '' or '-', which searchtools.js would rebuild from the title)
    found = search_objects(index, "case:case")
    assert set(found) == {title for _doc, title in CASES.values()}
    for docname, title in CASES.values():
        page, anchor, prio = found[title]
        assert (page, prio) == (docname, 0)
        assert anchor not in {"", "-"}
        target = html_of(app, page).find(id=anchor)
        assert target is not None, (title, anchor)
        article = target if target.name == "article" else target.find_parent("article")
        assert article is not None and "caselog-case" in article["class"], (title, anchor)


def test_search_index_indexes_the_words_of_case_titles(refs_html: SphinxTestApp) -> None:
    """A case title's words find its page (in ``terms``; a word that is also in a
    section title is kept in ``titleterms`` only, as Sphinx does)."""
    app = refs_html
    index = search_index(app)

    def pages(word: str) -> set[str]:
        return search_pages(index, word)

    for word, docname in (
        ("pervas", "cases"),  # "pervasive", stemmed
        ("cjeu", "rstcases"),
        ("invalid", "rstcases"),  # "invalidates", stemmed
        ("datatrack", "cases"),
        ("aardvark", "timeline"),
        ("collid", "sections"),  # "Colliding"
    ):
        assert docname in pages(word), (word, docname, pages(word))
    assert "cjeu" in index["terms"]
