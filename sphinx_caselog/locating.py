"""Where a directive's parts stand in its file: used to place warnings, and nothing else.

Pure Python, no Sphinx. The directives read their options and content from the parser;
the file is read again only to answer "on which line?", because myst-parser gives
option values without their lines, reports nested directives at the enclosing block's
line, and (in version 4) gives only the body as ``block_text``. One more question
needs the raw lines: MyST's option trap (an option continued on an indented line falls
into the body), which the parsed content cannot show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: A line that looks like a ``:name: value`` option.
OPTION_LINE = re.compile(r"\s*:[\w-]+:(\s|$)")
_FENCES = (":::", "```", "~~~")
# An option's name on its line: ``:name: value``, or ``name: value`` unindented in a
# YAML block (indented lines there belong to a block scalar such as ``source: |``).
_COLON_OPTION = re.compile(r"\s*:(?P<name>[\w-]+):(\s|$)")
_YAML_KEY = re.compile(r"(?P<name>[\w-]+):(\s|$)")
# The key line of a source option that holds no source itself: a YAML block
# scalar (``source: |``) or an rST option whose value starts on the next line.
_EMPTY_KEY = re.compile(r":?[\w-]+:\s*([|>][-+]?)?")


def opens(line: str, name: str, argument: str) -> bool:
    """Whether *line* opens directive *name* with *argument* (MyST or rST)."""
    return (f"{{{name}}}" in line or f"{name}::" in line) and argument in line


def real_lineno(lines: Sequence[str], lineno: int, name: str, argument: str) -> int:
    """The directive's own first line, when MyST reports an earlier one.

    In a nested parse (a case inside ``only``, a tab, another case) MyST gives a
    line relative to the enclosing block: the directive's line is then the next one
    below that opens it with its argument. myst-parser 4 reports a directive in an
    included file one line late: a line just above that opens it is taken first.
    """
    start = lineno - 1
    if not 0 <= start < len(lines) or opens(lines[start], name, argument):
        return lineno
    if start >= 1 and opens(lines[start - 1], name, argument):
        return lineno - 1
    found = next((i for i in range(start, len(lines)) if opens(lines[i], name, argument)), None)
    return lineno if found is None else found + 1


class DirectiveLines:
    """A directive's lines, from its first line to the end of its file."""

    def __init__(self, lines: Sequence[str], lineno: int, first_body: str | None) -> None:
        self.lines = lines
        self.lineno = lineno
        self.first_body = first_body.strip() if first_body else None

    def option_lines(self) -> Sequence[str]:
        """The first line and the options: up to the body, a blank line or a fence,
        or the end of a ``---`` YAML block."""
        lines = self.lines
        in_yaml = len(lines) > 1 and lines[1].strip() == "---"
        for index, text in enumerate(lines[2 if in_yaml else 1 :], 2 if in_yaml else 1):
            stripped = text.strip()
            if in_yaml:
                if stripped == "---":
                    return lines[: index + 1]
            elif (
                (self.first_body and stripped == self.first_body)
                or not stripped
                or stripped.startswith(_FENCES)
            ):
                return lines[:index]
        return lines

    def option_line(self, name: str) -> int:
        """The line of option *name*, or the directive's line if it can't be found."""
        pattern = re.compile(rf"\s*:?{re.escape(name)}:(\s|$)")
        for offset, line in enumerate(self.option_lines()):
            if pattern.match(line):
                return self.lineno + offset
        return self.lineno

    def repeated_options(self) -> list[tuple[str, int]]:
        """(name, line) of each option line that repeats an earlier option: MyST and
        YAML keep only the last value, silently."""
        seen: set[str] = set()
        repeats = []
        lines = self.option_lines()
        pattern = _YAML_KEY if len(lines) > 1 and lines[1].strip() == "---" else _COLON_OPTION
        for offset, line in enumerate(lines[1:], 1):
            match = pattern.match(line)
            if match is None:
                continue
            if match["name"] in seen:
                repeats.append((match["name"], self.lineno + offset))
            seen.add(match["name"])
        return repeats

    def value_line(self, name: str) -> int:
        """The line of the first value of option *name*: one below the key when the
        key line holds none (``source: |``, or an rST value on the next line)."""
        line = self.option_line(name)
        key = self.lines[line - self.lineno : line - self.lineno + 1]
        return line + 1 if key and _EMPTY_KEY.fullmatch(key[0].strip()) else line

    def line_of(self, text: str) -> int:
        """The line of the first line after the directive's own that reads *text*."""
        found = next((i for i in range(1, len(self.lines)) if self.lines[i] == text), 0)
        return self.lineno + found

    def options_end_early(self) -> bool:
        """MyST's trap: ``:key: value`` options end at the first line that is not one,
        so an option continued on an indented second line falls into the body.

        A body that simply starts after the options (``> the quote``, unindented) is
        no trap: only a line that continues an option is.
        """
        block = self.lines[1:]
        if not block or not OPTION_LINE.match(block[0]):
            return False  # no options, or the '---' YAML block, which has no trap
        for line in block:
            if not line.strip() or line.lstrip().startswith(_FENCES):
                return False  # a blank line or a fence: the options ended properly
            if not OPTION_LINE.match(line):
                return line[:1].isspace()
        return False


def trapped_lines(content: Iterable[str]) -> int:
    """How many lines open the body before its first blank line or fence (a fence
    opens a nested directive, whose options are its own)."""
    count = 0
    for text in content:
        if not text.strip() or text.lstrip().startswith(_FENCES):
            break
        count += 1
    return count
