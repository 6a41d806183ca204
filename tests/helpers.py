"""What the test modules share: builds of copied roots, warnings from log records, readers.

One copy of each helper. Test modules import from here (never from each other, nor
from ``conftest``, which only holds fixtures and re-exports a few old names).

Warnings come from Sphinx's log records, not from console text: ``recording_setup``
wraps ``sphinx.util.logging.setup`` (conftest installs it for the session), so that
every app's warning handler keeps each record that passed Sphinx's own filters
(``suppress_warnings``, ``once``), with its type, subtype, docname, file and line.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.utils import get_source_line
from sphinx.testing.util import SphinxTestApp
from sphinx.util import logging as sphinx_logging
from sphinx.util import texescape
from sphinx.util.inventory import InventoryFile

try:
    from sphinx.builders.html._assets import _file_checksum_inner
except ImportError:  # other Sphinx versions: no per-process checksum cache to clear
    _file_checksum_inner = None

ROOTS = Path(__file__).parent / "roots"
DOCS = Path(__file__).parent.parent / "docs"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


# -- warnings, from log records ---------------------------------------------------------------


class Warning(NamedTuple):
    """One warning or error a build logged (and did not suppress)."""

    file: str  # the file's name (no directory), or "" when unlocated
    line: int | None
    level: str  # WARNING, ERROR or CRITICAL
    message: str  # without the " [type.subtype]" suffix
    category: str | None  # the record's type, e.g. "caselog"
    subtype: str | None  # e.g. "option"
    docname: str | None
    path: str | None  # the full path of the file, as Sphinx reports it

    @property
    def type(self) -> str | None:
        """``category.subtype`` as the console shows it in brackets, e.g. ``caselog.option``."""
        if self.category and self.subtype:
            return f"{self.category}.{self.subtype}"
        return self.category


_RECORDED: WeakKeyDictionary[Any, list[Warning]] = WeakKeyDictionary()


class _Locate(logging.Filter):
    """Runs before Sphinx turns ``location`` into text: reads docname, path and line."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        docname = path = None
        line: int | None = None
        env = getattr(self.app, "env", None)
        if isinstance(location, tuple):
            docname, line = location
            if docname and env is not None:
                path = str(env.doc2path(docname))
        elif isinstance(location, nodes.Node):
            path, line = get_source_line(location)
        elif isinstance(location, str):
            # "docname", or "path:line" / "path:" (docutils messages, parallel workers)
            if ":" in location:
                path, _, number = location.rpartition(":")
                line = int(number) if number.isdigit() else None
            else:
                docname = location
                if env is not None:
                    path = str(env.doc2path(docname))
        if path and docname is None and env is not None:
            docname = env.path2doc(path)
        record.test_warning = Warning(  # type: ignore[attr-defined]
            Path(path).name if path else "",
            line or None,
            record.levelname,
            record.getMessage(),
            getattr(record, "type", None) or None,
            getattr(record, "subtype", None) or None,
            docname,
            path,
        )
        return True


class _Keep(logging.Filter):
    """The last filter of the warning handler: keeps what reaches the console."""

    def __init__(self, found: list[Warning]) -> None:
        super().__init__()
        self.found = found

    def filter(self, record: logging.LogRecord) -> bool:
        warning = getattr(record, "test_warning", None)
        if warning is not None:
            self.found.append(warning)
        return True


def recording_setup(setup: Callable[..., None]) -> Callable[..., None]:
    """Wrap ``sphinx.util.logging.setup`` so that each app's warnings are recorded."""

    def recording(app: Any, *args: Any, **kwargs: Any) -> None:
        setup(app, *args, **kwargs)
        found = _RECORDED.setdefault(app, [])
        found.clear()  # Sphinx.__init__ may set up logging again: one list per app
        for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
            if isinstance(handler, sphinx_logging.WarningStreamHandler):
                translators = [
                    i
                    for i, f in enumerate(handler.filters)
                    if isinstance(f, sphinx_logging.WarningLogRecordTranslator)
                ]
                handler.filters.insert(translators[0], _Locate(app))
                handler.addFilter(_Keep(found))

    return recording


