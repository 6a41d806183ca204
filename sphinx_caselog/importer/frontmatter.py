"""Front matter and dates: what a post says about itself, read as Jekyll reads it.

The YAML reader is strict (``yaml.safe_load``'s rules; no anchors, aliases or unusual
tags) and keeps the text of every value as written. Dates are read the way Jekyll reads
them in real posts (:func:`parse_jekyll_date`); a date that can't be read falls back
to the file name's date, with a note, as it does on the Jekyll site's URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml

from ..model import PartialDate, parse_published
from .base import Log
from .posts import PostName, split_lines

# -- a strict YAML reader that keeps text as written ------------------------------------------

# Explicit tags that only say what plain YAML would have guessed: harmless, since every
# value is read as the text written. Everything else (!!binary, !!set, !!python/...,
# local !tags) is refused.
_HARMLESS_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Refused(yaml.YAMLError):
    """A YAML feature the importer refuses, at a mark in the front matter."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.line: int = mark.line if mark is not None else 0


class _StrictLoader(yaml.SafeLoader):
    """``yaml.safe_load``'s loader, refusing anchors, aliases and non-standard tags.

    Only composing is used: values are read from the nodes as the text written, so
    nothing is ever constructed (no ``no`` → False, no ``1.10`` → 1.1).
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"aliases (*{event.anchor}) are refused", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor:
            raise _Refused(f"anchors (&{anchor}) are refused", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _HARMLESS_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!") if isinstance(tag, str) else tag
            raise _Refused(f"the YAML tag {shown} is refused", event.start_mark)
        return super().compose_node(parent, index)


class Scalar(NamedTuple):
    text: str
    line: int
    plain: bool  # written without quotes or a block indicator

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in _NULLS


class YamlList(NamedTuple):
    items: tuple[YamlValue, ...]
    line: int


class YamlMap(NamedTuple):
    items: dict[str, tuple[int, YamlValue]]  # key → (key line, value)
    line: int


YamlValue = Scalar | YamlList | YamlMap


def _node_value(node: yaml.Node, first_line: int) -> YamlValue:
    line = first_line + node.start_mark.line
    if isinstance(node, yaml.ScalarNode):
        return Scalar(str(node.value), line, node.style is None)
    if isinstance(node, yaml.SequenceNode):
        return YamlList(tuple(_node_value(n, first_line) for n in node.value), line)
    assert isinstance(node, yaml.MappingNode)
    items: dict[str, tuple[int, YamlValue]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused("a key must be text, not a list or a mapping", key_node.start_mark)
        key = str(key_node.value)
        if key == "<<" and key_node.style is None:
            raise _Refused("merge keys (<<) are refused", key_node.start_mark)
        if key in items:
            raise _Refused(
                f"duplicate key {key!r} (first on line {items[key][0]})", key_node.start_mark
            )
        items[key] = (first_line + key_node.start_mark.line, _node_value(value_node, first_line))
    return YamlMap(items, line)


class FrontMatterError(Exception):
    """Why a front matter is refused, at a 1-based line of its post."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def load_front_matter(text: str, first_line: int) -> YamlMap:
    """Read front matter that starts on line *first_line* of its post.

    Raises :class:`FrontMatterError`, never anything else, whatever the text.
    """
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
        value = _node_value(node, first_line) if node is not None else YamlMap({}, first_line)
    except _Refused as err:
        raise FrontMatterError(first_line + err.line, err.message) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + mark.line if mark else first_line
        message = f"the front matter is not valid YAML: {err.problem or err}"
        raise FrontMatterError(line, message) from None
    except yaml.reader.ReaderError as err:
        line = first_line + text.count("\n", 0, err.position)
        message = f"the front matter has a character YAML can't hold: {err.reason}"
        raise FrontMatterError(line, message) from None
    except (yaml.YAMLError, RecursionError) as err:  # RecursionError: nested too deeply
        raise FrontMatterError(first_line, f"the front matter can't be read: {err!r}") from None
    if not isinstance(value, YamlMap):
        raise FrontMatterError(first_line, "the front matter must be a mapping of keys to values")
    return value


