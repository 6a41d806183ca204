"""Incremental builds of a copied ``test-domain-incremental``: edit, rebuild, look.

memo_page.md holds the case ``memo`` ("Original memo title", 2014-05-01, tags
oldtag + keep, one rfc-editor.org source → publisher IETF). citing.md refers to it
with ``{case:ref}`memo``` and ``{case:tag}`oldtag```; hosts.md names its publisher
by host, ``{case:source}`rfc-editor.org```; anyref.md uses ``{any}`memo```;
other.md has an unrelated case. Every page but index is an orphan, so removing
one changes no toctree.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from helpers import (
    caselog_warnings,
    clear_asset_cache,
    counts,
    edit,
    html_of,
    index_rows,
    inventory,
    line_of,
    links,
    no_traceback,
    paragraph,
    read_docs,
    status_of,
    written_docs,
)

from sphinx_caselog.domain import CaseDomain

DOCS = ["anyref", "citing", "hosts", "index", "memo_page", "other"]


@pytest.fixture
def project(rebuilds):
    return rebuilds("domain-incremental")


def index_texts(app) -> str:
    return " | ".join(
        f"{r.group}: {r.text} ({r.extra})"
        for page in ("case-tags", "case-sources", "case-timeline")
        for r in index_rows(html_of(app, page))
    )


def test_title_edit_shows_in_links_on_other_pages(project) -> None:
    srcdir, build = project
    first = build()
    assert links(paragraph(html_of(first, "citing"), "See")) == [
        ("memo_page.html#memo", "Original memo title")
    ]
    edit(srcdir / "memo_page.md", "Original memo title", "Renamed memo title")
    second = build()
    assert counts(second) == (0, 1, 0)
    assert read_docs(second) == {"memo_page"}
    # citing.md was not edited nor re-read, but its page is re-written
    assert {"memo_page", "citing"} <= written_docs(second)
    # ("index" may be re-written by Sphinx itself when a toctree entry's title changes.)
    assert not {"other", "hosts"} & written_docs(second)
    assert links(paragraph(html_of(second, "citing"), "See")) == [
        ("memo_page.html#memo", "Renamed memo title")
    ]
    assert "Renamed memo title" in index_texts(second)
    assert "Original memo title" not in index_texts(second)


def test_title_edit_shows_in_any_role_links_on_other_pages(project) -> None:
    """The ``any`` role resolves case ids too; its links must not go stale either."""
    srcdir, build = project
    first = build()
    assert links(paragraph(html_of(first, "anyref"), "Through")) == [
        ("memo_page.html#memo", "Original memo title")
    ]
    edit(srcdir / "memo_page.md", "Original memo title", "Renamed memo title")
    second = build()
    assert links(paragraph(html_of(second, "anyref"), "Through")) == [
        ("memo_page.html#memo", "Renamed memo title")
    ], f"anyref.html was not re-written; pages written: {sorted(written_docs(second))}"


def test_tag_edit_updates_the_tag_index(project) -> None:
    srcdir, build = project
    first = build()
    tags = {r.text for r in index_rows(html_of(first, "case-tags")) if not r.sub}
    assert tags == {"keep", "oldtag"}
    edit(srcdir / "memo_page.md", "tags: oldtag, keep", "tags: newtag, keep")
    second = build()
    tags = {r.text for r in index_rows(html_of(second, "case-tags")) if not r.sub}
    assert tags == {"keep", "newtag"}
    # the page that links the old tag was re-written and now warns
    found = [(w.file, w.line, w.message) for w in caselog_warnings(second)]
    assert found == [("citing.md", line_of(srcdir, "citing.md", "oldtag"), "unknown tag 'oldtag'")]
    assert paragraph(html_of(second, "citing"), "Tag").find("a") is None


def test_date_edit_moves_the_case_in_the_timeline(project) -> None:
    srcdir, build = project
    first = build()
    timeline = [(r.group, r.text) for r in index_rows(html_of(first, "case-timeline"))]
    assert timeline == [("2010", "Unrelated case"), ("2014", "Original memo title")]
    edit(srcdir / "memo_page.md", "date: 2014-05-01", "date: 2019-03")
    second = build()
    timeline = [(r.group, r.text, r.extra) for r in index_rows(html_of(second, "case-timeline"))]
    assert timeline == [
        ("2010", "Unrelated case", "January 1, 2010"),  # as every view writes dates
        ("2019", "Original memo title", "March 2019"),
    ]


def test_deleting_a_document_removes_its_cases(project) -> None:
    srcdir, build = project
    first = build()
    assert "Original memo title" in index_texts(first)
    (srcdir / "memo_page.md").unlink()
    second = build()
    assert counts(second) == (0, 0, 1)
    for page in ("case-tags", "case-sources", "case-timeline"):
        rows = index_rows(html_of(second, page))
        assert "Unrelated case" in {r.text for r in rows}, page
        assert not [r for r in rows if "memo_page" in r.href], page
    assert {r.text for r in index_rows(html_of(second, "case-tags")) if not r.sub} == {"keep"}
    assert [r.text for r in index_rows(html_of(second, "case-sources")) if not r.sub] == [
        "example.com"
    ]
    assert [r.group for r in index_rows(html_of(second, "case-timeline"))] == ["2010"]
    assert ("case:case", "memo") not in inventory(second)
    found = {(w.file, w.line, w.message) for w in caselog_warnings(second)}
    assert (
        "citing.md",
        line_of(srcdir, "citing.md", "{case:ref}"),
        "unknown case 'memo'",
    ) in found
    see = paragraph(html_of(second, "citing"), "See")
    assert see.find("a") is None
    assert "memo" in see.get_text()


def test_deleting_a_document_unlinks_publisher_refs_by_host(project) -> None:
    """hosts.md names IETF only by host; once no case cites rfc-editor.org the
    reference must warn and stop linking, as in a clean build."""
    srcdir, build = project
    first = build()
    assert links(paragraph(html_of(first, "hosts"), "Published")) == [
        ("case-sources.html#caselog-source-ietf", "IETF")
    ]
    (srcdir / "memo_page.md").unlink()
    second = build()
    found = {(w.file, w.message) for w in caselog_warnings(second)}
    assert ("hosts.md", "unknown source 'rfc-editor.org'") in found, (
        f"hosts.html was not re-written; pages written: {sorted(written_docs(second))}"
    )
    assert paragraph(html_of(second, "hosts"), "Published").find("a") is None


def test_an_index_left_empty_by_a_deletion_lists_no_deleted_case(project) -> None:
    """Delete the only case with sources: the Source index must not keep listing it
    (Sphinx writes no page for an empty domain index, so the old page would stay)."""
    srcdir, build = project
    first = build()
    assert "Original memo title" in html_of(first, "case-sources").get_text()
    edit(srcdir / "other.md", ":source: Other report <https://example.com/report>\n", "")
    (srcdir / "memo_page.md").unlink()
    second = build()
    assert counts(second) == (0, 1, 1)
    page = Path(second.outdir) / "case-sources.html"
    listed = html_of(second, "case-sources").get_text() if page.exists() else ""
    generated = re.search(r"generating indices\.\.\. (.*)", status_of(second))
    assert "Original memo title" not in listed, (
        "case-sources.html still lists the deleted case; this build generated only: "
        f"{generated[1] if generated else '?'}"
    )


def test_renaming_a_case_id_warns_at_references_to_the_old_id(project) -> None:
    srcdir, build = project
    build()
    edit(srcdir / "memo_page.md", "id: memo\n", "id: memo-v2\n")
    second = build()
    found = [(w.file, w.line, w.message, w.type) for w in caselog_warnings(second)]
    assert found == [
        (
            "citing.md",
            line_of(srcdir, "citing.md", "{case:ref}"),
            "unknown case 'memo'",
            "caselog.ref",
        )
    ]
    assert paragraph(html_of(second, "citing"), "See").find("a") is None
    inv = inventory(second)
    assert inv["case:case", "memo-v2"][0] == "memo_page.html#caselog-memo-v2"
    assert ("case:case", "memo") not in inv


def test_rebuild_without_changes_reads_and_writes_nothing(project) -> None:
    _, build = project
    first = build()
    assert counts(first) == (len(DOCS), 0, 0)
    assert written_docs(first) == set(DOCS)
    outdir = Path(first.outdir)
    mtimes = {doc: (outdir / f"{doc}.html").stat().st_mtime_ns for doc in DOCS}
    second = build()
    assert counts(second) == (0, 0, 0)
    assert read_docs(second) == set()
    assert written_docs(second) == set()
    assert {doc: (outdir / f"{doc}.html").stat().st_mtime_ns for doc in DOCS} == mtimes
    assert not caselog_warnings(second)


@pytest.mark.slow
def test_incremental_pages_match_a_clean_build(project, make_app, tmp_path) -> None:
    """After an edit, the pages an incremental build writes are byte-identical to a
    clean build of the same sources."""
    srcdir, build = project
    build()
    edit(srcdir / "memo_page.md", "Original memo title", "Renamed memo title")
    incremental = build()
    clear_asset_cache()
    clean = make_app("html", srcdir=srcdir, builddir=tmp_path / "clean", freshenv=True)
    clean.build()
    differing = []
    for doc in sorted(written_docs(incremental)):
        ours = (Path(incremental.outdir) / f"{doc}.html").read_text(encoding="utf-8")
        theirs = (Path(clean.outdir) / f"{doc}.html").read_text(encoding="utf-8")
        if ours != theirs:
            first_diff = next(
                (a, b)
                for a, b in zip(ours.splitlines(), theirs.splitlines(), strict=False)
                if a != b
            )
            differing.append((doc, first_diff))
    assert not differing, f"incremental vs clean: {differing}"


def _assert_everything_reread(app, srcdir: Path) -> None:
    assert app.statuscode == 0
    no_traceback(app)
    added, changed, _removed = counts(app)
    assert added + changed == len(DOCS)
    assert read_docs(app) == set(DOCS)
    assert links(paragraph(html_of(app, "citing"), "See")) == [
        ("memo_page.html#memo", "Original memo title")
    ]
    assert [r.text for r in index_rows(html_of(app, "case-timeline"))] == [
        "Unrelated case",
        "Original memo title",
    ]


def test_an_old_pickled_domain_data_is_discarded(project) -> None:
    """An environment pickled by an older version (older data shape, older version
    stamp) is not used: the next build re-reads everything, without a traceback."""
    srcdir, build = project
    first = build()
    pickled = Path(first.doctreedir) / "environment.pickle"
    with pickled.open("rb") as stream:
        env = pickle.load(stream)
    data = env.domaindata["case"]
    assert data["version"] == CaseDomain.data_version
    data["version"] = 0
    # what an older release might have stored: plain dicts, other keys
    data["cases"] = {"memo_page": ({"id": "memo", "title": "Stale"},)}
    data["refs"] = {"citing": {"memo"}}
    with pickled.open("wb") as stream:
        pickle.dump(env, stream, pickle.HIGHEST_PROTOCOL)
    second = build()
    _assert_everything_reread(second, srcdir)


def test_a_newer_data_version_rereads_everything(project, monkeypatch) -> None:
    srcdir, build = project
    build()
    monkeypatch.setattr(CaseDomain, "data_version", CaseDomain.data_version + 1)
    second = build()
    _assert_everything_reread(second, srcdir)