def warnings_of(app: SphinxTestApp) -> list[Warning]:
    """Every warning/error the build logged, in order (suppressed ones left out)."""
    assert app in _RECORDED, "no recorder: is tests/conftest.py's fixture in use?"
    return list(_RECORDED[app])


_CONSOLE_WARNING = re.compile(
    # "file:line: ", or "file:: " (Sphinx's form for a file location with no line)
    r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+)?)?: (?P<level>WARNING|ERROR|CRITICAL): "
    r"(?P<message>.*?)(?: \[(?P<category>[\w-]+)(?:\.(?P<subtype>[\w.-]+))?\])?$"
)


def console_warnings(text: str) -> list[Warning]:
    """The warnings printed by a ``sphinx-build`` run in another process (no records
    there): ``file:line: WARNING: message [type.subtype]``; no docname."""
    matches = (_CONSOLE_WARNING.match(raw) for raw in _ANSI.sub("", text).splitlines())
    return [
        Warning(
            Path(match["path"]).name,
            int(match["line"]) if match["line"] else None,
            match["level"],
            match["message"],
            match["category"],
            match["subtype"],
            None,
            match["path"],
        )
        for match in matches
        if match
    ]


def caselog_warnings(app: SphinxTestApp) -> list[Warning]:
    return [w for w in warnings_of(app) if w.category == "caselog"]


def raw_warnings(app: SphinxTestApp) -> str:
    """The warning stream as the console shows it (colours removed)."""
    return _ANSI.sub("", app.warning.getvalue())


def no_traceback(output: SphinxTestApp | str) -> None:
    """Neither the status nor the warning stream of a build (or the text a command
    printed) shows a traceback or a crash report."""
    streams = [output] if isinstance(output, str) else [raw_warnings(output), status_of(output)]
    for stream in streams:
        assert "Traceback" not in stream, stream
        assert "Exception occurred" not in stream, stream


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


def read_in_parallel(app: SphinxTestApp) -> bool:
    """A parallel read logs chunks: ``reading sources... [ 25%] a01 .. a03``."""
    return re.search(r"reading sources\.\.\. \[\s*\d+%\] \S+ \.\. \S+", status_of(app)) is not None


# -- sources ----------------------------------------------------------------------------------


def line_of(root: str | Path, name: str, needle: str, *, whole: bool = False) -> int:
    """The 1-based line of the one line of ``<root>/<name>`` that contains *needle*
    (with *whole*: that is *needle*, stripped). *root* is a root's name
    (``tests/roots/test-<root>``) or a folder.

    Fails, instead of silently matching something else, unless there is exactly one.
    """
    folder = root if isinstance(root, Path) else ROOTS / f"test-{root}"
    lines = (folder / name).read_bytes().decode("utf-8", "replace").splitlines()
    found = [
        number
        for number, line in enumerate(lines, start=1)
        if (line.strip() == needle.strip() if whole else needle in line)
    ]
    assert len(found) == 1, f"{needle!r} must occur exactly once in {name}, found at {found}"
    return found[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new), encoding="utf-8")


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def browser_scheme(url: str) -> str | None:
    """The scheme per the WHATWG URL parser: strip C0/space at both ends, drop tab/newline."""
    text = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text)
    return match[1].lower() if match else None


# -- builds -----------------------------------------------------------------------------------


def clear_asset_cache() -> None:
    """Each build as its own sphinx-build process sees it: Sphinx caches asset checksums
    per process, which would hide differences between builds."""
    getattr(_file_checksum_inner, "cache_clear", lambda: None)()


def build_copy(
    base: Path,
    root: str,
    builder: str = "html",
    conf_extra: str = "",
    files: dict[str, str] | None = None,
    **overrides: Any,
) -> SphinxTestApp:
    """A finished build of a copy of *root* in *base*/src (output in *base*/build), with
    *conf_extra* appended to its conf.py and *files* (name → text) written into it.

    (Not ``test_params(shared_result=...)``: its skip-building wrapper treats any file
    in the output folder as a finished build, and sphinx-design 0.6 writes one first.)
    """
    srcdir = base / "src"
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    for name, text in (files or {}).items():
        (srcdir / name).parent.mkdir(parents=True, exist_ok=True)
        (srcdir / name).write_text(text, encoding="utf-8")
    if conf_extra:
        with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(f"\n{conf_extra}\n")
    clear_asset_cache()
    app = SphinxTestApp(builder, srcdir=srcdir, builddir=base / "build", confoverrides=overrides)
    try:
        app.build()
    finally:
        # Right away: an app left alive makes the next one re-register Sphinx's nodes
        # (and warn about it). The env, output, status and warnings stay readable.
        app.cleanup()
    return app


