"""Reproducible output (issue 9): the same sources give the same bytes.

``tests/roots/test-repro-log`` (twelve documents and an index, with every view over the
cases: pages, the four listing styles, tag pages, indices, ``caselog.json``, Atom feeds
with ``html_baseurl``, LaTeX, and three warnings) is built by separate ``sphinx-build``
processes, run side by side, each from its own copy of the root:

* ``a``: ``PYTHONHASHSEED=1``, ``TZ=UTC``, ``-j 1``;
* ``b``: ``PYTHONHASHSEED=4242``, ``TZ=Asia/Kolkata``, ``-j 1``, a different (deeper)
  source and output folder;
* ``j4``: as ``a`` but ``-j 4`` (and its own folders);

all with the same ``SOURCE_DATE_EPOCH``, for html (``a``, ``b``, ``j4``) and latex
(``a``, ``b``). The doctrees go to a folder of their own (``-d``), so every file of each
output folder is compared: nothing is excluded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from helpers import ROOTS, console_warnings, no_traceback

ROOT = ROOTS / "test-repro-log"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


class Run(NamedTuple):
    name: str
    srcdir: Path
    outdir: Path
    returncode: int
    stdout: str
    stderr: str


#: name → (builder, PYTHONHASHSEED, TZ, -j, source folder, output folder) under tmp
BUILDS = {
    "html-a": ("html", "1", "UTC", 1, "a/src", "a/out/html"),
    "html-b": ("html", "4242", "Asia/Kolkata", 1, "b/deeper/path/source", "b/other/build/html"),
    "html-j4": ("html", "1", "UTC", 4, "j4/src", "j4/out/html"),
    "latex-a": ("latex", "1", "UTC", 1, "la/src", "la/out/latex"),
    "latex-b": ("latex", "4242", "Asia/Kolkata", 1, "lb/deeper/source", "lb/elsewhere/latex"),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("repro")
    started = {}
    for name, (builder, seed, tz, jobs, src, out) in BUILDS.items():
        srcdir, outdir = base / src, base / out
        shutil.copytree(ROOT, srcdir)
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz, "SOURCE_DATE_EPOCH": EPOCH}
        env["NO_COLOR"] = "1"
        command = [sys.executable, "-m", "sphinx", "-b", builder, "-j", str(jobs)]
        command += ["-d", str(base / f"doctrees-{name}"), str(srcdir), str(outdir)]
        process = subprocess.Popen(
            command,
            cwd=srcdir.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started[name] = (process, srcdir, outdir)
    result = {}
    for name, (process, srcdir, outdir) in started.items():
        stdout, stderr = process.communicate(timeout=300)
        result[name] = Run(name, srcdir, outdir, process.returncode, stdout, stderr)
    return result


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def differing(one: Run, other: Run, pattern: str = "*") -> list[str]:
    """The files (matching *pattern*) that are not byte-identical in the two outputs."""
    first, second = files_of(one.outdir), files_of(other.outdir)
    assert set(first) == set(second), set(first) ^ set(second)
    names = [n for n in sorted(first) if Path(n).match(pattern)]
    assert names, f"no {pattern} in {one.outdir}"
    return [n for n in names if first[n] != second[n]]


def warnings_seen(run: Run) -> list[tuple[str, int | None, str | None, str]]:
    """(file, line, type, message) of each warning, build folders masked, sorted."""
    return sorted(
        (
            (w.file, w.line, w.type, w.message.replace(str(run.srcdir), "<src>"))
            for w in console_warnings(run.stderr)
        ),
        key=str,
    )


@pytest.mark.slow
def test_every_build_succeeds_with_the_same_warnings(runs: dict[str, Run]) -> None:
    for run in runs.values():
        assert run.returncode == 0, (run.name, run.stderr[-3000:])
        no_traceback(run.stderr)
    expected = warnings_seen(runs["html-a"])
    # not vacuous: the root warns, and one warning names another file of the build
    assert {w[2] for w in expected} == {
        "caselog.unsafe_url",
        "caselog.kind",
        "caselog.duplicate_id",
    }
    assert any("<src>" in w[3] for w in expected)
    for name in ("html-b", "html-j4", "latex-a", "latex-b"):
        assert warnings_seen(runs[name]) == expected, name


@pytest.mark.slow
def test_html_is_byte_identical_whatever_the_seed_zone_and_folder(runs: dict[str, Run]) -> None:
    a, b = runs["html-a"], runs["html-b"]
    assert differing(a, b, "*.html") == []
    pages = files_of(a.outdir)
    assert len([n for n in pages if n.startswith("tags/") and n.endswith(".html")]) >= 10
    assert {"case-tags.html", "case-sources.html", "case-timeline.html"} <= set(pages)
    # and every other file Sphinx writes (search index, inventory, _static, .buildinfo)
    assert differing(a, b) == []


@pytest.mark.slow
def test_json_and_feeds_are_byte_identical(runs: dict[str, Run]) -> None:
    a, b = runs["html-a"], runs["html-b"]
    assert differing(a, b, "caselog.json") == []
    feeds = [n for n in files_of(a.outdir) if n.endswith(".atom")]
    assert "cases.atom" in feeds and len(feeds) >= 11  # the log's, and one per tag page
    assert differing(a, b, "*.atom") == []


@pytest.mark.slow
def test_latex_is_byte_identical(runs: dict[str, Run]) -> None:
    a, b = runs["latex-a"], runs["latex-b"]
    assert differing(a, b, "*.tex") == []
    tex = next(a.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert tex.count(r"\begin{sphinxcaselog}") >= 24
    assert r"\date{Nov 14, 2023}" in tex  # SOURCE_DATE_EPOCH, not the clock
    assert differing(a, b) == []


@pytest.mark.slow
def test_serial_and_parallel_builds_are_identical(runs: dict[str, Run]) -> None:
    serial, parallel = runs["html-a"], runs["html-j4"]
    status = parallel.stdout
    assert re.search(r"reading sources\.\.\. \[\s*\d+%\] \S+ \.\. \S+", status), status[-2000:]
    assert differing(serial, parallel) == []
    assert warnings_seen(serial) == warnings_seen(parallel)


@pytest.mark.slow
def test_no_output_names_the_build_folders(runs: dict[str, Run]) -> None:
    """Nothing written depends on where the sources or the output live."""
    for run in runs.values():
        for name, data in files_of(run.outdir).items():
            for folder in (run.srcdir, run.outdir, run.srcdir.parent):
                assert str(folder).encode() not in data, (run.name, name, folder)
