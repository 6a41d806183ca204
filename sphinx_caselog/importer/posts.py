"""Finding posts and reading them: which files are posts, what their names say, and
reading their bytes safely.

Only regular files inside the folder they were found in are read (a symlink is followed
only when it stays inside), never more than :data:`MAX_POST_BYTES`, and never by a call
that could block (a FIFO, a device). A post's text is split into lines the way MyST
splits a directive's content (:func:`split_lines`), so that what the importer sees as
one line is one line for MyST too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..slugs import slugify
from .base import MARKDOWN_EXTENSIONS, Message, UsageError

#: No real post comes near this; a bigger file is refused before it is read.
MAX_POST_BYTES = 1 << 20

_POST_NAME = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})-(?P<slug>.+)\.(?P<ext>[^.]+)")
# What str.splitlines() splits at. MyST re-splits a directive's content with it, so a
# U+2028 or a form feed inside a code line would end that line for MyST only.
_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class Found(NamedTuple):
    """A file to import, and the folder it must stay inside."""

    path: Path
    file: str  # as shown to the user
    folder: Path


class PostName(NamedTuple):
    """What a post's file name says: Jekyll names a post ``YYYY-MM-DD-slug.ext``."""

    path: Path
    file: str  # as shown to the user
    stem: str  # "2014-05-01-slug": the name {% post_url %} uses
    date: str  # "2014-05-01"
    jekyll_slug: str  # the slug in the Jekyll URL, as written
    slug: str  # the case id and page name: the slug policy's, made unique in the batch
    folder: Path = Path()


def _ignored_name(name: str) -> bool:
    """Files Jekyll itself skips: hidden, underscored, editor backups."""
    return name.startswith((".", "_", "#")) or name.endswith("~")


def find_posts(sources: Sequence[Path]) -> tuple[list[Found], list[Message]]:
    """The post files named by *sources* (folders are searched recursively), in a fixed order.

    Raises :class:`UsageError` for a source that doesn't exist or a folder without posts.
    """
    found: list[Found] = []
    messages: list[Message] = []
    seen: set[Path] = set()

    def add(path: Path, folder: Path) -> None:
        key = path.absolute()
        if key not in seen:
            seen.add(key)
            found.append(Found(path, str(path), folder))

    for source in sources:
        if source.is_dir():
            before = len(found)
            # Symlinked folders are not followed: a link loop can't trap the walk.
            for folder, dirnames, filenames in os.walk(source):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    path = Path(folder) / name
                    if _ignored_name(name):
                        continue
                    if _POST_NAME.fullmatch(name):
                        add(path, source)
                    else:
                        messages.append(
                            Message(
                                "note",
                                str(path),
                                None,
                                "ignored: not a post (a post is named YYYY-MM-DD-slug.md), "
                                "as Jekyll ignores it",
                            )
                        )
            if len(found) == before:
                raise UsageError(f"no posts (YYYY-MM-DD-slug.md files) in {source}")
        elif source.exists() or source.is_symlink():
            add(source, source.parent)
        else:
            raise UsageError(f"{source}: no such file or folder")
    return found, messages


def parse_post_name(found: Found) -> PostName | Message:
    """The date and slug in a post's file name, or the error that refuses it."""
    path, file = found.path, found.file
    match = _POST_NAME.fullmatch(path.name)
    if not match:
        return Message("error", file, 1, "not a post: a post's file name is YYYY-MM-DD-slug.md")
    if match["ext"].lower() not in MARKDOWN_EXTENSIONS:
        return Message(
            "error",
            file,
            1,
            f"only Markdown posts are imported (.{', .'.join(sorted(MARKDOWN_EXTENSIONS))}), "
            f"not .{match['ext']}",
        )
    try:
        dt.date.fromisoformat(match["date"])
    except ValueError as err:
        return Message(
            "error", file, 1, f"impossible date {match['date']!r} in the file name: {err}"
        )
    slug = slugify(match["slug"])
    if not slug:
        return Message(
            "error",
            file,
            1,
            f"the file name's slug {match['slug']!r} has no letters or digits to make a case id",
        )
    stem = f"{match['date']}-{match['slug']}"
    return PostName(path, file, stem, match["date"], match["slug"], slug, found.folder)


class Unreadable(Exception):
    """Why a post's file is not read."""


def read_post(path: Path, folder: Path) -> bytes:
    """The bytes of a post that is a regular file inside *folder*; :class:`Unreadable` else.

    The path is resolved first, so a symlink is judged by where it leads; the file is
    opened without following links and without blocking, and judged by ``fstat`` on
    the open file, so what is checked is what is read.
    """
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop
        raise Unreadable(f"can't be read: {getattr(err, 'strerror', None) or err}") from None
    if not real.is_relative_to(folder.resolve()):
        raise Unreadable(f"is a symlink to {real}, outside {folder}: not read")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as err:
        raise Unreadable(f"can't be read: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("is not a regular file (a FIFO, a device or a socket): not read")
        if info.st_size > MAX_POST_BYTES:
            raise Unreadable(f"is larger than {MAX_POST_BYTES} bytes: not read")
        chunks = []
        size = 0
        while size <= MAX_POST_BYTES and (chunk := os.read(fd, MAX_POST_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_POST_BYTES:  # it grew while being read
            raise Unreadable(f"is larger than {MAX_POST_BYTES} bytes: not read")
        return b"".join(chunks)
    except OSError as err:
        raise Unreadable(f"can't be read: {err.strerror or err}") from None
    finally:
        os.close(fd)


class Lines(NamedTuple):
    """A post's text split into lines, and the file line each one starts on."""

    lines: list[str]
    file_lines: list[int]  # 1-based, counting \n, \r\n and \r as editors do
    other_breaks: list[int]  # (1-based) lines ended by a break only str.splitlines() sees


def split_lines(text: str) -> Lines:
    """Split *text* as ``str.splitlines()`` does (keeping a last empty line, as
    ``split("\\n")`` would): so that the importer and MyST see the same lines."""
    lines: list[str] = []
    numbers: list[int] = []
    others: list[int] = []
    line = 1
    pos = 0
    for match in _BREAK.finditer(text):
        lines.append(text[pos : match.start()])
        numbers.append(line)
        if match.group() in ("\n", "\r\n", "\r"):
            line += 1
        elif not others or numbers[others[-1] - 1] != line:
            others.append(len(lines))
        pos = match.end()
    lines.append(text[pos:])
    numbers.append(line)
    return Lines(lines, numbers, others)
