"""Atom feeds (RFC 4287): ``cases.atom`` and ``tags/<slug>.atom``, and the pages linking them.

Most tests read one html build of ``test-export-log`` (described in test_export)
with ``html_baseurl`` set, made once per module (``log_feeds``). The feeds are
parsed (``xml.etree``: they are our own output) with the Atom namespace and compared with the build's ``caselog.json``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element

import pytest
from bs4 import BeautifulSoup
from helpers import (
    ATOM,
    SPECIAL_QUOTE,
    SPECIAL_TITLE,
    cases_of,
    edit,
    export_of,
    feed_of,
    ids_in,
    page_file,
    status_of,
)
from sphinx.testing.util import SphinxTestApp

BASEURL = "https://example.org/log/"
#: RFC 3339 date-time (section 5.6), as Atom requires
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
TAG_SLUGS = {"cafe", "encryption", "mass-surveillance", "privacy"}

#: Every case of test-export-log with a time, newest first (by instant, then id),
#: with the time its entry must have. ``bare`` has neither :published: nor :date:.
NEWEST_FIRST = {
    "dated-only": "2018-04-06T00:00:00Z",  # a :date: day is midnight UTC
    "utc-later": "2018-04-05T23:00:00+00:00",  # 23:00 UTC
    "full-case": "2018-04-05T23:30:00+01:00",  # 22:30 UTC: older, though it sorts later as text
    "published-day": "2017-01-01T00:00:00Z",  # a :published: day
    "naive-time": "2016-06-01T12:00:00Z",  # a time without an offset is UTC
    "specials": "2015-02-03T00:00:00Z",
    "sub-case": "2013-01-01T00:00:00Z",  # tied with year-only: by id
    "year-only": "2013-01-01T00:00:00Z",  # "2013": its first day
    "index-case": "2012-07-01T00:00:00Z",
    "unsafe-case": "2011-01-01T00:00:00Z",
    "month-only": "2010-09-01T00:00:00Z",  # "2010-09": its first day
}


class Entry(NamedTuple):
    id: str
    title: str
    updated: str
    links: list[dict[str, str]]
    categories: list[tuple[str, str]]  # (term, label)
    summary: str | None


def only(parent: Element, name: str) -> Element:
    """The one child *name* (Atom allows exactly one of id, title, updated)."""
    found = parent.findall(f"{ATOM}{name}")
    assert len(found) == 1, (name, len(found))
    return found[0]


def text_of(parent: Element, name: str) -> str:
    return only(parent, name).text or ""


def entries_of(feed: Element) -> list[Entry]:
    result = []
    for entry in feed.findall(f"{ATOM}entry"):
        summary = entry.findall(f"{ATOM}summary")
        assert len(summary) <= 1
        result.append(
            Entry(
                text_of(entry, "id"),
                text_of(entry, "title"),
                text_of(entry, "updated"),
                [dict(link.attrib) for link in entry.findall(f"{ATOM}link")],
                [(c.get("term", ""), c.get("label", "")) for c in entry.findall(f"{ATOM}category")],
                summary[0].text if summary else None,
            )
        )
    return result


def case_id(entry: Entry) -> str:
    return entry.id.rpartition("#")[2]


def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)  # Python 3.11 reads "Z"


def feeds_in(outdir: Path | str) -> set[str]:
    return {p.relative_to(outdir).as_posix() for p in Path(outdir).rglob("*.atom")}


def pages_in(outdir: Path | str) -> list[Path]:
    return [p for p in Path(outdir).rglob("*.html") if "_static" not in p.parts]


def feed_links(page: Path) -> list[tuple[str, Path]]:
    """(title, file) of each ``<link rel="alternate" type="application/atom+xml">``."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    return [
        (link.get("title", ""), Path(os.path.normpath(page.parent / link["href"])))
        for link in soup.find_all("link", type="application/atom+xml")
        if "alternate" in link.get("rel", [])
    ]


@pytest.fixture(scope="module")
def log_feeds(module_build) -> SphinxTestApp:
    # No trailing slash: the feeds add it.
    return module_build("export-log", html_baseurl="https://example.org/log")


@pytest.fixture(scope="module")
def outdir(log_feeds: SphinxTestApp) -> Path:
    return Path(log_feeds.outdir)


