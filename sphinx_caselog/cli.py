"""The ``sphinx-caselog`` command line (``python -m sphinx_caselog``).

Only the argparse layer: parsing and checking arguments, printing, exit statuses
(0 all well, 1 a post refused, nothing written or a source left without a copy, 2 bad
usage). What a subcommand does lives in its own module (``import-jekyll``:
:mod:`sphinx_caselog.importer`; ``archive``: :mod:`sphinx_caselog.archive`), imported
only when that subcommand runs, so that ``--help`` loads neither Sphinx nor a parser.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TextIO

from .importer.base import DEFAULT_KIND_TAGS, ImportOptions, Progress, UsageError
from .slugs import tag_key
from .urls import is_safe_url

PROG = "sphinx-caselog"
#: From this many posts on, an import shows its progress (on stderr).
LONG_IMPORT = 50


def show_progress(stream: TextIO) -> Progress:
    """``converted 120 of 500 posts``: rewritten in place on a terminal; elsewhere (a CI
    log) a line every 100 posts and at the end. Nothing for a short import."""
    tty = stream.isatty()

    def show(done: int, total: int) -> None:
        if total < LONG_IMPORT:
            return
        line = f"converted {done} of {total} posts"
        if tty:
            print(f"\r{line}", end="\n" if done == total else "", file=stream, flush=True)
        elif done % 100 == 0 or done == total:
            print(line, file=stream, flush=True)

    return show


def kind_tag(text: str) -> tuple[str, str]:
    """``TAG=KIND``: split at the last '=', as a kind is a plain key and a tag may hold '='."""
    tag, sep, kind = text.rpartition("=")
    if not sep or not tag_key(tag) or not kind.strip():
        raise argparse.ArgumentTypeError(f"expected TAG=KIND, got {text!r}")
    kind = kind.strip()
    if not re.fullmatch(r"[\w-]+", kind):
        raise argparse.ArgumentTypeError(
            f"a kind is a key of caselog_kinds, like 'ruling': {kind!r}"
        )
    return tag_key(tag), kind


def site_url(text: str) -> str:
    if not is_safe_url(text):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}")
    return text.strip()


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def count(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    return int(text)


def add_archive_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    archive = commands.add_parser(
        "archive",
        help="find an archived copy for every source that has none",
        description=(
            "Read the Sphinx project in SOURCEDIR and, for each source without an archived "
            "copy, ask a Wayback-compatible availability endpoint for the closest snapshot; "
            "print the lines to add, or add them with --write. Exit status: 0 when every "
            "source has a copy, 1 when some have none, 2 for bad usage or a project that "
            "can't be read."
        ),
    )
    archive.add_argument(
        "srcdir", nargs="?", type=Path, default=Path(), metavar="SOURCEDIR",
        help="the folder with conf.py (default: the current folder)",
    )  # fmt: skip
    archive.add_argument(
        "--write", action="store_true", help="add the archived copies to the files, in place"
    )
    archive.add_argument(
        "--endpoint", type=site_url, metavar="URL",
        help="the availability API (default: caselog_archive_endpoint)",
    )  # fmt: skip
    archive.add_argument(
        "--timeout", type=seconds, metavar="S",
        help="seconds to wait for an answer (default: caselog_quotecheck_timeout)",
    )  # fmt: skip
    archive.add_argument(
        "--retries", type=count, metavar="N",
        help="how often to ask again (default: caselog_quotecheck_retries)",
    )  # fmt: skip
    archive.add_argument(
        "--rate-limit", type=seconds, metavar="S",
        help="least seconds between two requests to one host "
        "(default: caselog_quotecheck_rate_limit)",
    )  # fmt: skip
    archive.add_argument(
        "--quiet", "-q", action="store_true", help="print only what is missing, no progress"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for sphinx-caselog case logs.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    importer = commands.add_parser(
        "import-jekyll",
        help="convert a Jekyll case log (_posts) into MyST case pages",
        description=(
            "Convert Jekyll posts, one case per post, into MyST pages with one case "
            "directive each, plus an index and one page per year. Exit status: 0 when all "
            "is well, 1 when a post was refused or nothing was written, 2 for bad usage."
        ),
    )
    importer.add_argument(
        "sources", nargs="+", type=Path, metavar="SRC", help="a _posts folder, or post files"
    )
    importer.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="the folder to write pages into"
    )
    importer.add_argument("--force", action="store_true", help="replace existing files")
    importer.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    importer.add_argument(
        "--kind-tag",
        action="append",
        type=kind_tag,
        metavar="TAG=KIND",
        help="a tag that names a case's kind (repeatable; replaces the default position=position)",
    )
    importer.add_argument(
        "--drop-kind-tags",
        action="store_true",
        help="leave the tag that gave the kind out of :tags:",
    )
    importer.add_argument(
        "--site-url",
        type=site_url,
        metavar="URL",
        help="the Jekyll site's URL: absolute links to it become case references",
    )
    importer.add_argument(
        "--quiet", "-q", action="store_true", help="print only why a post or the batch failed"
    )
    add_archive_parser(commands)
    return parser


class ArchiveProgress:
    """A progress line on *stream*: redrawn in place on a terminal, one line a step elsewhere."""

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()

    def __call__(self, done: int, total: int, item: str) -> None:
        if self.quiet:
            return
        url = item.partition("\n")[0]
        if self.tty:
            bar = "#" * (20 * done // total)
            end = "\n" if done == total else ""
            self.stream.write(f"\r[{bar:<20}] {done}/{total} {url[:60]:<60}{end}")
        else:
            self.stream.write(f"[{done}/{total}] {url}\n")
        self.stream.flush()


def run_archive(args: argparse.Namespace) -> int:
    """``sphinx-caselog archive``: look up, print (or write), report what has no copy."""

    from .archive import Found, ProjectError, apply, look_up, read_project  # noqa: PLC0415
    from .fetch import Fetcher, FetchSettings  # noqa: PLC0415

    srcdir: Path = args.srcdir
    try:
        project = read_project(srcdir.resolve())
    except ProjectError as err:
        print(f"{PROG} archive: error: {err}", file=sys.stderr)
        return 2
    config = project.config
    settings = FetchSettings(
        timeout=config.quotecheck_timeout if args.timeout is None else args.timeout,
        retries=config.quotecheck_retries if args.retries is None else args.retries,
        rate_limit=config.quotecheck_rate_limit if args.rate_limit is None else args.rate_limit,
        max_retry_after=config.quotecheck_rate_limit_timeout,
        workers=config.quotecheck_workers,
    )
    endpoint = args.endpoint or config.archive_endpoint
    found = look_up(
        project.candidates, Fetcher(settings), endpoint, ArchiveProgress(sys.stderr, args.quiet)
    )
    written, skipped = apply(found) if args.write else ([], [])
    root = srcdir.resolve()

    def where(item: Found) -> str:
        path = item.candidate.path
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        return f"{shown}:{item.candidate.line}"

    snapshots = [f for f in found if f.lookup.snapshot is not None]
    for item in snapshots:
        if item in skipped:
            continue
        assert item.lookup.snapshot is not None
        verb = "added" if args.write else "add"
        if not args.quiet:
            print(f"{where(item)}: {verb} archived <{item.lookup.snapshot.url}>")
    problems = [
        *(f"  {where(f)}: {f.candidate.url} (no snapshot)" for f in found
          if f.lookup.snapshot is None and f.lookup.error is None),
        *(f"  {where(f)}: {f.candidate.url} (lookup failed: {f.lookup.error})" for f in found
          if f.lookup.error is not None),
        *(f"  {where(f)}: {f.candidate.url} (the line changed since it was read; not written)"
          for f in skipped),
        *(f"  {entry} (its line was not found; add the copy by hand)"
          for entry in project.unlocated),
    ]  # fmt: skip
    total = len(project.candidates) + len(project.unlocated)
    print(
        f"{PROG} archive: {project.sources} sources, {total} without an archived copy: "
        f"{len(snapshots)} snapshots found"
        + (f", {len(written)} written" if args.write else "")
        + (f"; {len(problems)} left without a copy:" if problems else "")
    )
    for line in problems:
        print(line)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse exits 2 for bad usage, 0 for --help
        return exit.code if isinstance(exit.code, int) else 2
    if args.command == "archive":
        return run_archive(args)
    options = ImportOptions(
        out=args.out,
        force=args.force,
        dry_run=args.dry_run,
        kind_tags=dict(args.kind_tag) if args.kind_tag else dict(DEFAULT_KIND_TAGS),
        drop_kind_tags=args.drop_kind_tags,
        site_url=args.site_url,
    )
    from .importer.run import import_jekyll  # noqa: PLC0415  (not loaded for --help)

    progress = None if args.quiet else show_progress(sys.stderr)

    try:
        result = import_jekyll(args.sources, options, progress)
    except UsageError as err:
        print(f"{PROG} import-jekyll: error: {err}", file=sys.stderr)
        return 2
    if args.quiet:
        for line in result.problems():
            print(line, file=sys.stderr)
    else:
        print("\n".join(result.summary()))
    return result.exit_status