# -- reading a post ---------------------------------------------------------------------------

#: Front matter keys the importer reads; any other is kept, verbatim, in the page's comment.
KNOWN_KEYS = (
    "title", "date", "case_date", "tags", "tag", "permalink", "slug", "layout", "published",
)  # fmt: skip
_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*")
_FRONT_MATTER_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
# The dates Jekyll reads in real posts: YAML timestamps (single-digit hours, offsets of
# one or two digits: "-4") and what Ruby's Time.parse takes beyond them (no seconds,
# "+530", the year repeated before the offset: "18:30:22 2023 -0800").
_JEKYLL_DATE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})"
    r"(?::(?P<s>[0-9]{2})(?:[.,](?P<frac>[0-9]+))?)?)?"
    r"(?:[ \t]+(?P<year>[0-9]{4}))?"
    r"(?:[ \t]*(?P<zone>Z|UTC|GMT|(?P<sign>[+-])(?P<oh>[0-9]{1,2})(?::?(?P<om>[0-9]{2}))?))?"
)


@dataclass(frozen=True)
class Post:
    """A post whose front matter was read: what the page is made from."""

    name: PostName
    title: str | None
    title_line: int
    case_date: PartialDate | None
    published: str  # as parse_published gives it: the same instant, with its offset
    tags: tuple[str, ...]
    tags_line: int
    permalink: str | None
    url_slug: str  # the slug in the post's Jekyll URL: the 'slug' key, else the file name's
    unpublished: bool
    front_matter: tuple[str, ...]  # the lines between the two '---', verbatim
    body: str
    body_line: int  # the line of the post the body starts on


def _scalar(fields: YamlMap, key: str, log: Log, what: str = "text") -> tuple[Scalar | None, int]:
    """A field that must be one value: None when absent or null."""
    if key not in fields.items:
        return None, fields.line
    line, value = fields.items[key]
    if not isinstance(value, Scalar):
        log.error(
            line,
            f"{key} must be {what}, not a {'list' if isinstance(value, YamlList) else 'mapping'}",
        )
        return None, line
    return (None if value.is_null else value), line


def _flatten(value: YamlValue, key: str, log: Log) -> list[str]:
    """A tag list, Jekyll's way: nested lists flattened, nulls dropped."""
    if isinstance(value, Scalar):
        return [] if value.is_null else [value.text]
    if isinstance(value, YamlMap):
        log.error(value.line, f"{key} can't hold a mapping")
        return []
    return [text for item in value.items for text in _flatten(item, key, log)]


def _jekyll_tags(fields: YamlMap, log: Log) -> tuple[list[str], int]:
    """Tags by Jekyll's rules: a ``tags`` string splits on whitespace, a ``tag`` string is one
    tag, a list is a list. Jekyll reads ``tag`` *instead of* ``tags``; both are kept here."""
    tags: list[str] = []
    line = fields.line
    for key in ("tag", "tags"):
        if key not in fields.items:
            continue
        line, value = fields.items[key]
        if isinstance(value, Scalar) and not value.is_null and key == "tags":
            tags.extend(value.text.split())
        else:
            tags.extend(_flatten(value, key, log))
    if "tag" in fields.items and "tags" in fields.items:
        log.note(
            fields.items["tags"][0],
            "both 'tag' and 'tags' are given; Jekyll uses only 'tag', the case gets both",
        )
    return tags, line


