"""Archived copies and access dates on source lines: parsing, and what each builder shows."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from helpers import caselog_warnings, html_of
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.model import PartialDate, Source, parse_source_line

WAYBACK = "https://web.archive.org/web/20151007093512/https://example.org/ruling"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the old forms, unchanged
        ("T <https://a.org/x>", Source("T", "https://a.org/x", "a.org", "T <https://a.org/x>")),
        ("https://a.org/x", Source("https://a.org/x", "https://a.org/x", "a.org", "https://a.org/x")),
        (
            "Shelved and archived <https://a.org/x>",  # the word alone is part of the title
            Source("Shelved and archived", "https://a.org/x", "a.org", "Shelved and archived <https://a.org/x>"),
        ),
        (
            f"T <https://a.org/x> archived <{WAYBACK}> accessed 2024-03-01",
            Source("T", "https://a.org/x", "a.org", f"T <https://a.org/x> archived <{WAYBACK}> accessed 2024-03-01",
                   WAYBACK, PartialDate(2015, 10, 7), PartialDate(2024, 3, 1)),
        ),
        (
            "T <https://a.org/x> ACCESSED 2024-03 Archived 2016-02-03 <https://archive.example/a>",
            Source("T", "https://a.org/x", "a.org",
                   "T <https://a.org/x> ACCESSED 2024-03 Archived 2016-02-03 <https://archive.example/a>",
                   "https://archive.example/a", PartialDate(2016, 2, 3), PartialDate(2024, 3)),
        ),
        (
            "https://a.org/x archived <https://archive.example/a>",
            Source("https://a.org/x", "https://a.org/x", "a.org",
                   "https://a.org/x archived <https://archive.example/a>",
                   "https://archive.example/a", None, None),
        ),
    ],
)  # fmt: skip
def test_source_lines(line: str, expected: Source) -> None:
    assert parse_source_line(line) == (expected, [])


def test_a_bad_copy_or_date_is_dropped_and_reported() -> None:
    source, problems = parse_source_line(
        "T <https://a.org/x> archived <javascript:alert(1)> accessed 2024-02-30"
    )
    assert (source.url, source.archive_url, source.accessed) == ("https://a.org/x", None, None)
    assert [p.kind for p in problems] == ["unsafe_url", "date"]


def test_parts_without_a_safe_source_leave_the_line_as_it_was() -> None:
    source, problems = parse_source_line("Notes accessed 2024-03-01")
    assert (source.url, source.title, problems) == (None, "Notes accessed 2024-03-01", [])


@pytest.fixture(scope="module")
def html(module_build: Any) -> SphinxTestApp:
    return module_build("sources-archive")


def source_items(app: SphinxTestApp, docname: str) -> list:
    return html_of(app, docname).select(".caselog-sources li")


def test_robust_links_and_a_visible_archived_copy(html: SphinxTestApp) -> None:
    first = source_items(html, "index")[0]
    original, copy = first.find_all("a")
    assert original["href"] == "https://example.org/ruling"
    assert original["data-versionurl"] == WAYBACK
    assert original["data-versiondate"] == "2015-10-07"
    assert copy.get_text() == "archived copy" and copy["href"] == WAYBACK
    assert copy["data-originalurl"] == "https://example.org/ruling"
    assert copy["data-versiondate"] == "2015-10-07"
    assert " ".join(first.get_text().split()) == (
        "The judgment example.org (archived copy, October 7, 2015), accessed March 1, 2024"
    )


def test_copies_without_a_known_date(html: SphinxTestApp) -> None:
    items = source_items(html, "index")
    assert " ".join(items[1].get_text().split()) == (
        "A report example.org (archived copy, February 3, 2016), accessed November 2023"
    )
    bare = items[2].find_all("a")
    assert bare[1]["href"] == "https://web.archive.org/web/2017/https://example.org/bare"
    assert "data-versiondate" not in bare[0].attrs and "data-versiondate" not in bare[1].attrs


def test_an_old_style_line_and_a_bad_copy(html: SphinxTestApp) -> None:
    items = source_items(html, "index")
    assert " ".join(items[3].get_text().split()) == "A report archived and shelved example.org"
    assert [a["href"] for a in items[4].find_all("a")] == ["https://example.org/x"]
    warnings = [(w.file, w.line, w.type) for w in caselog_warnings(html)]
    assert warnings == [("index.md", 16, "caselog.unsafe_url"), ("index.md", 16, "caselog.date")]


def test_rst_sources_too(html: SphinxTestApp) -> None:
    first, plain = source_items(html, "other")
    assert first.find("a")["data-versionurl"] == WAYBACK
    assert len(plain.find_all("a")) == 1


def test_json_and_feeds(html: SphinxTestApp) -> None:
    data = json.loads((Path(html.outdir) / "caselog.json").read_text(encoding="utf-8"))
    sources = {c["id"]: c["sources"] for c in data["cases"]}
    assert sources["myst-case"][0] == {
        "title": "The judgment",
        "url": "https://example.org/ruling",
        "publisher": "example.org",
        "archive_url": WAYBACK,
        "archive_date": "2015-10-07",
        "accessed": "2024-03-01",
    }
    assert sources["myst-case"][1]["accessed"] == "2023-11"
    feed = ET.parse(Path(html.outdir) / "cases.atom").getroot()
    related = [
        link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")
        if link.get("rel") == "related"
    ]  # fmt: skip
    assert "https://example.org/ruling" in related
    assert not [url for url in related if "archive" in url]  # the originals only


def test_print_writes_both_urls_and_the_dates(module_build: Any) -> None:
    for app in [module_build("sources-archive", "latex")]:
        tex = (Path(app.outdir) / "sources.tex").read_text(encoding="utf-8")
        assert r"\sphinxhref{https://example.org/ruling}{The judgment}" in tex
        assert r"\sphinxurl{https://example.org/ruling}" in tex
        assert r"\sphinxhref{" + WAYBACK + "}{archived copy}" in tex
        assert r"\sphinxurl{" + WAYBACK + "}" in tex
        assert "October 7, 2015)}" in tex and "{, accessed March 1, 2024}" in tex
    for app in [module_build("sources-archive", "text")]:
        # The text writer wraps lines, even inside a URL: compare without whitespace.
        text = "".join((Path(app.outdir) / "index.txt").read_text(encoding="utf-8").split())
        expected = (
            f"The judgment https://example.org/ruling (archived copy {WAYBACK}, October 7, 2015), "
            "accessed March 1, 2024"
        )
        assert "".join(expected.split()) in text


def test_require_archive_warns_at_each_source_without_one(make_app, copy_root) -> None:
    app = make_app("html", srcdir=copy_root("sources-archive"),
                   confoverrides={"caselog_require_archive": True})  # fmt: skip
    app.build()
    no_archive = [(w.file, w.line) for w in caselog_warnings(app) if w.type == "caselog.no_archive"]
    assert no_archive == [("index.md", 15), ("index.md", 16), ("other.rst", 7)]
    message = next(w.message for w in caselog_warnings(app) if w.type == "caselog.no_archive")
    assert message.startswith("source 'https://example.org/old-style' has no archived copy")


@pytest.mark.parametrize(
    "line",
    [
        "T <https://a.org/>" + " " * 80_000 + "archived" + " " * 80_000 + "<https://b.org/>",
        "T <https://a.org/>" + " accessed" * 40_000,
        "T <https://a.org/> " + "archived " * 30_000 + "<https://b.org/>",
    ],
    ids=["spaces", "accessed-repeated", "archived-repeated"],
)
def test_pasted_monsters_parse_in_linear_time(line: str) -> None:
    start = time.perf_counter()
    parse_source_line(line)
    assert time.perf_counter() - start < 0.05
