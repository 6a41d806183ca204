"""Archived copies: the Wayback-compatible availability client, and ``sphinx-caselog archive``.

:func:`closest_snapshot` asks an availability endpoint (the Internet Archive's
``/wayback/available`` API, or any server that answers in its shape) for the
snapshot of a URL closest to a date. It goes through a :class:`~.fetch.Fetcher`,
so it is rate-limited per host, with a timeout and retries, and never raises.

The command's work: :func:`look_up` asks for every source line lacking a copy
(a :class:`Candidate`, found from the built project), and :func:`apply` adds
`` archived <URL>`` to each line, in place and atomically, changing no other byte.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .fetch import Fetcher
from .model import PartialDate, wayback_date
from .urls import excerpt, parse_url

if TYPE_CHECKING:
    from .config import CaselogConfig

DEFAULT_ENDPOINT = "https://archive.org/wayback/available"


class Snapshot(NamedTuple):
    url: str
    date: dt.date


class Lookup(NamedTuple):
    """The answer for one URL: a snapshot, none (``error`` None), or a failure."""

    url: str
    snapshot: Snapshot | None = None
    error: str | None = None


def closest_snapshot(
    fetcher: Fetcher, endpoint: str, url: str, near: dt.date | None = None
) -> Lookup:
    """Ask *endpoint* for the snapshot of *url* closest to *near* (else the newest)."""
    params = {"url": url}
    if near is not None:
        params["timestamp"] = near.strftime("%Y%m%d")
    fetched = fetcher.get(endpoint, params=params)
    if not fetched.ok:
        return Lookup(url, error=fetched.error)
    try:
        answer = json.loads(fetched.body)
        closest = answer.get("archived_snapshots", {}).get("closest")
    except (ValueError, AttributeError):
        return Lookup(url, error="the endpoint's answer is not availability JSON")
    if not isinstance(closest, dict) or not closest.get("available"):
        return Lookup(url)
    if str(closest.get("status", "200")) != "200":
        return Lookup(url)  # a snapshot of an error page is no copy of the source
    snapshot_url = str(closest.get("url", ""))
    timestamp = str(closest.get("timestamp", ""))
    try:
        date = dt.datetime.strptime(timestamp[:8], "%Y%m%d").date()
    except ValueError:
        return Lookup(url, error=f"the endpoint gave a bad timestamp {timestamp!r}")
    # The URL is written into the user's file: it must be one safe URL and nothing else.
    if parse_url(snapshot_url) is None or re.search(r"[\s<>]", snapshot_url):
        return Lookup(url, error=f"the endpoint gave a bad snapshot URL {excerpt(snapshot_url)!r}")
    # The public API answers http:// URLs; the archive serves them over https.
    if snapshot_url.startswith("http://web.archive.org/"):
        snapshot_url = "https://" + snapshot_url.removeprefix("http://")
    return Lookup(url, Snapshot(snapshot_url, date))


# -- the ``archive`` command: which lines lack a copy, and adding it ---------------------


class Candidate(NamedTuple):
    """A source line without an archived copy, as written in its file."""

    path: Path
    line: int  # 1-based
    case: str
    url: str
    near: dt.date | None  # the snapshot closest to this date is wanted (accessed, or the case's)


class Found(NamedTuple):
    candidate: Candidate
    lookup: Lookup


def archived_phrase(snapshot: Snapshot) -> str:
    """What a source line gains: `` archived <URL>``, with the date when the URL lacks it."""
    if wayback_date(snapshot.url) == PartialDate.parse(snapshot.date.isoformat()):
        return f" archived <{snapshot.url}>"
    return f" archived {snapshot.date.isoformat()} <{snapshot.url}>"


def with_archive(text: str, url: str, snapshot: Snapshot) -> str | None:
    """*text* (one line of a file) with the archived copy right after the source's URL.

    None when the URL is not on the line as ``<URL>`` or as a bare URL: then the
    line is not the one we think, and it must not be touched.
    """
    marker = f"<{url}>"
    start = text.find(marker)
    if start >= 0:
        end = start + len(marker)
    else:
        start = text.find(url)
        end = start + len(url)
        before = text[start - 1 : start] if start > 0 else ""
        if start < 0 or (before and not before.isspace() and before != ":"):
            return None
        if text[end : end + 1] not in {"", "\n", "\r", " ", "\t"}:
            return None
    return text[:end] + archived_phrase(snapshot) + text[end:]


def write_lines(path: Path, changes: dict[int, str]) -> None:
    """Replace whole lines (1-based) of *path*, atomically, keeping every other byte."""
    data = path.read_bytes()
    lines = data.decode("utf-8").splitlines(keepends=True)
    for number, text in changes.items():
        lines[number - 1] = text
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write("".join(lines).encode("utf-8"))
        shutil.copymode(path, tmp)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def look_up(
    candidates: list[Candidate],
    fetcher: Fetcher,
    endpoint: str,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Found]:
    """The closest snapshot of each candidate's URL; each (URL, date) is asked once."""
    keys = [f"{c.url}\n{c.near.isoformat() if c.near else ''}" for c in candidates]

    def ask(key: str) -> Lookup:
        url, _, near = key.partition("\n")
        return closest_snapshot(
            fetcher, endpoint, url, dt.date.fromisoformat(near) if near else None
        )

    answers = fetcher.map(keys, ask, progress)
    return [Found(c, answers[key]) for c, key in zip(candidates, keys, strict=True)]