@pytest.fixture(scope="module")
def site(outdir: Path) -> Element:
    return feed_of(outdir / "cases.atom")


# -- which feeds ---------------------------------------------------------------------


def test_one_site_feed_and_one_feed_per_tag(outdir, log_feeds) -> None:
    assert feeds_in(outdir) == {"cases.atom"} | {f"tags/{slug}.atom" for slug in TAG_SLUGS}
    assert {t["slug"] for t in export_of(outdir)["tags"]} == TAG_SLUGS
    assert "caselog: wrote 5 Atom feeds" in status_of(log_feeds)


@pytest.mark.sphinx(
    "html",
    testroot="export-log",
    srcdir="export-log-notagpages",
    confoverrides={"html_baseurl": BASEURL, "caselog_tag_pages": False},
    freshenv=True,
)
def test_no_tag_feeds_without_tag_pages(app) -> None:
    app.build()
    assert feeds_in(app.outdir) == {"cases.atom"}
    for page in pages_in(app.outdir):
        assert [file for _, file in feed_links(page)] == [Path(app.outdir) / "cases.atom"], page


@pytest.mark.sphinx(
    "html",
    testroot="export-log",
    srcdir="export-log-nobaseurl",
    confoverrides={"exclude_patterns": ["_build", "unsafe.md"]},  # its unsafe source warns
    warningiserror=True,
    freshenv=True,
)
def test_without_baseurl_no_feed_and_one_info_message(app) -> None:
    app.build()
    assert app.statuscode == 0  # -W passes: the reason is not a warning
    assert app.warning.getvalue() == ""
    assert feeds_in(app.outdir) == set()
    assert (Path(app.outdir) / "caselog.json").is_file()
    messages = [line for line in status_of(app).splitlines() if "Atom" in line]
    assert len(messages) == 1, messages
    assert "html_baseurl" in messages[0]
    for page in pages_in(app.outdir):
        assert feed_links(page) == [], page  # nothing to link to


# -- valid Atom ------------------------------------------------------------------------


def test_every_feed_is_valid_atom(outdir) -> None:
    for name in sorted(feeds_in(outdir)):
        raw = (outdir / name).read_bytes()
        assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>"), name
        feed = feed_of(outdir / name)
        assert text_of(feed, "id") == BASEURL + name
        assert text_of(feed, "title")
        assert RFC3339.fullmatch(text_of(feed, "updated")), name
        authors = feed.findall(f"{ATOM}author")
        assert len(authors) == 1
        assert text_of(authors[0], "name") == "Export Tester"
        links = feed.findall(f"{ATOM}link")
        assert [link.get("href") for link in links if link.get("rel") == "self"] == [BASEURL + name]
        entries = entries_of(feed)
        assert entries, name
        for entry in entries:
            assert entry.id.startswith(BASEURL), entry
            assert entry.title, entry
            assert RFC3339.fullmatch(entry.updated), entry
            alternate = [
                link for link in entry.links if link.get("rel", "alternate") == "alternate"
            ]
            assert len(alternate) == 1, entry
            assert alternate[0]["href"] == entry.id  # the stable id is the case's URL


def test_the_site_feed_holds_every_timed_case_newest_first(site) -> None:
    entries = entries_of(site)
    assert [case_id(e) for e in entries] == list(NEWEST_FIRST)
    instants = [instant(e.updated) for e in entries]
    assert instants == sorted(instants, reverse=True)


def test_entry_times(site) -> None:
    assert {case_id(e): e.updated for e in entries_of(site)} == NEWEST_FIRST


def test_a_feeds_updated_is_its_newest_entrys(outdir) -> None:
    for name in feeds_in(outdir):
        feed = feed_of(outdir / name)
        updated = text_of(feed, "updated")
        times = [e.updated for e in entries_of(feed)]
        assert updated == times[0], name
        assert instant(updated) == max(map(instant, times)), name
    assert text_of(feed_of(outdir / "cases.atom"), "updated") == "2018-04-06T00:00:00Z"


