"""What every stage of the importer shares: the options, the messages and their log.

A message is located in the post as its author sees it: the line numbers a text
editor shows (counting ``\\n``), even where the importer split the text at other line
breaks (see :func:`.posts.split_lines`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

#: The kind mapping when no ``--kind-tag`` is given.
DEFAULT_KIND_TAGS: Mapping[str, str] = {"position": "position"}
#: Jekyll's default ``markdown_ext``: only these posts are Markdown.
MARKDOWN_EXTENSIONS = frozenset({"markdown", "mkdown", "mkdn", "mkd", "md"})

Level = Literal["error", "warning", "note"]
#: Called as ``progress(done, total)`` while posts are converted.
Progress = Callable[[int, int], None]


class UsageError(Exception):
    """Bad command-line usage: the CLI exits with status 2."""


class Message(NamedTuple):
    """One thing the importer reports, located in a post when it can be."""

    level: Level
    file: str  # the post as the user named it; "" for the run as a whole
    line: int | None  # 1-based, in the post file
    text: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else self.file
        return f"{where}: {self.text}" if where else self.text


@dataclass
class Log:
    """The messages about one post (or about the run, with no file).

    Stages count lines as the importer split the post; ``file_lines`` maps such a
    line (1-based) to the line of the file, once the post is read.
    """

    file: str
    messages: list[Message] = field(default_factory=list)
    file_lines: Sequence[int] = ()

    def _line(self, line: int | None) -> int | None:
        if line is None or not self.file_lines:
            return line
        return self.file_lines[min(max(line, 1), len(self.file_lines)) - 1]

    def error(self, line: int | None, text: str) -> None:
        self.messages.append(Message("error", self.file, self._line(line), text))

    def warning(self, line: int | None, text: str) -> None:
        self.messages.append(Message("warning", self.file, self._line(line), text))

    def note(self, line: int | None, text: str) -> None:
        self.messages.append(Message("note", self.file, self._line(line), text))

    @property
    def failed(self) -> bool:
        return any(m.level == "error" for m in self.messages)


@dataclass(frozen=True)
class ImportOptions:
    """What ``import-jekyll`` was asked to do (its command-line options)."""

    out: Path
    force: bool = False
    dry_run: bool = False
    kind_tags: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KIND_TAGS))
    drop_kind_tags: bool = False
    site_url: str | None = None


def short(text: str, limit: int = 60) -> str:
    """*text* on one line, cut to *limit* characters, for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"
