"""Parallel builds (``-j 4``) of ``test-domain-many``: 12 documents plus an index.

a01.md and a12.md both define the case id ``shared-id``; every aNN defines
``case-NN`` dated 20NN, tagged "Common Tag", and links to the next one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOTS, caselog_warnings, html_of
from test_domain import (
    assert_the_earlier_duplicate_wins,
    grouped,
    index_rows,
    inventory,
    links,
    paragraph,
)

DOCS = [f"a{n:02d}" for n in range(1, 13)]
CASE_IDS = {f"case-{n:02d}" for n in range(1, 13)} | {"shared-id"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def was_read_in_parallel(app) -> bool:
    """A parallel read logs chunks: ``reading sources... [ 25%] a01 .. a03``."""
    status = _ANSI.sub("", app.status.getvalue())
    return re.search(r"reading sources\.\.\. \[\s*\d+%\] \S+ \.\. \S+", status) is not None


def build(make_app, srcdir: Path, builddir: Path, parallel: int):
    app = make_app("html", srcdir=srcdir, builddir=builddir, freshenv=True, parallel=parallel)
    app.build()
    return app


@pytest.mark.slow
@pytest.mark.sphinx("html", testroot="domain-many", freshenv=True, parallel=4)
def test_duplicate_id_is_reported_once_in_a_parallel_build(app) -> None:
    app.build()
    assert was_read_in_parallel(app)
    assert_the_earlier_duplicate_wins(app)


@pytest.mark.slow
def test_parallel_build_has_the_records_of_every_document(tmp_path, make_app) -> None:
    app = build(make_app, ROOTS / "test-domain-many", tmp_path / "j4", 4)
    assert was_read_in_parallel(app)
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


@pytest.mark.slow
def test_serial_and_parallel_output_are_identical(tmp_path, make_app) -> None:
    """-j 1 and -j 4 from the same sources write byte-identical pages and indices.

    Both builds start from empty output folders. Everything is compared; at the
    time of writing nothing (not even searchindex.js or _static) differed.
    """
    srcdir = ROOTS / "test-domain-many"
    serial = build(make_app, srcdir, tmp_path / "j1", 1)
    parallel = build(make_app, srcdir, tmp_path / "j4", 4)
    assert not was_read_in_parallel(serial)
    assert was_read_in_parallel(parallel)
    out1, out4 = Path(serial.outdir), Path(parallel.outdir)
    pages = [*DOCS, "index", "case-tags", "case-sources", "case-timeline"]
    differing = [
        page
        for page in pages
        if (out1 / f"{page}.html").read_bytes() != (out4 / f"{page}.html").read_bytes()
    ]
    assert not differing, f"pages that differ between -j 1 and -j 4: {differing}"
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
