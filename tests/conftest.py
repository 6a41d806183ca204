"""Shared fixtures: real Sphinx builds of the roots under ``tests/roots/test-*``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings
from sphinx.testing.util import SphinxTestApp

pytest_plugins = "sphinx.testing.fixtures"

# Property tests are deterministic by default, so that CI passes or fails the same way on
# every run: examples come from a fixed seed, and examples found once are kept as explicit
# ``@example`` regressions (never a database that CI would not have). Developers explore
# with ``HYPOTHESIS_PROFILE=explore python -m pytest tests/test_model.py``.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOTS = Path(__file__).parent / "roots"
_WARNING = re.compile(
    # "file:line: ", or "file:: " (Sphinx's form for a file location with no line)
    r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+)?)?: (?P<level>WARNING|ERROR|CRITICAL): "
    r"(?P<message>.*?)(?: \[(?P<type>[\w.]+)\])?$"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


class Warning(NamedTuple):
    """One logged warning, as a user sees it on the console."""

    file: str  # the file's name (no directory), or "" when unlocated
    line: int | None
    level: str
    message: str
    type: str | None  # e.g. "caselog.option"


def warnings_of(app: SphinxTestApp) -> list[Warning]:
    """Every warning/error the build printed, parsed from ``file:line: WARNING: msg [type]``."""
    found = []
    for raw in _ANSI.sub("", app.warning.getvalue()).splitlines():
        match = _WARNING.match(raw)
        if match:
            line = match["line"]
            found.append(
                Warning(
                    Path(match["file"]).name,
                    int(line) if line else None,
                    match["level"],
                    match["message"],
                    match["type"],
                )
            )
    return found


# -- what a (re)build read and wrote, from its status output ---------------------------------


def status_of(app: SphinxTestApp) -> str:
    return _ANSI.sub("", app.status.getvalue())


def counts(app: SphinxTestApp) -> tuple[int, int, int]:
    """(added, changed, removed) from ``updating environment: … N added, N changed, N removed``."""
    match = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", status_of(app))
    assert match is not None, status_of(app)
    return int(match[1]), int(match[2]), int(match[3])


def read_docs(app: SphinxTestApp) -> set[str]:
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status_of(app)))


def written_docs(app: SphinxTestApp) -> set[str]:
    return set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status_of(app)))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new), encoding="utf-8")


def caselog_warnings(app: SphinxTestApp) -> list[Warning]:
    return [w for w in warnings_of(app) if (w.type or "").startswith("caselog")]


def html_of(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    """The parsed HTML page of *docname* (html, dirhtml or singlehtml output)."""
    outdir = Path(app.outdir)
    for candidate in (outdir / f"{docname}.html", outdir / docname / "index.html"):
        if candidate.exists():
            return BeautifulSoup(candidate.read_text(encoding="utf-8"), "lxml")
    raise FileNotFoundError(docname)


def build_once(
    root: str, builder: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SphinxTestApp]:
    """A fresh build of a copy of ``tests/roots/test-<root>``, for a module-scoped fixture.

    (Not ``test_params(shared_result=...)``: its skip-building wrapper treats any file
    in the output folder as a finished build, and sphinx-design 0.6 writes one first.)
    """
    srcdir = tmp_path_factory.mktemp(f"{root}-{builder}") / "src"
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    app = SphinxTestApp(builder, srcdir=srcdir)
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def compile_tex(outdir: Path) -> tuple[Path, str]:
    """Compile the one .tex in *outdir* with latexmk (pdflatex); the PDF and the log.

    Fails the test, with the end of the log, when LaTeX stops.
    """
    (tex,) = outdir.glob("*.tex")
    run = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=outdir, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    log = tex.with_suffix(".log").read_text(encoding="latin-1")
    assert run.returncode == 0, log[-3000:]
    return tex.with_suffix(".pdf"), log


@pytest.fixture
def copy_root(tmp_path: Path):
    """Copy a test root into a writable folder (roots are read-only since Sphinx 8.2)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / f"test-{name}", target)
        return target

    return copy
