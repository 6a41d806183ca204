"""Per-tag pages and the tag overview (html, dirhtml): content, theme, links, collisions, slugs.

``test-tagpages-basic`` has a dict vocabulary (privacy with the alias "private life",
encryption, data retention) and five cases: p1 2013-05, p2 2016, p3 2015-02-03, p4
undated (all privacy), e1 2014 (encryption; p2 too). refs.md links a tag, the overview
label and has an encryption listing. Most tests read one alabaster html build of a copy
of it, made with its output outside the source folder.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import (
    ROOTS,
    caselog_warnings,
    files_under,
    html_of,
    tag_page_parts,
    warnings_of,
)
from sphinx.testing.util import SphinxTestApp

#: tag slug → (h1, description or None, [(year heading, [case ids])])
TAG_PAGES = {
    "privacy": (
        "Privacy",
        "The right to respect for private life.",
        [("2016", ["p2"]), ("2015", ["p3"]), ("2013", ["p1"]), ("Undated", ["p4"])],
    ),
    "encryption": (
        "Encryption",
        "Keeping communications confidential.",
        [("2016", ["p2"]), ("2014", ["e1"])],
    ),
    "data-retention": ("Data retention", None, [("2015", ["p3"])]),
}
CASE_DOC = {"p1": "cases", "p2": "cases", "p3": "cases", "p4": "cases", "e1": "more"}
OVERVIEW = [
    ("Data retention", "data-retention", 1),
    ("Encryption", "encryption", 2),
    ("Privacy", "privacy", 4),
]


# -- builds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def basic_html(module_build) -> SphinxTestApp:
    return module_build("tagpages-basic", html_theme="alabaster")


# -- content ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(TAG_PAGES))
def test_tag_page_shows_title_description_and_cases_newest_first(
    basic_html: SphinxTestApp, slug: str
) -> None:
    soup = html_of(basic_html, f"tags/{slug}")
    assert tag_page_parts(soup) == TAG_PAGES[slug]
    # each case link lands on the case
    for link in soup.select("section.caselog-tag-page p.caselog-item > a:first-child"):
        page, _, anchor = link["href"].partition("#")
        assert page == f"../{CASE_DOC[anchor]}.html"
        target = html_of(basic_html, CASE_DOC[anchor]).find(id=anchor)
        assert target is not None
        assert link.get_text(strip=True) in target.get_text()
    assert soup.find("title").get_text().startswith(TAG_PAGES[slug][0])


def test_tag_pages_link_the_other_tags_of_their_cases(basic_html: SphinxTestApp) -> None:
    soup = html_of(basic_html, "tags/privacy")
    badges = {
        (a["href"], a.get_text(strip=True))
        for a in soup.select("section.caselog-tag-page a")
        if a.find(class_="caselog-tag")
    }
    assert ("encryption.html", "Encryption") in badges
    assert ("data-retention.html", "Data retention") in badges


#: the tag links of the one overview, the Tag index
OVERVIEW_LINKS = "section.caselog-index-group > h2 > a:not(.headerlink)"


def test_overview_lists_every_tag_with_its_count(basic_html: SphinxTestApp) -> None:
    """The Tag index is the one overview: each tag, linked to its page, with its count;
    no second overview competes with it."""
    soup = html_of(basic_html, "case-tags")
    section = soup.find("section", class_="caselog-index-page")
    assert section.find("h1").get_text(strip=True).startswith("Tag index")
    found = []
    for heading in section.select("section.caselog-index-group > h2"):
        link = heading.select_one("a:not(.headerlink)")
        count = re.fullmatch(r"(\d+) cases?", heading.find(class_="caselog-count").get_text())
        found.append((link.get_text(strip=True), link["href"], int(count[1])))
    assert found == [(title, f"tags/{slug}.html", n) for title, slug, n in OVERVIEW]
    assert not (Path(basic_html.outdir) / "tags" / "index.html").exists()


def test_badges_and_tag_roles_lead_to_the_tag_pages(basic_html: SphinxTestApp) -> None:
    app = basic_html
    # a case's own badges, and an alias's spelling on it
    p3 = html_of(app, "cases").find(id="p3")
    assert [(a["href"], a.get_text(strip=True)) for a in p3.select(".caselog-tags a")] == [
        ("tags/privacy.html", "Privacy"),
        ("tags/data-retention.html", "Data retention"),
    ]
    refs = html_of(app, "refs")
    badge = next(p for p in refs.find_all("p") if p.get_text().startswith("Badge:"))
    assert [(a["href"], a.get_text(strip=True)) for a in badge.find_all("a")] == [
        ("tags/privacy.html", "Privacy")
    ]
    listing = refs.find("div", class_="caselog-listing")
    assert {a["href"] for a in listing.find_all("a") if a.find(class_="caselog-tag")} == {
        "tags/privacy.html",
        "tags/encryption.html",
    }
    assert not caselog_warnings(app)


def test_overview_label_links_to_the_overview(basic_html: SphinxTestApp) -> None:
    refs = html_of(basic_html, "refs")
    para = next(p for p in refs.find_all("p") if p.get_text().startswith("Overview:"))
    assert [a["href"] for a in para.find_all("a")] == ["case-tags.html"]
    assert not [w for w in warnings_of(basic_html) if "case-tag-overview" in w.message]


def test_nothing_is_written_into_the_source_folder(basic_html: SphinxTestApp) -> None:
    assert (Path(basic_html.outdir) / "tags" / "privacy.html").is_file()
    assert files_under(Path(basic_html.srcdir)) == files_under(ROOTS / "test-tagpages-basic")


# -- themes ----------------------------------------------------------------------------------

_FURO = pytest.mark.skipif(importlib.util.find_spec("furo") is None, reason="furo not installed")


@pytest.fixture(scope="module")
def furo_html(module_build) -> SphinxTestApp:
    return module_build("tagpages-basic", html_theme="furo")


#: selectors that mark the theme's page layout, on a document page and a tag page alike
ALABASTER = ("div.document", "div.body[role=main]", "div.sphinxsidebar", "div.footer")
FURO = ("article[role=main]", "aside.sidebar-drawer", "div.page div.main", "div.content footer")


def _assert_theme_layout(app: SphinxTestApp, selectors: tuple[str, ...], main: str) -> None:
    outdir = Path(app.outdir)
    for page in ("tags/privacy", "case-tags"):
        soup = html_of(app, page)
        reference = html_of(app, "cases")
        for selector in selectors:
            assert reference.select_one(selector) is not None, selector  # the theme has it
            assert soup.select_one(selector) is not None, (page, selector)
        # our content sits in the theme's main area
        ours = f"{main} section.caselog-tag-page h1, {main} section.caselog-index-page h1"
        assert soup.select_one(ours) is not None, page
        # stylesheets (the theme's, sphinx-design's and ours) resolve from the page's folder
        sheets = [link["href"].partition("?")[0] for link in soup.select("link[rel=stylesheet]")]
        assert any(s.endswith("caselog.css") for s in sheets)
        for href in sheets:
            if "://" not in href:
                assert (outdir / page).parent.joinpath(href).resolve().is_file(), (page, href)


def test_tag_pages_use_the_alabaster_layout(basic_html: SphinxTestApp) -> None:
    assert basic_html.config.html_theme == "alabaster"
    _assert_theme_layout(basic_html, ALABASTER, "div.body")


@_FURO
def test_tag_pages_use_the_furo_layout(furo_html: SphinxTestApp) -> None:
    assert furo_html.config.html_theme == "furo"
    _assert_theme_layout(furo_html, FURO, "article[role=main]")
    soup = html_of(furo_html, "tags/privacy")
    assert tag_page_parts(soup) == TAG_PAGES["privacy"]


# -- builders and configuration ---------------------------------------------------------------


def test_dirhtml_writes_a_folder_per_tag(module_build) -> None:
    app = module_build("tagpages-basic", "dirhtml")
    outdir = Path(app.outdir)
    for slug in TAG_PAGES:
        assert (outdir / "tags" / slug / "index.html").is_file(), slug
    assert not (outdir / "tags" / "privacy.html").exists()
    soup = html_of(app, "tags/privacy")
    title, description, groups = tag_page_parts(soup)
    assert (title, description, groups) == TAG_PAGES["privacy"]
    case_links = [a["href"] for a in soup.select("p.caselog-item > a:first-child")]
    assert case_links == [f"../../cases/#{i}" for i in ("p2", "p3", "p1", "p4")]
    overview = html_of(app, "case-tags")
    assert [a["href"] for a in overview.select(OVERVIEW_LINKS)] == [
        "../tags/data-retention/",
        "../tags/encryption/",
        "../tags/privacy/",
    ]
    refs = html_of(app, "refs")
    badge = next(p for p in refs.find_all("p") if p.get_text().startswith("Badge:"))
    assert [a["href"] for a in badge.find_all("a")] == ["../tags/privacy/"]
    para = next(p for p in refs.find_all("p") if p.get_text().startswith("Overview:"))
    assert [a["href"] for a in para.find_all("a")] == ["../case-tags/"]


@pytest.mark.parametrize("folder", ["topics", "topics/all"])
def test_tag_pages_dir_names_the_output_folder(module_build, folder: str) -> None:
    app = module_build("tagpages-basic", caselog_tag_pages_dir=folder)
    outdir = Path(app.outdir)
    assert (outdir / folder / "privacy.html").is_file()
    assert not (outdir / "tags").exists()
    refs = html_of(app, "refs")
    badge = next(p for p in refs.find_all("p") if p.get_text().startswith("Badge:"))
    assert [a["href"] for a in badge.find_all("a")] == [f"{folder}/privacy.html"]
    para = next(p for p in refs.find_all("p") if p.get_text().startswith("Overview:"))
    assert [a["href"] for a in para.find_all("a")] == ["case-tags.html"]
    soup = html_of(app, f"{folder}/privacy")
    assert tag_page_parts(soup) == TAG_PAGES["privacy"]
    up = "../" * (folder.count("/") + 1)
    links = [a["href"] for a in soup.select("p.caselog-item > a:first-child")]
    assert links == [f"{up}cases.html#{i}" for i in ("p2", "p3", "p1", "p4")]
    sheets = [link["href"].partition("?")[0] for link in soup.select("link[rel=stylesheet]")]
    assert f"{up}_static/caselog.css" in sheets


def test_tag_pages_off(module_build) -> None:
    app = module_build("tagpages-basic", caselog_tag_pages=False)
    outdir = Path(app.outdir)
    assert not (outdir / "tags").exists()
    refs = html_of(app, "refs")
    # a tag without its page leads to its group in the Tag index, never to a case
    badge = next(p for p in refs.find_all("p") if p.get_text().startswith("Badge:"))
    assert [a["href"] for a in badge.find_all("a")] == ["case-tags.html#caselog-tag-privacy"]
    listing = refs.find("div", class_="caselog-listing")
    hrefs = {a["href"] for a in listing.find_all("a") if a.find(class_="caselog-tag")}
    assert hrefs and all(h.startswith("case-tags.html#caselog-tag-") for h in hrefs)
    p3 = html_of(app, "cases").find(id="p3")
    assert {a["href"].partition("#")[0] for a in p3.select(".caselog-tags a")} == {"case-tags.html"}
    tag_index = html_of(app, "case-tags")
    assert all(tag_index.find(id=h.partition("#")[2]) for h in hrefs)
    para = next(p for p in refs.find_all("p") if p.get_text().startswith("Overview:"))
    assert [(a["href"], a.get_text(strip=True)) for a in para.find_all("a")] == [
        ("case-tags.html", "Tag index")
    ]
    assert not caselog_warnings(app)
    assert not [w for w in warnings_of(app) if "case-tag-overview" in w.message]


@pytest.mark.parametrize("builder", ["singlehtml", "latex"])
def test_other_builders_write_no_tag_pages(module_build, builder: str) -> None:
    app = module_build("tagpages-basic", builder)
    outdir = Path(app.outdir)
    assert not (outdir / "tags").exists()
    assert not list(outdir.rglob("privacy.html"))
    assert not [w for w in warnings_of(app) if "case-tag-overview" in w.message]
    assert not caselog_warnings(app)


# -- a document in the way ----------------------------------------------------------------


@pytest.fixture(scope="module")
def collision_html(module_build) -> SphinxTestApp:
    return module_build("tagpages-collision", html_theme="alabaster")


def test_a_document_in_a_tag_pages_place_is_kept_with_a_warning(
    collision_html: SphinxTestApp,
) -> None:
    app = collision_html
    found = [(w.file, w.level, w.type) for w in caselog_warnings(app)]
    assert found == [("privacy.md", "WARNING", "caselog.tag_page")]
    message = caselog_warnings(app)[0].message
    assert "privacy" in message
    page = html_of(app, "tags/privacy")
    assert page.find("h1").get_text(strip=True).startswith("Our own privacy page")
    assert page.find("section", class_="caselog-tag-page") is None
    # the other tag still has its page
    assert tag_page_parts(html_of(app, "tags/encryption"))[0] == "encryption"


def test_a_tag_without_its_page_links_to_the_tag_index(collision_html: SphinxTestApp) -> None:
    soup = html_of(collision_html, "index")
    privacy = "case-tags.html#caselog-tag-privacy"
    for label, href in (("Privacy:", privacy), ("Encryption:", "tags/encryption.html")):
        para = next(p for p in soup.find_all("p") if p.get_text().startswith(label))
        assert [a["href"] for a in para.find_all("a")] == [href], label
    badges = {a.get_text(strip=True): a["href"] for a in soup.select("article .caselog-tags a")}
    assert badges == {"privacy": privacy, "encryption": "tags/encryption.html"}
    overview = html_of(collision_html, "case-tags")
    hrefs = [a["href"] for a in overview.select(OVERVIEW_LINKS)]
    assert "tags/privacy.html" not in hrefs
    assert "tags/encryption.html" in hrefs


# -- slugs ------------------------------------------------------------------------------------

#: case id → the tag it alone has
SLUG_TAGS = {
    "cpp": "C++",
    "csharp": "C#",
    "c": "C",
    "bang": "!!!",
    "dotdot": "../x",
    "root": "/etc",
    "french": "données personnelles",
    "dots": "..",
}


@pytest.fixture(scope="module")
def slugs_html(module_build) -> tuple[SphinxTestApp, Path]:
    app = module_build("tagpages-slugs")
    return app, Path(app.outdir)


def _tag_page_of_case(app, case_id: str) -> str:
    """The href of the one tag badge of *case_id* on the index page."""
    article = html_of(app, "index").find(id=case_id)
    links = [a["href"] for a in article.select(".caselog-tags a")]
    assert len(links) == 1, (case_id, links)
    return links[0]


def test_each_tag_gets_its_own_page_listing_its_own_case(slugs_html) -> None:
    app, outdir = slugs_html
    hrefs = {case_id: _tag_page_of_case(app, case_id) for case_id in SLUG_TAGS}
    assert len(set(hrefs.values())) == len(SLUG_TAGS), hrefs
    for case_id, href in hrefs.items():
        assert re.fullmatch(r"tags/[a-z0-9][a-z0-9-]*\.html", href), href
        page = outdir / href
        assert page.is_file(), href
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        title, _, groups = tag_page_parts(soup)
        assert title == SLUG_TAGS[case_id]
        assert groups == [("2015", [case_id])]
    assert hrefs["c"] == "tags/c.html"
    assert hrefs["french"] == "tags/donnees-personnelles.html"


def test_tag_roles_agree_with_the_badges(slugs_html) -> None:
    app, _ = slugs_html
    soup = html_of(app, "index")
    para = next(p for p in soup.find_all("p") if p.get_text().startswith("Links:"))
    role_links = [a["href"] for a in para.find_all("a")]
    expected = [
        _tag_page_of_case(app, i)
        for i in ("cpp", "csharp", "c", "dotdot", "root", "french", "dots")
    ]
    assert role_links == expected


def test_no_tag_page_leaves_the_tags_folder(slugs_html) -> None:
    _, outdir = slugs_html
    pages = {"index", "genindex", "search", "case-tags", "case-sources", "case-timeline"}
    html_files = {p.relative_to(outdir).as_posix() for p in outdir.rglob("*.html")}
    generated = {f for f in html_files if f.removesuffix(".html") not in pages}
    assert generated, html_files
    assert all(f.startswith("tags/") for f in generated), generated
    assert not [f for f in generated if f.split("/")[-1].startswith(".")]
    assert "tags/.html" not in html_files
    # nothing beside the output folder either (../x, /etc)
    assert sorted(p.name for p in outdir.parent.iterdir()) == sorted(["doctrees", outdir.name])
    assert not [p for p in outdir.parent.parent.iterdir() if p.name.endswith(".html")]