def tex_escape(text: str) -> str:
    """The escaping Sphinx's LaTeX writer gives text (pdflatex)."""
    texescape.init()
    return texescape.escape(text, "pdflatex")


def need(*tools: str) -> None:
    """Skip without *tools* (a TeX Live or poppler command), except in CI, which must
    have them: there a missing tool fails the test."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (see .ci/run)")
        pytest.skip(f"needs {', '.join(missing)}")


def compile_tex(outdir: Path) -> tuple[Path, str]:
    """Compile the one .tex in *outdir* with latexmk (pdflatex); the PDF and the log.

    Fails the test, with the end of the log, when LaTeX stops.
    """
    need("latexmk", "pdflatex")
    (tex,) = outdir.glob("*.tex")
    run = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=outdir, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    log = tex.with_suffix(".log").read_text(encoding="latin-1")
    assert run.returncode == 0, log[-3000:]
    return tex.with_suffix(".pdf"), log


# -- reading the output -----------------------------------------------------------------------


def html_of(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    """The parsed HTML page of *docname* (html, dirhtml or singlehtml output)."""
    outdir = Path(app.outdir)
    for candidate in (outdir / f"{docname}.html", outdir / docname / "index.html"):
        if candidate.exists():
            return BeautifulSoup(candidate.read_text(encoding="utf-8"), "lxml")
    raise FileNotFoundError(docname)


def tex_of(app: SphinxTestApp) -> str:
    (tex,) = Path(app.outdir).glob("*.tex")
    return tex.read_text(encoding="utf-8")


def paragraph(soup: BeautifulSoup, label: str) -> Any:
    """The first paragraph whose text starts with *label*."""
    for para in soup.find_all("p"):
        if para.get_text().startswith(label):
            return para
    raise AssertionError(f"no paragraph starting {label!r}")


def links(para: Any) -> list[tuple[str, str]]:
    return [(a["href"], a.get_text()) for a in para.find_all("a")]


class Row(NamedTuple):
    group: str  # the letter (tags, publishers) or year heading the row is under
    text: str
    href: str
    extra: str  # tag/publisher: its count ("2 cases"); case: its date (Timeline) or
    # its sources from the publisher (Source index), else ""
    sub: bool  # a sub-entry (a case under a tag or publisher)


def index_rows(soup: BeautifulSoup) -> list[Row]:
    """The rows of a domain index page (a reading view), as a reader sees them."""
    page = soup.find("section", class_="caselog-index-page")
    assert page is not None
    # no API-reference look: no monospace, no ISO dates in parentheses
    assert not page.select("code"), page.select("code")[:1]
    rows: list[Row] = []
    timeline = page.get("id") == "timeline"
    for section in page.find_all("section", class_="caselog-index-group"):
        heading = section.find("h2")
        count = heading.find(class_="caselog-count").get_text(strip=True)
        link = heading.find("a", class_=lambda c: c != "headerlink")
        name = "".join(
            t for t in heading.find_all(string=True)
            if t.parent.name != "a" or t.parent is link
            if "caselog-count" not in t.parent.get("class", [])
        ).strip()  # fmt: skip
        letter = name if timeline else (name[:1].upper() if name[:1].isalnum() else "#")
        if not timeline:
            rows.append(Row(letter, name, link["href"] if link else "", count, False))
        for item in section.select("li > p.caselog-item"):
            case = item.find("a")
            if timeline:
                date = item.select_one(".caselog-date, .caselog-undated")
                extra = (
                    date.get_text(strip=True) if date and "caselog-date" in date["class"] else ""
                )
            else:
                sources = item.parent.select_one(".caselog-index-sources")
                extra = sources.get_text(strip=True) if sources else ""
            rows.append(Row(letter, case.get_text(strip=True), case["href"], extra, not timeline))
    return rows


def grouped(rows: list[Row]) -> dict[str, list[Row]]:
    """Top-level entries with their sub-entries: entry text → [entry row, *sub rows]."""
    result: dict[str, list[Row]] = {}
    current: list[Row] = []
    for row in rows:
        if not row.sub:
            current = result.setdefault(row.text, [])
        current.append(row)
    return result


def inventory(app: SphinxTestApp) -> dict[tuple[str, str], tuple[str, str]]:
    """objects.inv as {(domain:type, name): (uri, display name)}; '-' display → the name."""
    with (Path(app.outdir) / "objects.inv").open("rb") as stream:
        data = InventoryFile.load(stream, "", posixpath.join)
    result = {}
    for objtype, entries in data.items():
        for name, item in entries.items():
            if hasattr(item, "uri"):  # Sphinx ≥ 8.2
                uri, display = item.uri, item.display_name
            else:
                uri, display = item[2], item[3]
            result[objtype, name] = (uri, name if display == "-" else display)
    return result


def tag_page_parts(soup: BeautifulSoup) -> tuple[str, str | None, list[tuple[str, list[str]]]]:
    """(h1, description, [(year, [case ids])]) of a tag page."""
    section = soup.find("section", class_="caselog-tag-page")
    assert section is not None
    h1 = section.find("h1")
    title = "".join(t for t in h1.find_all(string=True) if t.parent.name != "a").strip()
    description = section.find("p", class_="caselog-tag-description")
    box = section.find("div", class_="caselog-listing")
    assert "caselog-style-timeline" in box["class"]
    groups: list[tuple[str, list[str]]] = []
    for child in box.find_all(["p", "ul"], recursive=False):
        if "caselog-year" in child.get("class", []):
            groups.append((child.get_text(strip=True), []))
        else:
            for item in child.select("li > p.caselog-item"):
                groups[-1][1].append(item.a["href"].partition("#")[2])
    return title, description.get_text(strip=True) if description else None, groups


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_of(path: Path) -> ET.Element:
    """An Atom feed's root element (fails unless it is one)."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed", root.tag
    return root


