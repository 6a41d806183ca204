"""Parallel builds (``-j 4``) of ``test-domain-many``: 12 documents plus an index.

a01.md and a12.md both define the case id ``shared-id``; every aNN defines
``case-NN`` dated 20NN, tagged "Common Tag", and links to the next one.
(The duplicate id under ``-j 4`` is tested in test_domain.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import (
    ROOTS,
    caselog_warnings,
    clear_asset_cache,
    edit,
    grouped,
    html_of,
    index_rows,
    inventory,
    links,
    no_traceback,
    paragraph,
    read_docs,
    read_in_parallel,
)

DOCS = [f"a{n:02d}" for n in range(1, 13)]
CASE_IDS = {f"case-{n:02d}" for n in range(1, 13)} | {"shared-id"}
PAGES = [*DOCS, "index", "case-tags", "case-sources", "case-timeline"]


def build(make_app, srcdir: Path, builddir: Path, parallel: int, *, fresh: bool = True):
    clear_asset_cache()
    app = make_app("html", srcdir=srcdir, builddir=builddir, freshenv=fresh, parallel=parallel)
    app.build()
    no_traceback(app)
    return app


@pytest.mark.slow
def test_parallel_build_has_the_records_of_every_document(tmp_path, make_app) -> None:
    app = build(make_app, ROOTS / "test-domain-many", tmp_path / "j4", 4)
    assert read_in_parallel(app)
    timeline = index_rows(html_of(app, "case-timeline"))
    assert {r.href for r in timeline} == {f"a{n:02d}.html#case-{n:02d}" for n in range(1, 13)} | {
        "a01.html#shared-id"
    }
    assert [r.group for r in timeline] == ["1999"] + [str(2000 + n) for n in range(1, 13)]
    tags = grouped(index_rows(html_of(app, "case-tags")))
    assert len(tags["Common Tag"]) == 1 + 12
    assert all(f"tag {n:02d}" in tags for n in range(1, 13))
    sources = grouped(index_rows(html_of(app, "case-sources")))
    assert [r.extra for r in sources["Example"][1:]] == [f"Report {n:02d}" for n in range(1, 13)]
    inv = inventory(app)
    assert {name for typ, name in inv if typ == "case:case"} == CASE_IDS
    # every cross-document link resolved (each aNN links to the next)
    assert not [w for w in caselog_warnings(app) if w.type == "caselog.ref"]
    for n in range(1, 13):
        nxt = n % 12 + 1
        assert links(paragraph(html_of(app, f"a{n:02d}"), "Next:"))[0] == (
            f"a{nxt:02d}.html#case-{nxt:02d}",
            f"Case number {nxt:02d}",
        )


def different_pages(one: Path, other: Path) -> list[str]:
    return [
        p for p in PAGES if (one / f"{p}.html").read_bytes() != (other / f"{p}.html").read_bytes()
    ]


@pytest.mark.slow
def test_serial_and_parallel_output_are_identical(tmp_path, make_app) -> None:
    """-j 1 and -j 4 from the same sources write byte-identical pages and indices.

    Both builds start from empty output folders. Everything is compared; at the
    time of writing nothing (not even searchindex.js or _static) differed.
    """
    srcdir = ROOTS / "test-domain-many"
    serial = build(make_app, srcdir, tmp_path / "j1", 1)
    parallel = build(make_app, srcdir, tmp_path / "j4", 4)
    assert not read_in_parallel(serial)
    assert read_in_parallel(parallel)
    out1, out4 = Path(serial.outdir), Path(parallel.outdir)
    assert different_pages(out1, out4) == []
    files1 = sorted(p.relative_to(out1) for p in out1.rglob("*") if p.is_file())
    files4 = sorted(p.relative_to(out4) for p in out4.rglob("*") if p.is_file())
    assert files1 == files4
    others = [
        str(f)
        for f in files1
        if f.suffix != ".html" and (out1 / f).read_bytes() != (out4 / f).read_bytes()
    ]
    assert not others, f"other files that differ: {others}"
    assert [w[:4] for w in caselog_warnings(serial)] == [w[:4] for w in caselog_warnings(parallel)]


@pytest.mark.slow
def test_parallel_incremental_rebuild_merges_the_edit(
    copy_root, make_app, tmp_path, monkeypatch
) -> None:
    """-j 4, edit one document, -j 4 again: the edited document's records are merged
    into the pickled env of the first build, and every page is what a fresh serial
    build of the edited sources writes (nothing stale, nothing lost)."""
    srcdir = copy_root("domain-many")
    merged: list[set[str]] = []

    def watch(app) -> None:  # once: the domain class is the same for every app
        domain_class = type(app.env.domains["case"])
        merge = domain_class.merge_domaindata

        def spy(self, docnames, otherdata) -> None:
            merged.append(set(docnames))
            merge(self, docnames, otherdata)

        monkeypatch.setattr(domain_class, "merge_domaindata", spy)

    clear_asset_cache()
    first = make_app("html", srcdir=srcdir, builddir=tmp_path / "j4", freshenv=True, parallel=4)
    watch(first)
    first.build()
    assert read_in_parallel(first)
    assert len(merged) > 1, "the first build was read in more than one chunk"
    assert set().union(*merged) == {*DOCS, "index"}

    edit(srcdir / "a05.md", ":::{case} Case number 05", ":::{case} Case number five")
    edit(srcdir / "a05.md", ":date: 2005-05-05", ":date: 2013-01-31")
    edit(srcdir / "a05.md", "tag 05", "tag five")
    merged.clear()
    clear_asset_cache()
    second = make_app("html", srcdir=srcdir, builddir=tmp_path / "j4", parallel=4)
    second.build()
    no_traceback(second)
    assert read_docs(second) == {"a05"}
    assert merged == [{"a05"}], "the re-read document came back through merge_domaindata"

    # What a reader sees: the edit everywhere, the rest as it was.
    assert links(paragraph(html_of(second, "a04"), "Next:"))[0] == (
        "a05.html#case-05",
        "Case number five",
    )
    timeline = index_rows(html_of(second, "case-timeline"))
    assert [r.group for r in timeline if r.href == "a05.html#case-05"] == ["2013"]
    tags = grouped(index_rows(html_of(second, "case-tags")))
    assert "tag five" in tags
    assert "tag 05" not in tags
    assert len(tags["Common Tag"]) == 1 + 12
    # objects.inv links the case's search anchor (issue 15), an id on the case itself
    assert inventory(second)["case:case", "case-05"] == (
        "a05.html#caselog-case-05",
        "Case number five",
    )
    duplicates = [w for w in caselog_warnings(second) if w.type == "caselog.duplicate_id"]
    assert [(w.file, w.docname) for w in duplicates] == [("a12.md", "a12")]

    fresh = build(make_app, srcdir, tmp_path / "fresh", 1)
    assert different_pages(Path(fresh.outdir), Path(second.outdir)) == []
