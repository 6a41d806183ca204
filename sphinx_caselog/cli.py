"""The ``sphinx-caselog`` command line (``python -m sphinx_caselog``).

Only the argparse layer: parsing and checking arguments, printing, exit statuses
(0 all well, 1 a post refused or nothing written, 2 bad usage). What a subcommand
does lives in its own module (``import-jekyll``: :mod:`sphinx_caselog.importer`).
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse exits 2 for bad usage, 0 for --help
        return exit.code if isinstance(exit.code, int) else 2
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