#: The title and quote of test-export-log's specials.rst case, as written.
SPECIAL_TITLE = "Title with </script> & <b>bold</b> \"double\" 'single' café"
SPECIAL_QUOTE = 'Quote with </script><script>alert(1)</script> & <b>x</b> "q" é.'


def raw_export(outdir: Path | str) -> bytes:
    return (Path(outdir) / "caselog.json").read_bytes()


def export_of(outdir: Path | str) -> dict[str, Any]:
    return json.loads(raw_export(outdir).decode("utf-8"))  # type: ignore[no-any-return]


def cases_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {case["id"]: case for case in data["cases"]}


def page_file(outdir: Path | str, path: str) -> Path:
    """The file a URL path relative to the HTML root is served from (dirhtml: ``x/``)."""
    target = Path(outdir) / path
    return target / "index.html" if not path or path.endswith("/") else target


def ids_in(file: Path) -> set[str]:
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
    return {element["id"] for element in soup.find_all(id=True)}


def search_index(app: SphinxTestApp) -> dict[str, Any]:
    """The HTML search index as searchtools.js reads it."""
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"\s*Search\.setIndex\((.*)\)\s*;?\s*", text, re.DOTALL)
    assert match is not None
    return json.loads(match[1])  # type: ignore[no-any-return]


def search_objects(index: dict[str, Any], objtype: str) -> dict[str, tuple[str, str, int]]:
    """Objects of *objtype* (``domain:type``) in a search index: display name →
    (page, anchor, priority)."""
    types = [int(k) for k, v in index["objtypes"].items() if v == objtype]
    found = {}
    for prefix, entries in index["objects"].items():
        for doc, typ, prio, anchor, name in entries:
            if typ in types:
                found[f"{prefix}.{name}" if prefix else name] = (
                    index["docnames"][doc],
                    anchor,
                    prio,
                )
    return found


def search_pages(index: dict[str, Any], word: str) -> set[str]:
    """The pages a (stemmed, lower-case) word finds, in their text or their titles."""
    found: set[int] = set()
    for table in ("terms", "titleterms"):
        where = index[table].get(word, [])
        found.update(where if isinstance(where, list) else [where])
    return {index["docnames"][i] for i in found}