def test_entries_agree_with_the_export(outdir, site) -> None:
    data = export_of(outdir)
    cases = cases_of(data)
    tags = {t["name"]: t for t in data["tags"]}
    for entry in entries_of(site):
        case = cases[case_id(entry)]
        assert entry.id == BASEURL + case["url"]
        assert entry.title == case["title"]
        assert entry.categories == [(tags[k]["slug"], tags[k]["title"]) for k in case["tags"]]
        assert entry.summary == summary_of(case)  # the quote and its attribution, or none
        related = [link["href"] for link in entry.links if link.get("rel") == "related"]
        assert related == [s["url"] for s in case["sources"] if s["url"]]  # originals, not copies
    full = next(e for e in entries_of(site) if case_id(e) == "full-case")
    assert full.categories == [
        ("mass-surveillance", "Mass surveillance"),
        ("privacy", "Privacy"),
    ]
    assert full.summary == summary_of(cases["full-case"])
    assert full.summary.startswith(
        "First paragraph of the quote.\n\nSecond paragraph of the quote.\n\n\N{EM DASH} "
    )


def summary_of(case: dict) -> str | None:
    """What a feed entry's summary holds: the quote, then "— attribution"."""
    if not case["quote"]:
        return None
    said = f"\n\n\N{EM DASH} {case['attribution']}" if case["attribution"] else ""
    return case["quote"] + said


def test_each_tag_feed_holds_its_tags_cases_newest_first(outdir) -> None:
    data = export_of(outdir)
    for tag in data["tags"]:
        feed = feed_of(outdir / "tags" / f"{tag['slug']}.atom")
        assert tag["title"] in text_of(feed, "title")
        expected = [i for i in NEWEST_FIRST if i in tag["cases"]]
        assert [case_id(e) for e in entries_of(feed)] == expected, tag["name"]
    privacy = feed_of(outdir / "tags" / "privacy.atom")
    assert [case_id(e) for e in entries_of(privacy)] == ["dated-only", "full-case", "specials"]


def test_special_characters_are_escaped_in_the_feeds(outdir) -> None:
    for name in ("cases.atom", "tags/cafe.atom", "tags/privacy.atom"):
        raw = (outdir / name).read_bytes()
        assert b"</script>" not in raw, name
        assert b"<b>" not in raw, name
        assert b"<Bar>" not in raw, name
        assert "é".encode() in raw or b"&#233;" in raw, name
        special = next(e for e in entries_of(feed_of(outdir / name)) if case_id(e) == "specials")
        assert special.title == SPECIAL_TITLE
        assert special.summary.partition("\n\n\N{EM DASH} ")[0] == SPECIAL_QUOTE
        assert ("cafe", "Café & <Bar>") in special.categories
    assert text_of(feed_of(outdir / "tags/cafe.atom"), "title") == "Export café: Café & <Bar>"


# -- pages link their feeds --------------------------------------------------------------


def test_every_page_links_the_site_feed(outdir) -> None:
    pages = pages_in(outdir)
    assert len(pages) > 10
    for page in pages:
        assert ("Export café", outdir / "cases.atom") in feed_links(page), page


def test_tag_pages_link_their_own_feed(outdir) -> None:
    for slug in TAG_SLUGS:
        own = outdir / "tags" / f"{slug}.atom"
        links = feed_links(outdir / "tags" / f"{slug}.html")
        assert links == [
            ("Export café", outdir / "cases.atom"),
            (text_of(feed_of(own), "title"), own),
        ]
    # the overview (the Tag index) has no feed of its own
    assert feed_links(outdir / "case-tags.html") == [("Export café", outdir / "cases.atom")]


def test_every_linked_feed_exists(outdir) -> None:
    """tags/about.md is a document of the project, not a tag page: no feed of its own."""
    missing = sorted(
        (page.relative_to(outdir).as_posix(), file.relative_to(outdir).as_posix())
        for page in pages_in(outdir)
        for _, file in feed_links(page)
        if not file.is_file()
    )
    assert missing == []


# -- dirhtml, length -------------------------------------------------------------------


@pytest.mark.sphinx(
    "dirhtml",
    testroot="export-log",
    srcdir="export-log-dirfeeds",
    confoverrides={"html_baseurl": BASEURL},
    freshenv=True,
)
def test_dirhtml_feeds(app) -> None:
    app.build()
    outdir = Path(app.outdir)
    assert feeds_in(outdir) == {"cases.atom"} | {f"tags/{slug}.atom" for slug in TAG_SLUGS}
    entries = {case_id(e): e for e in entries_of(feed_of(outdir / "cases.atom"))}
    assert entries["full-case"].id == f"{BASEURL}cases/#full-case"
    assert entries["sub-case"].id == f"{BASEURL}sub/page/#sub-case"
    for entry in entries.values():  # each link leads to the case in the output
        path, _, anchor = entry.id.removeprefix(BASEURL).partition("#")
        assert anchor in ids_in(page_file(outdir, path)), entry.id
    assert ("Export café", outdir / "cases.atom") in feed_links(
        outdir / "sub" / "page" / "index.html"
    )
    own = outdir / "tags" / "privacy.atom"
    assert own in [f for _, f in feed_links(outdir / "tags" / "privacy" / "index.html")]


