"""The HTML search index knows the pages the extension generates (issue 15).

Sphinx keeps only documents in ``searchindex.js``; tag pages and the three indices
are not documents, so ``search.py`` feeds them (by their titles and what they
describe, not by the cases they list, which are found at their own anchors) and
keeps them through Sphinx's pruning. Tags and publishers are objects leading to
their page or group, on a first build, after an incremental one, and in dirhtml.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import build_copy, html_of, search_index, search_objects, search_pages
from sphinx.testing.util import SphinxTestApp

INDICES = {"case-tags": "Tag index", "case-sources": "Source index", "case-timeline": "Timeline"}


@pytest.fixture(scope="module")
def tags_html(module_build) -> SphinxTestApp:
    return module_build("tagpages-basic")


@pytest.fixture(scope="module")
def refs_html(module_build) -> SphinxTestApp:
    return module_build("domain-refs")


def test_tag_pages_are_found_by_their_title_and_description(tags_html: SphinxTestApp) -> None:
    index = search_index(tags_html)
    titles = dict(zip(index["docnames"], index["titles"], strict=True))
    assert titles["tags/encryption"] == "Encryption"
    assert titles["tags/data-retention"] == "Data retention"
    assert "tags/encryption" in search_pages(index, "encrypt")
    assert "tags/privacy" in search_pages(index, "respect")  # its description
    # the cases a tag page lists are found on their own pages, not on every tag page
    listed = search_pages(index, "undat")  # "Undated privacy note"
    assert listed and not {d for d in listed if d.startswith("tags/")}, listed


def test_tags_are_objects_leading_to_their_pages(tags_html: SphinxTestApp) -> None:
    index = search_index(tags_html)
    tags = search_objects(index, "case:tag")
    assert set(tags) == {"Privacy", "Encryption", "Data retention"}
    for title, (page, anchor, prio) in tags.items():
        assert page.startswith("tags/"), (title, page)
        # as high as a case's: the tag's exact name then outranks a case's title
        # that merely contains it
        assert prio == 0, title
        assert html_of(tags_html, page).find(id=anchor) is not None, (title, anchor)


def test_a_tags_name_ranks_its_page_first(tags_html: SphinxTestApp) -> None:
    """searchtools.js scores a main index entry that the query fills by 100, above
    any object (at most 26) or title (16): the tag page is the first result for its
    name, and for most of it ("retention" is over half of "Data retention")."""
    index = search_index(tags_html)
    entries = index["indexentries"]
    for name, slug in (("data retention", "data-retention"), ("privacy", "privacy")):
        ((doc, anchor, main),) = entries[name]
        assert (index["docnames"][doc], main) == (f"tags/{slug}", True)
        assert html_of(tags_html, f"tags/{slug}").find(id=anchor) is not None


def test_the_indices_and_their_publisher_groups_are_found(refs_html: SphinxTestApp) -> None:
    index = search_index(refs_html)
    titles = dict(zip(index["docnames"], index["titles"], strict=True))
    for page, title in INDICES.items():
        assert titles[page] == title
    publishers = search_objects(index, "case:source")
    assert {"IETF", "Example", "Example News", "EFF"} <= set(publishers)
    for name, (page, anchor, prio) in publishers.items():
        assert (page, prio) == ("case-sources", 0)
        group = html_of(refs_html, page).find(id=anchor)
        assert group is not None and name in group.get_text(), (name, anchor)
        # found by its hosts too (its name is the object's)
        assert name.lower() not in index["indexentries"]
    ((doc, anchor, main),) = index["indexentries"]["rfc-editor.org"]
    assert (index["docnames"][doc], anchor, main) == ("case-sources", publishers["IETF"][1], True)
    ((doc, anchor, _main),) = index["indexentries"]["2013"]
    assert (index["docnames"][doc], anchor) == ("case-timeline", "caselog-year-2013")
    assert html_of(refs_html, "case-timeline").find(id=anchor) is not None


def rebuilt_after_touching_a_case(first: SphinxTestApp, tmp_path: Path) -> SphinxTestApp:
    """The next build of *first*'s project, after an edit of cases.md that changes
    nothing it shows: one document is read, no tag page is rendered again."""
    cases = Path(first.srcdir) / "cases.md"
    cases.write_text(cases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = SphinxTestApp("html", srcdir=Path(first.srcdir), builddir=tmp_path / "build")
    try:
        again.build()
    finally:
        again.cleanup()
    return again


def test_a_rebuild_keeps_them(tmp_path: Path) -> None:
    first = build_copy(tmp_path, "tagpages-basic")
    assert "tags/encryption" in search_index(first)["docnames"]
    index = search_index(rebuilt_after_touching_a_case(first, tmp_path))
    assert {"tags/encryption", "tags/privacy", *INDICES} <= set(index["docnames"])
    assert set(search_objects(index, "case:tag")) == {"Privacy", "Encryption", "Data retention"}


def test_a_tag_that_goes_away_leaves_the_search_index(tmp_path: Path) -> None:
    """Sphinx keeps the index entries of what it was fed in the environment: those of
    a vanished tag page must go with it (Sphinx would fail on them when writing)."""
    extra = ":::{case} Passing\n:id: x1\n:tags: ephemeral\n:::\n"
    first = build_copy(tmp_path, "tagpages-basic", files={"extra.md": f"# Extra\n\n{extra}"})
    assert "ephemeral" in search_index(first)["indexentries"]
    (Path(first.srcdir) / "extra.md").unlink()
    # with an edit: Sphinx 8.1 writes nothing (no search index either) after a removal alone
    index = search_index(rebuilt_after_touching_a_case(first, tmp_path))
    assert "tags/ephemeral" not in index["docnames"]
    assert "ephemeral" not in index["indexentries"]
    assert "privacy" in index["indexentries"]


def test_dirhtml_search_finds_tag_pages(module_build) -> None:
    app = module_build("tagpages-basic", "dirhtml")
    tags = search_objects(search_index(app), "case:tag")
    assert tags["Encryption"][0] == "tags/encryption"


@pytest.mark.parametrize(
    ("setting", "written"),
    [(False, set()), (["case-timeline"], {"case-timeline"}), (True, set(INDICES))],
)
def test_only_the_indices_sphinx_writes_are_linked_and_searched(
    module_build, setting: object, written: set[str]
) -> None:
    """``html_domain_indices`` decides which index pages exist: no link leads to
    one that doesn't (the badge of a tag without a page, the overview label), and
    search knows just the ones that do."""
    app = module_build("tagpages-basic", html_domain_indices=setting)
    outdir = Path(app.outdir)
    assert {p for p in INDICES if (outdir / f"{p}.html").exists()} == written
    for file in outdir.rglob("*.html"):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("a[href]"):
            target = link["href"].partition("#")[0]
            if re.search(r"(^|/)case-\w+\.html$", target):
                assert (file.parent / target).resolve().exists(), (file.name, link["href"])
    assert set(search_index(app)["docnames"]) & set(INDICES) == written