def parse_jekyll_date(text: str) -> str:
    """A post's ``date`` as ``:published:`` holds it, the same instant; ValueError if it can't.

    ``2016-03-23 9:00:00 -4`` is ``2016-03-23T09:00:00-04:00``; ``+530`` is ``+05:30``.
    """
    match = _JEKYLL_DATE.fullmatch(text.strip())
    if not match:
        raise ValueError("not a date as Jekyll reads one (YYYY-MM-DD [HH:MM[:SS]] [offset])")
    day = f"{match['y']}-{int(match['mo']):02d}-{int(match['d']):02d}"
    if match["year"] and match["year"] != match["y"]:
        raise ValueError(f"the year is given twice, as {match['y']} and {match['year']}")
    if match["h"] is None and match["zone"] is None:
        return parse_published(day)
    clock = f"{int(match['h'] or 0):02d}:{match['mi'] or '00'}:{match['s'] or '00'}"
    zone = match["zone"] or ""
    if match["sign"]:
        digits = match["oh"] + (match["om"] or "")
        # Ruby reads 1-2 digits as hours, 3-4 as hours and minutes ("+530" is +05:30).
        hours, minutes = (digits, "00") if len(digits) <= 2 else (digits[:-2], digits[-2:])
        if int(hours) > 14 or int(minutes) > 59:
            raise ValueError(f"the offset {zone!r} is no offset a clock has")
        zone = f"{match['sign']}{int(hours):02d}:{minutes}"
    elif zone in ("UTC", "GMT"):
        zone = "Z"
    return parse_published(f"{day} {clock}{zone}")


def parse_post(data: bytes, name: PostName, log: Log) -> Post | None:
    """Read a post's bytes; None (with errors in *log*) when the post is refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        log.error(line, f"invalid UTF-8: byte {data[err.start]:#04x} at offset {err.start}")
        return None
    # Jekyll reads 'bom|utf-8' and accepts CRLF front matter; the pages are written with LF.
    lines, log.file_lines, others = split_lines(text.removeprefix("\ufeff"))
    for line in others:
        log.note(
            line,
            "a line break other than \\n (U+2028, a form feed...) ends the line here, "
            "as it does for MyST",
        )
    if not _FRONT_MATTER_OPEN.fullmatch(lines[0]):
        log.error(1, "no front matter: a post starts with a '---' line")
        return None
    close = next((i for i in range(1, len(lines)) if _FRONT_MATTER_CLOSE.fullmatch(lines[i])), None)
    if close is None:
        log.error(1, "the front matter opened on line 1 is never closed by a '---' line")
        return None
    front_matter = lines[1:close]
    try:
        fields = load_front_matter("\n".join(front_matter), 2)
    except FrontMatterError as err:
        log.error(err.line, err.message)
        return None

    title_value, title_line = _scalar(fields, "title", log)
    title = title_value.text if title_value else None

    case_date = None
    date_value, date_line = _scalar(fields, "case_date", log, "a date")
    if date_value is not None:
        try:
            case_date = PartialDate.parse(date_value.text)
        except ValueError as err:
            log.error(date_line, f"case_date {date_value.text!r}: {err}")

    published = name.date
    jekyll_date, jekyll_line = _scalar(fields, "date", log, "a date")
    if jekyll_date is not None:
        try:
            published = parse_jekyll_date(jekyll_date.text)
        except ValueError as err:
            # What the Jekyll site's URL shows, too: the file name's date.
            log.note(
                jekyll_line,
                f"date {jekyll_date.text!r}: {err}; the file name's date {name.date} is used",
            )

    tags, tags_line = _jekyll_tags(fields, log)
    permalink_value, _ = _scalar(fields, "permalink", log)
    slug_value, _ = _scalar(fields, "slug", log)
    flag, _ = _scalar(fields, "published", log)
    # Jekyll skips a post whose 'published' is YAML false (plain false/no/off).
    unpublished = bool(flag and flag.plain and flag.text.lower() in {"false", "no", "off"})

    if log.failed:
        return None
    unknown = [key for key in fields.items if key not in KNOWN_KEYS]
    if unknown:
        log.note(
            fields.items[unknown[0]][0],
            f"front matter kept only in the page's comment: {', '.join(unknown)}",
        )
    return Post(
        name=name,
        title=title,
        title_line=title_line,
        case_date=case_date,
        published=published,
        tags=tuple(tags),
        tags_line=tags_line,
        permalink=permalink_value.text if permalink_value else None,
        url_slug=slug_value.text if slug_value else name.jekyll_slug,
        unpublished=unpublished,
        front_matter=tuple(front_matter),
        body="\n".join(lines[close + 1 :]),
        body_line=close + 2,
    )