@pytest.mark.sphinx(
    "html",
    testroot="export-log",
    srcdir="export-log-length2",
    confoverrides={"html_baseurl": BASEURL, "caselog_feed_length": 2},
    freshenv=True,
)
def test_caselog_feed_length_limits_every_feed(app) -> None:
    app.build()
    outdir = Path(app.outdir)
    site = feed_of(outdir / "cases.atom")
    assert [case_id(e) for e in entries_of(site)] == ["dated-only", "utc-later"]
    assert text_of(site, "updated") == "2018-04-06T00:00:00Z"
    privacy = feed_of(outdir / "tags" / "privacy.atom")
    assert [case_id(e) for e in entries_of(privacy)] == ["dated-only", "full-case"]
    for name in feeds_in(outdir):
        assert len(entries_of(feed_of(outdir / name))) <= 2, name


@pytest.mark.sphinx("html", testroot="export-many", srcdir="export-many-default", freshenv=True)
def test_feeds_hold_30_cases_by_default(app) -> None:
    app.build()
    outdir = Path(app.outdir)
    newest_30 = [f"case-{n:02d}" for n in range(32, 2, -1)]
    for name in ("cases.atom", "tags/common.atom"):
        assert [case_id(e) for e in entries_of(feed_of(outdir / name))] == newest_30, name


# -- incremental builds ----------------------------------------------------------------


def ids_and_titles(path: Path) -> list[tuple[str, str]]:
    return [(case_id(e), e.title) for e in entries_of(feed_of(path))]


def test_feeds_follow_edits_additions_and_deletions(copy_root, make_app) -> None:
    srcdir = copy_root("export-log")
    conf: dict[str, Any] = {"html_baseurl": BASEURL}
    first = make_app("html", srcdir=srcdir, confoverrides=conf)
    first.build()
    outdir = Path(first.outdir)
    assert ("full-case", "Court strikes down bulk retention") in ids_and_titles(
        outdir / "tags/privacy.atom"
    )

    edit(srcdir / "cases.md", "Court strikes down *bulk* retention", "Court *rewrites* retention")
    edit(srcdir / "cases.md", "tags: Mass Surveillance, bulk-spying, Privacy", "tags: Encryption")
    (srcdir / "added.md").write_text(
        "---\norphan: true\n---\n# Added\n\n"
        ":::{case} A case added later\n:id: added-case\n:date: 2019-01-01\n:tags: privacy\n\n"
        "> Added.\n:::\n",
        encoding="utf-8",
    )
    (srcdir / "unsafe.md").unlink()
    second = make_app("html", srcdir=srcdir, confoverrides=conf)
    second.build()

    site = ids_and_titles(outdir / "cases.atom")
    assert site[0] == ("added-case", "A case added later")
    assert ("full-case", "Court rewrites retention") in site
    assert "unsafe-case" not in dict(site)
    assert len(site) == len(NEWEST_FIRST)  # one added, one deleted
    full = next(e for e in entries_of(feed_of(outdir / "cases.atom")) if case_id(e) == "full-case")
    assert full.categories == [("encryption", "encryption")]
    assert ids_and_titles(outdir / "tags/privacy.atom") == [
        ("added-case", "A case added later"),
        ("dated-only", "Dated only"),
        ("specials", SPECIAL_TITLE),
    ]
    assert ids_and_titles(outdir / "tags/encryption.atom") == [
        ("full-case", "Court rewrites retention"),
        ("index-case", "A case on the root page"),
        ("month-only", "A month only"),
    ]
    assert [i for i, _ in ids_and_titles(outdir / "tags/mass-surveillance.atom")] == ["utc-later"]
    assert text_of(feed_of(outdir / "cases.atom"), "updated") == "2019-01-01T00:00:00Z"