def apply(found: list[Found]) -> tuple[list[Found], list[Found]]:
    """Write each snapshot into its file; (written, not written: the line had changed)."""
    written, skipped = [], []
    by_file: dict[Path, list[Found]] = {}
    for item in found:
        if item.lookup.snapshot is not None:
            by_file.setdefault(item.candidate.path, []).append(item)
    for path, items in by_file.items():
        # Bytes, not read_text: universal newlines would turn CRLF lines into LF ones.
        lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
        changes: dict[int, str] = {}
        for item in items:
            number = item.candidate.line
            assert item.lookup.snapshot is not None
            line = lines[number - 1] if 0 < number <= len(lines) else ""
            new = with_archive(changes.get(number, line), item.candidate.url, item.lookup.snapshot)
            if new is None:
                skipped.append(item)
            else:
                changes[number] = new
                written.append(item)
        if changes:
            write_lines(path, changes)
    return written, skipped


class ProjectError(Exception):
    """The project can't be read (no conf.py, a broken one): the CLI exits with status 2."""


class Project(NamedTuple):
    candidates: list[Candidate]
    sources: int  # http(s) sources in all
    config: CaselogConfig
    unlocated: list[str]  # "file:line: URL" of sources whose line could not be found


def read_project(srcdir: Path) -> Project:
    """Read the project as Sphinx does, and find each source line without an archived copy.

    Reading (the cheap ``caselog`` builder, into a temporary folder) rather than
    scanning the files is what gives every case, in MyST and rST, with conf.py's
    exclusions; the files are only opened to find each source's own line.
    """
    from sphinx.application import Sphinx  # noqa: PLC0415 (the CLI needs Sphinx only here)
    from sphinx.errors import SphinxError  # noqa: PLC0415
    from sphinx.util.docutils import docutils_namespace, patch_docutils  # noqa: PLC0415

    from .domain import case_domain  # noqa: PLC0415 (domain → config → this module)

    if not (srcdir / "conf.py").is_file():
        raise ProjectError(f"{srcdir} has no conf.py")
    with tempfile.TemporaryDirectory(prefix="caselog-archive-") as tmp:
        try:
            with patch_docutils(srcdir), docutils_namespace():
                app = Sphinx(srcdir, srcdir, Path(tmp) / "out", Path(tmp) / "doctrees",
                             "caselog", status=None, warning=io.StringIO(), freshenv=True)  # fmt: skip
                app.build()
        except (SphinxError, OSError) as err:
            raise ProjectError(f"can't read the project in {srcdir}: {err}") from err
        domain = case_domain(app.env)
        candidates, sources, unlocated = [], 0, []
        files: dict[Path, list[str]] = {}
        for _docname, records in sorted(domain.cases.items()):
            for record in records:
                # record.source: the file the case is written in, maybe an included one
                path = Path(app.srcdir, record.source)
                lines = files[path] if path in files else files.setdefault(path, _lines(path))
                used: set[int] = set()
                for source in record.sources:
                    if source.url is None:
                        continue
                    sources += 1
                    if source.archive_url:
                        continue
                    line = _find_line(lines, record.lineno, source.raw, used)
                    if line is None:
                        unlocated.append(f"{_shown(path, srcdir)}:{record.lineno}: {source.url}")
                        continue
                    used.add(line)
                    accessed = source.accessed or record.date
                    near = accessed.first_day if accessed else None
                    candidates.append(Candidate(path, line, record.id, source.url, near))
        return Project(candidates, sources, domain.config, unlocated)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return []


def _find_line(lines: list[str], start: int, raw: str, used: set[int]) -> int | None:
    """The 1-based line, from the directive's on, that holds the source as written."""
    for number in range(max(start, 1), len(lines) + 1):
        if number not in used and raw in lines[number - 1]:
            return number
    return None


def _shown(path: Path, srcdir: Path) -> str:
    try:
        return path.relative_to(srcdir).as_posix()
    except ValueError:
        return str(path)
