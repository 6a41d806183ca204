"""The Jekyll importer behind ``sphinx-caselog import-jekyll``: posts in, MyST case pages out.

This module owns every decision of the migration (``docs/migrating.md`` lists them):
which files are posts, how front matter is read (a strict loader on ``yaml.safe_load``'s
rules, keeping the text of every value as written), how a post's Markdown maps onto one
``case`` directive, how links between posts become ``{case:ref}``, what is written where,
and how it is written (atomically, never outside ``--out``, never over a file without
``--force``). ``cli.py`` is only the argparse layer over :func:`import_jekyll`.

Everything between reading the posts and writing the pages is pure: a post's bytes and
the batch's link index give a page's text and the messages about it. Dates, URLs and
slugs follow the package's own policies (:mod:`.model`, :mod:`.slugs`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import re
import tempfile
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .config import DEFAULT_KINDS
from .model import PartialDate, is_safe_url, parse_published
from .slugs import slugify, tag_key

#: The kind mapping when no ``--kind-tag`` is given.
DEFAULT_KIND_TAGS: Mapping[str, str] = {"position": "position"}
#: Jekyll's default ``markdown_ext``: only these posts are Markdown.
MARKDOWN_EXTENSIONS = frozenset({"markdown", "mkdown", "mkdn", "mkd", "md"})
#: Where the per-year pages go: a folder, so no case slug can take their names.
YEARS_DIR = "years"
#: Page names a case can't take in the output folder: the importer's own index, and
#: the pages Sphinx and the ``case`` domain generate when the folder is the project root.
RESERVED_NAMES = frozenset(
    {"index", "genindex", "search", "py-modindex", "case-tags", "case-sources", "case-timeline"}
)
#: Links to another imported post are written with this scheme until they become
#: ``{case:ref}`` roles (so the Liquid pass and the Markdown pass can stay apart).
_POST_SCHEME = "caselog-post:"

Level = Literal["error", "warning", "note"]


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
class _Log:
    """The messages about one post (or about the run, with no file)."""

    file: str
    messages: list[Message] = field(default_factory=list)

    def error(self, line: int | None, text: str) -> None:
        self.messages.append(Message("error", self.file, line, text))

    def warning(self, line: int | None, text: str) -> None:
        self.messages.append(Message("warning", self.file, line, text))

    def note(self, line: int | None, text: str) -> None:
        self.messages.append(Message("note", self.file, line, text))

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


# -- finding posts --------------------------------------------------------------------------

_POST_NAME = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})-(?P<slug>.+)\.(?P<ext>[^.]+)")


class PostName(NamedTuple):
    """What a post's file name says: Jekyll names a post ``YYYY-MM-DD-slug.ext``."""

    path: Path
    file: str  # as shown to the user
    stem: str  # "2014-05-01-slug": the name {% post_url %} uses
    date: str  # "2014-05-01"
    jekyll_slug: str  # the slug in the Jekyll URL, as written
    slug: str  # the case id and page name: jekyll_slug held to the slug policy


def _ignored_name(name: str) -> bool:
    """Files Jekyll itself skips: hidden, underscored, editor backups."""
    return name.startswith((".", "_", "#")) or name.endswith("~")


def find_posts(sources: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[Message]]:
    """The post files named by *sources* (folders are searched recursively), in a fixed order.

    Raises :class:`UsageError` for a source that doesn't exist or a folder without posts.
    """
    found: list[tuple[Path, str]] = []
    messages: list[Message] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append((path, str(path)))

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
                        add(path)
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
        elif source.exists():
            add(source)
        else:
            raise UsageError(f"{source}: no such file or folder")
    return found, messages


def parse_post_name(path: Path, file: str) -> PostName | Message:
    """The date and slug in a post's file name, or the error that refuses it."""
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
    return PostName(
        path, file, f"{match['date']}-{match['slug']}", match["date"], match["slug"], slug
    )


# -- front matter: a strict YAML reader that keeps text as written ---------------------------------

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
_ZERO_FRACTION = re.compile(r"(\d{2}:\d{2}:\d{2})\.0+(?![0-9])")
_UTC_NAME = re.compile(r"\s*(?:UTC|GMT)$")


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


def _scalar(fields: YamlMap, key: str, log: _Log, what: str = "text") -> tuple[Scalar | None, int]:
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


def _flatten(value: YamlValue, key: str, log: _Log) -> list[str]:
    """A tag list, Jekyll's way: nested lists flattened, nulls dropped."""
    if isinstance(value, Scalar):
        return [] if value.is_null else [value.text]
    if isinstance(value, YamlMap):
        log.error(value.line, f"{key} can't hold a mapping")
        return []
    return [text for item in value.items for text in _flatten(item, key, log)]


def _jekyll_tags(fields: YamlMap, log: _Log) -> tuple[list[str], int]:
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
    """A post's ``date`` as ``:published:`` holds it, the same instant; ValueError if it can't."""
    text = _ZERO_FRACTION.sub(r"\1", text.strip())
    text = _UTC_NAME.sub("Z", text)
    return parse_published(text)


def parse_post(data: bytes, name: PostName, log: _Log) -> Post | None:
    """Read a post's bytes; None (with errors in *log*) when the post is refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        log.error(line, f"invalid UTF-8: byte {data[err.start]:#04x} at offset {err.start}")
        return None
    # Jekyll reads 'bom|utf-8' and accepts CRLF front matter; the pages are written with LF.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
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
    date_text = jekyll_date.text if jekyll_date else name.date
    try:
        published = parse_jekyll_date(date_text)
    except ValueError as err:
        log.error(jekyll_line, f"date {date_text!r}: {err}")

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


# -- the batch: what links between posts and to tag pages resolve to -------------------------------

_DATE_PATH = re.compile(
    r"(?:.*/)?(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/(?P<d>[0-9]{2})/(?P<slug>[^/]+?)(?:\.html?)?/?"
)
_TAG_PATH = re.compile(r"(?:.*/)?tags?/(?P<slug>[^/]+?)(?:\.html?|/|/index\.html?)?")
_JEKYLL_SLUG_JUNK = re.compile(r"[\W_]+")


def jekyll_tag_slug(tag: str) -> str:
    """Jekyll's default ``slugify``: Unicode letters kept, lowercased, the rest '-'."""
    return _JEKYLL_SLUG_JUNK.sub("-", unicodedata.normalize("NFC", tag).lower()).strip("-")


def _path_key(path: str) -> str:
    """A URL path as compared: unquoted, without index.html, .html or a trailing '/'."""
    path = unquote(path).casefold()
    path = path.removesuffix("index.html").removesuffix(".html").rstrip("/")
    return path or "/"


class SiteUrl(NamedTuple):
    origin: str  # "https://example.org"
    path: str  # "/blog" or ""
    host: str  # lowercased, without www.

    @classmethod
    def parse(cls, url: str) -> SiteUrl:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        origin = f"{parts.scheme.lower()}://{parts.netloc}"
        return cls(origin, parts.path.rstrip("/"), host.removeprefix("www."))


@dataclass(frozen=True)
class Site:
    """The batch as links see it: posts by name, URL and permalink; tags by slug."""

    stems: Mapping[str, str]  # casefolded "2014-05-01-slug" → case id
    dated: Mapping[tuple[str, str], str]  # (YYYY-MM-DD, casefolded Jekyll slug) → case id
    permalinks: Mapping[str, str]  # _path_key(permalink) → case id
    tags: Mapping[str, str]  # tag slug (ours and Jekyll's) → tag as first written
    titles: Mapping[str, str]  # case id → title
    url: SiteUrl | None

    def host_path(self, url: str) -> str | None:
        """The path of a link into the site: site-relative as written, or absolute under
        ``--site-url``; None for any other link."""
        if url.startswith("/") and not url.startswith("//"):
            return urlsplit(url).path
        if self.url is None or not is_safe_url(url):
            return None
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        if host != self.url.host:
            return None
        return parts.path or "/"

    def _candidates(self, path: str) -> list[str]:
        """The path, and the path without the site's base path."""
        paths = [path]
        if self.url and self.url.path and path.startswith(self.url.path + "/"):
            paths.append(path[len(self.url.path) :])
        return paths

    def post_for(self, url: str) -> str | None:
        """The case id a link points to, if it points to a post of the batch."""
        if url.startswith(_POST_SCHEME):
            return url[len(_POST_SCHEME) :]
        path = self.host_path(url)
        if path is None:
            return None
        for candidate in self._candidates(path):
            key = _path_key(candidate)
            if key in self.permalinks:
                return self.permalinks[key]
            match = _DATE_PATH.fullmatch(unquote(candidate))
            if match:
                found = self.dated.get(
                    (f"{match['y']}-{match['m']}-{match['d']}", match["slug"].casefold())
                )
                if found:
                    return found
        return None

    def tag_for(self, url: str) -> tuple[str, bool] | None:
        """(tag name, whether it is a tag of the batch) for a link to a tag page."""
        path = self.host_path(url)
        if path is None:
            return None
        for candidate in self._candidates(path):
            match = _TAG_PATH.fullmatch(candidate)
            if match:
                slug = unquote(match["slug"])
                name = self.tags.get(slug.casefold())
                return (name, True) if name else (slug, False)
        return None

    def absolute(self, url: str) -> str | None:
        """A site-relative link made absolute with ``--site-url``."""
        if self.url is None or not url.startswith("/") or url.startswith("//"):
            return None
        return urljoin(self.url.origin + "/", url)


def build_site(names: Sequence[PostName], posts: Sequence[Post], site_url: str | None) -> Site:
    """The link index of a batch: every named post is a target, even one refused for its
    content, so that links to it work once it is fixed and imported again."""
    stems = {n.stem.casefold(): n.slug for n in names}
    dated = {(n.date, n.jekyll_slug.casefold()): n.slug for n in names}
    permalinks: dict[str, str] = {}
    tags: dict[str, str] = {}
    titles: dict[str, str] = {}
    for post in posts:
        # Jekyll's URL uses the front matter's date and slug, which may differ from the
        # file name's.
        for date in (post.name.date, post.published[:10]):
            dated.setdefault((date, post.url_slug.casefold()), post.name.slug)
        if post.permalink:
            permalinks.setdefault(_path_key(post.permalink), post.name.slug)
        titles[post.name.slug] = page_title(post)
        for tag in post.tags:
            if "," in tag:
                continue  # can't be a :tags: entry, so it can't be a see-also target either
            for slug in (slugify(tag), jekyll_tag_slug(tag)):
                if slug:
                    tags.setdefault(slug.casefold(), tag)
    return Site(
        stems, dated, permalinks, tags, titles, SiteUrl.parse(site_url) if site_url else None
    )


def page_title(post: Post) -> str:
    """The title as written, or Jekyll's own fallback (the slug, titleized)."""
    if post.title and post.title.strip():
        return " ".join(post.title.split())
    return " ".join(word.capitalize() for word in post.name.jekyll_slug.split("-") if word)


# -- pass 1: Liquid ---------------------------------------------------------------------------

_LIQUID = re.compile(
    r"\{%-?\s*(?P<tag>[A-Za-z_]\w*)(?P<args>(?:[^%]|%(?!\}))*?)-?%\}"
    r"|\{\{-?(?P<expr>(?:[^}]|\}(?!\}))*?)-?\}\}",
    re.DOTALL,
)
# Block tags: kept verbatim together with their end tag. (highlight: when it can't be converted.)
_LIQUID_BLOCKS = frozenset(
    {"if", "unless", "for", "case", "capture", "comment", "tablerow", "highlight"}
)
_INLINE_TARGET = re.compile(r"\]\(\s*<?[^\s()<>]*$")
_DEFINITION_TARGET = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?[^\s<>]*$")
_SITE_VARIABLE = re.compile(r"\s*site\.(?P<name>url|baseurl)\s*")
_URL_FILTER = re.compile(
    r"\s*(?P<q>[\"'])(?P<path>[^\"']*)(?P=q)\s*\|\s*(?P<filter>relative_url|absolute_url)\s*"
)
_FENCE_LINE = re.compile(r"(?:[ ]{0,3}>[ ]?)*[ ]{0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)")


class _Emitter:
    """Output text, and for each output line the post line it came from."""

    def __init__(self, first_line: int) -> None:
        self.parts: list[str] = []
        self.origins = [first_line]
        self.tail = ""  # the current output line so far

    def add(self, text: str, origin: int, *, verbatim: bool) -> None:
        pieces = text.split("\n")
        for k in range(1, len(pieces)):
            self.origins.append(origin + k if verbatim else origin)
        self.tail = self.tail + pieces[0] if len(pieces) == 1 else pieces[-1]
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _fence_ranges(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of fenced code blocks, blockquoted ones included."""
    ranges = []
    offset = 0
    opened: tuple[int, str] | None = None
    for line in text.split("\n"):
        match = _FENCE_LINE.fullmatch(line)
        if opened is None:
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                opened = (offset, match["fence"])
        elif (
            match
            and match["fence"][0] == opened[1][0]
            and len(match["fence"]) >= len(opened[1])
            and not match["info"].strip()
        ):
            ranges.append((opened[0], offset + len(line)))
            opened = None
        offset += len(line) + 1
    if opened is not None:
        ranges.append((opened[0], len(text)))
    return ranges


def code_span(text: str) -> str:
    """*text* as a Markdown code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" or (text[:1] == " " == text[-1:]) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fence_for(text: str, char: str = "`") -> str:
    longest = max((len(run) for run in re.findall(re.escape(char) + "+", text)), default=0)
    return char * max(3, longest + 1)


# Names Sphinx's highlighter takes before asking Pygments (sphinx.highlighting).
_SPHINX_LANGUAGES = frozenset(
    {"default", "guess", "none", "py", "python", "py3", "python3", "pycon", "py3con", "rest", "c"}
)


def known_language(name: str) -> bool:
    """Whether Sphinx can highlight *name*; if it can't, it warns and ``-W`` fails."""
    if name in _SPHINX_LANGUAGES:
        return True
    # Imported by name: Pygments ships no type hints, and its stubs are no dependency.
    lexers = importlib.import_module("pygments.lexers")
    try:
        lexers.get_lexer_by_name(name)
    except ValueError:  # pygments.util.ClassNotFound
        return False
    return True


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


class _Liquid:
    """Liquid, which Jekyll runs before Markdown: converted where the meaning is known
    (``raw``, ``highlight``, links to posts and to the site), else kept verbatim in a
    literal block, with a warning. Never dropped."""

    def __init__(self, body: str, first_line: int, site: Site, log: _Log) -> None:
        self.body = body
        self.first_line = first_line
        self.site = site
        self.log = log
        self.newlines = [i for i, ch in enumerate(body) if ch == "\n"]
        self.fences = _fence_ranges(body)
        self.code_regions: list[tuple[int, int]] = []  # converted {% highlight %} bodies
        self.out = _Emitter(first_line)
        #: Output lines that open a code block the importer wrote itself: their
        #: ``{code-block}`` is meant, not MyST syntax that a post happened to contain.
        self.own_fences: set[int] = set()

    def line_at(self, offset: int) -> int:
        return self.first_line + bisect_right(self.newlines, offset - 1)

    def in_fence(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.fences)

    def own_line(self, start: int, end: int) -> bool:
        """Whether body[start:end] stands alone on its line(s), outside any container."""
        line_start = self.body.rfind("\n", 0, start) + 1
        line_end = self.body.find("\n", end)
        prefix = self.body[line_start:start]
        suffix = self.body[end : len(self.body) if line_end < 0 else line_end]
        return not prefix.strip() and len(prefix) <= 3 and not suffix.strip()

    def run(self) -> _Emitter:
        tokens = list(_LIQUID.finditer(self.body))
        pos = 0
        for index, match in enumerate(tokens):
            if match.start() < pos:
                if self.in_code_region(match.start()):
                    self.log.warning(
                        self.line_at(match.start()),
                        f"Liquid {_short(match.group())!r} in a code block is kept verbatim "
                        "(Jekyll would have run it)",
                    )
                continue
            self.copy(pos, match.start())
            pos = self.convert(match, tokens[index + 1 :])
        self.copy(pos, len(self.body))
        return self.out

    def in_code_region(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.code_regions)

    def copy(self, start: int, end: int) -> None:
        if end > start:
            self.out.add(self.body[start:end], self.line_at(start), verbatim=True)

    def insert(self, text: str, offset: int) -> None:
        self.out.add(text, self.line_at(offset), verbatim=False)

    def matching_end(
        self, match: re.Match[str], rest: Sequence[re.Match[str]]
    ) -> re.Match[str] | None:
        name = match["tag"]
        depth = 1
        for other in rest:
            if other["tag"] == name and name not in ("raw", "comment"):
                depth += 1
            elif other["tag"] == f"end{name}":
                depth -= 1
                if depth == 0:
                    return other
        return None

    def convert(self, match: re.Match[str], rest: Sequence[re.Match[str]]) -> int:
        """Emit the conversion of the Liquid at *match*; return where the copy resumes."""
        line = self.line_at(match.start())
        tag = match["tag"]
        if tag == "raw":
            endraw = self.matching_end(match, rest)
            if endraw is not None:
                self.copy(match.end(), endraw.start())
                self.log.note(line, "{% raw %} converted: its text is kept as written")
                return endraw.end()
        if self.in_fence(match.start()):
            self.copy(match.start(), match.end())
            self.log.warning(
                line,
                f"Liquid {_short(match.group())!r} in a code block is kept verbatim "
                "(Jekyll would have run it)",
            )
            return match.end()
        if tag == "highlight":
            converted = self.highlight(match, rest)
            if converted is not None:
                return converted
        substitute = self.link_target(match)
        if substitute is not None:
            self.insert(substitute, match.start())
            return match.end()
        end = match.end()
        if tag in _LIQUID_BLOCKS:
            closing = self.matching_end(match, rest)
            if closing is not None:
                end = closing.end()
        self.verbatim(match.start(), end)
        return end

    def highlight(self, match: re.Match[str], rest: Sequence[re.Match[str]]) -> int | None:
        closing = self.matching_end(match, rest)
        args = match["args"].split()
        if (
            closing is None
            or not args
            or args[1:] not in ([], ["linenos"])
            or not self.own_line(match.start(), match.end())
            or not self.own_line(closing.start(), closing.end())
        ):
            return None
        language = args[0]
        line = self.line_at(match.start())
        code = self.body[match.end() : closing.start()]
        fence = _fence_for(code)
        if args[1:]:
            self.own_fences.add(len(self.out.origins) - 1)
            self.insert(f"{fence}{{code-block}} {language}\n:linenos:", match.start())
        else:
            self.insert(f"{fence}{language}", match.start())
        self.copy(match.end(), closing.start())
        self.insert(fence, closing.start())
        self.code_regions.append((match.end(), closing.start()))
        self.log.note(line, f"{{% highlight {language} %}} converted to a code block")
        return closing.end()

    def link_target(self, match: re.Match[str]) -> str | None:
        """The text of Liquid that names a post or a site URL inside a link's target."""
        inline = bool(_INLINE_TARGET.search(self.out.tail))
        if not inline and not _DEFINITION_TARGET.search(self.out.tail):
            return None
        line = self.line_at(match.start())
        site = self.site.url
        if match["expr"] is not None:
            variable = _SITE_VARIABLE.fullmatch(match["expr"])
            if variable:
                value = (site.origin if variable["name"] == "url" else site.path) if site else ""
                self.log.note(line, f"{{{{ site.{variable['name']} }}}} in a link converted")
                return value
            url_filter = _URL_FILTER.fullmatch(match["expr"])
            if url_filter:
                path = "/" + url_filter["path"].lstrip("/")
                base = (site.path if site else "") + path
                if url_filter["filter"] == "absolute_url" and site:
                    base = site.origin + base
                self.log.note(line, f"Liquid {url_filter['filter']} in a link converted")
                return base
            return None
        if not inline or match["tag"] not in ("post_url", "link"):
            return None
        target = match["args"].strip().strip("\"'")
        name = PurePosixPath(target).name
        stem = name.rsplit(".", 1)[0] if name.rsplit(".", 1)[-1] in MARKDOWN_EXTENSIONS else name
        if match["tag"] == "link" and "_posts/" not in target:
            return None
        case_id = self.site.stems.get(stem.casefold())
        if case_id is None:
            self.log.warning(line, f"{{% {match['tag']} {target} %}} names no post of this import")
            return None
        self.log.note(line, f"{{% {match['tag']} {target} %}} converted to a case reference")
        return _POST_SCHEME + case_id

    def verbatim(self, start: int, end: int) -> None:
        region = self.body[start:end]
        line = self.line_at(start)
        if self.own_line(start, end):
            fence = _fence_for(region)
            self.insert(f"{fence}text\n", start)
            self.copy(start, end)
            self.insert(f"\n{fence}", end)
        elif "\n" in region and not self.out.tail.lstrip().startswith((">", "-", "*", "+")):
            fence = _fence_for(region)
            self.insert(f"\n{fence}text\n", start)
            self.copy(start, end)
            self.insert(f"\n{fence}\n", end)
        else:
            self.insert(code_span(region), start)
        self.log.warning(
            line,
            f"Liquid {_short(region)!r} kept verbatim in a literal block "
            "(convert it by hand: Jekyll ran it, Sphinx shows it)",
        )


# -- pass 2: Markdown -----------------------------------------------------------------------------

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Block quote, list and footnote markers (MyST has footnotes), nested in any order:
# what a line's content follows.
_CONTAINER_PREFIX = re.compile(
    r"(?:[ \t]*(?:>|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t]|$)|\[\^[^\]\s]+\]:))*[ \t]*"
)
# Line starts MyST reads as syntax where kramdown read text: a comment (%), a block
# break (+++), a colon fence (:::), a target ((label)=), and an option-like line,
# which the case directive would take for a misplaced option.
_MYST_LINE_START = re.compile(r"%|\+\+\+|:{3}|\([^\n]*\)=[ \t]*(?:\n|$)|:[\w-]+:(?:\s|$)")
_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\`]|\\.|`[^`]*`|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    r"\((?P<space>[ \t]*)(?P<dest><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
    r"(?P<title>[ \t]+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*\)"
)
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_HTML_LINK = re.compile(
    r"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"']?(?P<url>/(?!/)[^\"'\s>]*)", re.IGNORECASE
)
_IAL = re.compile(r"\{:(?:[^{}\n\"']|\"[^\"\n]*\"|'[^'\n]*')*\}")
_HEADER_ID = re.compile(r"\{#[A-Za-z][\w:.-]*\}(?=[ \t]*#*[ \t]*$)")
_FOOTNOTE_DEFINITION = re.compile(
    r"(?:[ \t]*(?:>|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t])))*[ \t]*\[\^([^\]\s]+)\]:"
)
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
# MyST role syntax: a {name} before code, or before an attribute list that becomes code.
_ROLE_NAME = re.compile(r"\{[A-Za-z0-9_\-+:]+\}(?=`|\{[:#])")
# A link reference definition (not a footnote's: [^1]: text), with an optional title.
_DEFINITION = re.compile(
    r"(?P<head>[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*)(?P<url><[^<>\n]*>|\S+)"
    r"(?P<rest>(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*)"
)
_LIST_MARKER = re.compile(r"[ \t]*(?:[*+-]|[0-9]{1,9}[.)])[ \t]*")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

_SECTION_NAMES = {
    "context and discussion": "context",
    "source": "sources",
    "sources": "sources",
    "see also": "see-also",
}


def plain_text(markdown: str) -> str:
    """The text a reader sees in inline Markdown: markup, escapes and entities resolved."""
    out: list[str] = []
    for token in _MD.parseInline(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline", "html_inline", "image"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return " ".join("".join(out).split())


def _unwrap(dest: str) -> str:
    """A link destination as a URL: without <...>, backslash escapes resolved."""
    if dest.startswith("<") and dest.endswith(">"):
        return dest[1:-1]
    return re.sub(r"\\(.)", r"\1", dest)


def role(name: str, target: str, text: str | None = None) -> str:
    """A ``{case:...}`` role; link text with a backtick can't be one, so it shows the title."""
    if text and "`" not in text and text.strip() and not text.endswith("\\"):
        return f"{{case:{name}}}`{text} <{target}>`"
    return f"{{case:{name}}}`{target}`"


class _Markdown:
    """The post body after Liquid: quote, context, sources and see-also, as MyST lines."""

    def __init__(
        self, emitted: _Emitter, site: Site, log: _Log, own_fences: frozenset[int] = frozenset()
    ) -> None:
        self.own_fences = own_fences
        self.lines = emitted.text.split("\n")
        self.origins = emitted.origins
        self.site = site
        self.log = log
        self.tokens = _MD.parse(emitted.text)
        self.replaced: dict[int, list[str]] = {}  # line index → its replacement lines
        self.verbatim: set[int] = set()  # code lines: copied as they are
        self.rewritten: dict[int, str] = {}  # line index → the line, inline syntax rewritten
        self.paragraph_of: dict[int, tuple[int, int]] = {}  # line index → its paragraph
        # kramdown shows a footnote reference with no definition as text and hides a
        # definition with no reference; MyST fails on the first and warns on the second.
        self.footnotes = {
            m[1] for line in self.lines if (m := _FOOTNOTE_DEFINITION.match(line)) is not None
        }
        self.referenced = {
            m[1]
            for line in self.lines
            for m in _FOOTNOTE_REFERENCE.finditer(line)
            if not ((d := _FOOTNOTE_DEFINITION.match(line)) and d.end() == m.end() + 1)
        }
        self.prepare()

    def origin(self, index: int) -> int:
        return self.origins[min(index, len(self.origins) - 1)]

    # -- block structure ---------------------------------------------------------------

    def prepare(self) -> None:
        """Mark code and raw HTML lines, and rewrite headings, breaks and fence info."""
        for index, token in enumerate(self.tokens):
            if token.map is None:
                continue
            start, end = token.map
            if token.type in ("fence", "code_block"):
                self.verbatim.update(range(start, end))
                if token.type == "fence":
                    self.fence_info(token)
            elif token.type == "html_block":
                self.verbatim.update(range(start, end))
                for line in range(start, end):
                    self.html_links(line)
            elif token.type == "hr":
                lead = _container(self.lines[start])
                self.replaced[start] = _set_apart(lead, f"{lead}\\* \\* \\*")
                self.log.note(
                    self.origin(start),
                    "a thematic break (---) became '* * *': a case can't hold a transition",
                )
            elif token.type == "heading_open" and token.level > 0:
                self.nested_heading(token, self.tokens[index + 1])
            elif token.type == "paragraph_open":
                # Rewritten when first rendered: a Source or See also item that becomes
                # an option is never rendered, so its links are never reported.
                for line in range(start, end):
                    self.paragraph_of[line] = (start, end)

    def fence_info(self, token: Token) -> None:
        """Neutralise a fence marked as a directive; report a language Sphinx won't know."""
        assert token.map is not None
        words = token.info.split()
        if token.map[0] in self.own_fences:
            words = words[1:]  # "{code-block} LANG", written by the Liquid pass
        elif words and words[0].startswith("{"):
            line = self.lines[token.map[0]]
            head = line[: line.index(token.markup) + len(token.markup)]
            self.replaced[token.map[0]] = [head]
            self.log.warning(
                self.origin(token.map[0]),
                f"code block marked {token.info.strip()!r}: the mark is dropped, so MyST shows "
                "it as code (as Jekyll did) instead of running it as a directive",
            )
            return
        if words and not known_language(words[0]):
            self.log.warning(
                self.origin(token.map[0]),
                f"Pygments doesn't know the language {words[0]!r}: Sphinx will warn",
            )

    def nested_heading(self, token: Token, inline: Token) -> None:
        """A heading in a quote or a list: bold text, as a case can't hold sections."""
        assert token.map is not None
        start, end = token.map
        lead = _container(self.lines[start])
        prefix = _CONTAINER_PREFIX.match(self.lines[start])
        marker = prefix.group() if prefix else lead  # keeps a list item's marker
        text = self.inline(inline.content, start)
        self.replaced[start] = _set_apart(lead, f"{marker}**{text}**") if text else [lead.rstrip()]
        for line in range(start + 1, end):  # a setext heading's other lines
            self.replaced[line] = []
        self.log.note(self.origin(start), "a heading inside a quote or list became bold text")

    def html_links(self, index: int) -> None:
        for match in _HTML_LINK.finditer(self.lines[index]):
            self.log.warning(
                self.origin(index),
                f"raw HTML links to the site path {match['url']!r}: kept as written, "
                "it will point into the new site",
            )

    # -- inline rewriting --------------------------------------------------------------

    def inline(
        self, text: str, index: int, *, links: bool = True, at_line_start: bool = True
    ) -> str:
        """Rewrite inline Markdown starting on body line *index*: links, attribute lists,
        MyST syntax. *text* is a paragraph's content, its lines without their container
        prefixes (as CommonMark joins them, so code spans across lines are seen); the
        result has the same line breaks, so each line keeps its prefix."""
        out: list[str] = []
        i = 0
        while i <= len(text):
            if (i == 0 and at_line_start) or (i and text[i - 1] == "\n"):
                self.line_start(text, i, index + text.count("\n", 0, i), out)
            if i == len(text):
                break
            char = text[i]
            line = index + text.count("\n", 0, i)
            if char == "\\" and i + 1 < len(text) and text[i + 1] != "\n":
                out.append(text[i : i + 2])
                i += 2
                continue
            if char == "`":
                run = len(text[i:]) - len(text[i:].lstrip("`"))
                close = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(text, i + run)
                end = close.end() if close else i + run
                first, *others = text[i:end].split("\n")
                out.append(first)
                for other in others:
                    out.append("\n")
                    self.line_start(other, 0, line, out)
                    out.append(other)
                i = end
                continue
            if char == "[":
                match = _FOOTNOTE_REFERENCE.match(text, i)
                if match and match[1] not in self.footnotes:
                    out.append("\\[")  # no definition: text, as kramdown shows it
                    self.log.note(
                        self.origin(line),
                        f"footnote {match.group()} has no definition: kept as text",
                    )
                    i += 1
                    continue
            if links and char in "[!":
                match = _LINK.match(text, i)
                if match:
                    out.append(self.link(match, line))
                    i = match.end()
                    continue
            if char == "<":
                match = _AUTOLINK.match(text, i)
                if match:
                    out.append(self.autolink(match) if links else match.group())
                    i = match.end()
                    continue
                match = _HTML_LINK.match(text, i)
                if match:
                    self.log.warning(
                        self.origin(line),
                        f"raw HTML links to the site path {match['url']!r}: kept as written, "
                        "it will point into the new site",
                    )
            if char == "{":
                match = _IAL.match(text, i) or _HEADER_ID.match(text, i)
                if match:
                    out.append(code_span(match.group()))
                    self.log.warning(
                        self.origin(line),
                        f"kramdown attribute list {_short(match.group())!r} kept verbatim "
                        "in a literal (MyST has no attribute lists)",
                    )
                    i = match.end()
                    continue
                match = _ROLE_NAME.match(text, i)
                if match:
                    out.append("\\" + match.group())
                    self.log.note(
                        self.origin(line),
                        f"{match.group()} before code is MyST role syntax: escaped, so it stays text",
                    )
                    i = match.end()
                    continue
            out.append(char)
            i += 1
        return "".join(out)

    def line_start(self, text: str, i: int, line: int, out: list[str]) -> None:
        """Escape what MyST's block rules would read at the start of a line: they run
        before inline code is seen, so this applies even inside a code span."""
        if _MYST_LINE_START.match(text, i):
            out.append("\\")
            self.log.note(
                self.origin(line),
                f"{_short(text[i:].partition(chr(10))[0], 20)!r} is MyST syntax at the start of "
                "a line: escaped, so it stays text",
            )

    def rewrite_lines(self, start: int, end: int) -> None:
        """Rewrite body lines start..end as one inline content (a paragraph)."""
        prefixes = []
        for index in range(start, end):
            match = _CONTAINER_PREFIX.match(self.lines[index])
            prefix = self.lines[index][: match.end()] if match else ""
            footnote = _FOOTNOTE_DEFINITION.match(prefix)
            if footnote and footnote[1] not in self.referenced:
                # kramdown hid a definition nothing refers to; as text, nothing is lost.
                bracket = footnote.start(1) - 2
                prefix = f"{prefix[:bracket]}\\{prefix[bracket:]}"
                self.log.note(
                    self.origin(index),
                    f"footnote [^{footnote[1]}] is never referenced: its definition is text",
                )
            prefixes.append(prefix)
        content = "\n".join(
            self.lines[index][len(prefix) :]
            for index, prefix in zip(range(start, end), prefixes, strict=True)
        )
        pieces = self.inline(content, start).split("\n")
        assert len(pieces) == end - start, "a rewrite must keep the line breaks"
        for index, prefix, piece in zip(range(start, end), prefixes, pieces, strict=True):
            self.rewritten[index] = prefix + piece

    def link(self, match: re.Match[str], index: int) -> str:
        """A Markdown link or image, as MyST: a case reference, or the link kept."""
        line = self.origin(index)
        url = _unwrap(match["dest"])
        text = match["text"]
        if not match["bang"]:
            case_id = self.site.post_for(url)
            if case_id is not None:
                if "#" in url and not url.startswith(_POST_SCHEME):
                    self.log.note(
                        line, f"the fragment of {url!r} is dropped: a case reference has none"
                    )
                shown = plain_text(text)
                breaks = text.count("\n")
                if not breaks and shown == self.site.titles.get(case_id):
                    return role("ref", case_id)
                spread = _spread(shown, breaks)
                if spread is not None and "`" not in shown:
                    return role("ref", case_id, spread)
                if not breaks:
                    self.log.note(
                        line,
                        f"the link text {shown!r} holds a backtick, which a role can't: "
                        f"the reference to {case_id!r} shows the case's title",
                    )
                    return role("ref", case_id)
                self.log.warning(line, f"the link to case {case_id!r} is kept as it was written")
        dest = self.kept_link(url, line, image=bool(match["bang"])) or match["dest"]
        return (
            f"{match['bang']}[{self.inline(text, index, links=False, at_line_start=False)}]"
            f"({match['space']}{dest}{match['title'] or ''})"
        )

    def autolink(self, match: re.Match[str]) -> str:
        case_id = self.site.post_for(match["url"])
        if case_id is not None:
            return role("ref", case_id)
        return match.group()

    def kept_link(self, url: str, line: int, *, image: bool) -> str | None:
        """A link that stays a link: a new destination, or None to keep it as written.

        Reports every link Sphinx won't resolve (MyST reads a link without a scheme
        as a cross-reference and warns when nothing matches)."""
        what = "image" if image else "link"
        if url.startswith(_POST_SCHEME):
            return None
        absolute = self.site.absolute(url)
        if absolute is not None:
            self.log.note(line, f"{what} {url!r} made absolute with --site-url: {absolute}")
            return absolute
        scheme = _SCHEME.match(url)
        if scheme is None:
            advice = "give --site-url" if url.startswith("/") else "fix it by hand"
            if image:
                advice = "copy the file into the project, or give --site-url"
            self.log.warning(
                line,
                f"{what} {url!r} is relative: kept as written, Sphinx won't find it ({advice})",
            )
        elif scheme.group()[:-1].lower() not in _SAFE_SCHEMES:
            self.log.warning(
                line, f"{what} {url!r}: MyST makes only http(s), mailto and ftp links; kept as text"
            )
        return None

    def definition(self, index: int) -> str | None:
        """A link reference definition ``[name]: URL``: made absolute where it can be."""
        match = _DEFINITION.fullmatch(self.lines[index])
        if not match:
            return None
        url = _unwrap(match["url"])
        line = self.origin(index)
        if self.site.post_for(url) is not None:
            self.log.warning(
                line,
                f"the reference-style link {url!r} points to an imported post: write it "
                "as [text](URL) to get a case reference",
            )
        new = self.kept_link(url, line, image=False)
        return f"{match['head']}{new}{match['rest']}" if new else self.lines[index]

    def render(self, index: int) -> list[str]:
        """Line *index* of the body, as MyST lines."""
        if index in self.replaced:
            return self.replaced[index]
        if index in self.verbatim:
            return [self.lines[index]]
        if index not in self.rewritten:
            definition = None if index in self.paragraph_of else self.definition(index)
            if definition is not None:
                self.rewritten[index] = definition
            else:
                # A paragraph is rewritten as a whole; a line of none (a table row) alone.
                self.rewrite_lines(*self.paragraph_of.get(index, (index, index + 1)))
        return [self.rewritten[index]]

    def render_range(self, start: int, end: int, skip: frozenset[int] = frozenset()) -> list[str]:
        return [text for i in range(start, end) if i not in skip for text in self.render(i)]

    # -- the case's parts ------------------------------------------------------------------

    def top_blocks(self) -> list[tuple[int, Token]]:
        return [
            (i, t)
            for i, t in enumerate(self.tokens)
            if t.level == 0 and t.nesting >= 0 and t.map is not None
        ]

    def rubric(self, heading: Token, inline: Token) -> list[str]:
        assert heading.map is not None
        text = self.inline(" ".join(inline.content.split()), heading.map[0])
        return [f":::{{rubric}} {text}", ":::"] if text else []  # an empty heading shows nothing

    def leading_quote(self) -> tuple[list[range], int]:
        """The lines of each block quote that opens the body, and the line after them.

        None when something else comes first (a link definition, which makes no token,
        counts). A quote with no text is left out: it shows nothing, and a case whose
        quote is empty can't be built (Sphinx unwraps an empty quote, classes and all).
        """
        lines: list[range] = []
        end = 0
        for _, token in self.top_blocks():
            if token.type != "blockquote_open" or token.map is None:
                break
            if not end and any(line.strip() for line in self.lines[: token.map[0]]):
                return [], 0
            quote = range(token.map[0], token.map[1])
            if any(self.lines[i].strip(" \t>") for i in quote):
                lines.append(quote)
            else:
                self.log.note(self.origin(token.map[0]), "an empty block quote is left out")
            end = token.map[1]
        return lines, end

    def convert(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """(quote lines, context lines, source lines, see-also entries)."""
        quote_lines, quote_end = self.leading_quote()
        # Sections: from each level-1 or level-2 heading to the next one.
        starts: list[tuple[int, int | None]] = [(quote_end, None)]  # (line, heading token)
        for index, token in self.top_blocks():
            if token.type == "heading_open" and token.tag in ("h1", "h2") and token.map:
                starts.append((token.map[0], index))
        context: list[list[str]] = []
        sources: list[str] = []
        see_also: list[str] = []
        for number, (start, heading_index) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(self.lines)
            if heading_index is None:
                context.append(self.section_lines(start, end))
                continue
            heading = self.tokens[heading_index]
            inline = self.tokens[heading_index + 1]
            assert heading.map is not None
            body_start = heading.map[1]
            name = " ".join(plain_text(inline.content).casefold().split()).rstrip(":")
            part = _SECTION_NAMES.get(name)
            if part == "context":
                context.append(self.section_lines(body_start, end))
            elif part in ("sources", "see-also"):
                kept = self.list_section(part, body_start, end, sources, see_also)
                if kept:
                    context.append([*self.rubric(heading, inline), "", *kept])
            else:
                self.log.note(
                    self.origin(heading.map[0]),
                    f"section {inline.content.strip()!r} kept in the context under its own heading",
                )
                rubric = self.rubric(heading, inline)
                context.append([*rubric, "", *self.section_lines(body_start, end)])
        lines: list[str] = []
        for chunk in map(_trim, context):
            if chunk:
                lines.extend([*([""] if lines else []), *chunk])
        quote: list[str] = []
        for block in quote_lines:  # kept apart: adjacent '>' lines would make one quote
            quote.extend([*([""] if quote else []), *(t for i in block for t in self.render(i))])
        return _trim(quote), lines, sources, see_also

    def section_lines(self, start: int, end: int) -> list[str]:
        """A section's lines; its own headings (h3 and below) become rubrics."""
        out: list[str] = []
        skip: set[int] = set()
        headings = {
            t.map[0]: (t, self.tokens[i + 1])
            for i, t in enumerate(self.tokens)
            if t.type == "heading_open" and t.level == 0 and t.map and start <= t.map[0] < end
        }
        for index in range(start, end):
            if index in skip:
                continue
            if index in headings:
                heading, inline = headings[index]
                assert heading.map is not None
                skip.update(range(heading.map[0], heading.map[1]))
                following = heading.map[1]
                out.extend(
                    [
                        *([""] if out and out[-1].strip() else []),
                        *self.rubric(heading, inline),
                        *([""] if following < end and self.lines[following].strip() else []),
                    ]
                )
                continue
            out.extend(self.render(index))
        return out

    def list_section(
        self, part: str, start: int, end: int, sources: list[str], see_also: list[str]
    ) -> list[str]:
        """Take the Source or See also items that map to options; the rest stays as context."""
        taken: set[int] = set()
        items = [
            t
            for t in self.tokens
            if t.type == "list_item_open" and t.level == 1 and t.map and start <= t.map[0] < end
        ]
        for item in items:
            assert item.map is not None
            first, last = item.map
            while last > first + 1 and not self.lines[last - 1].strip():
                last -= 1
            raw = " ".join(
                [_LIST_MARKER.sub("", self.lines[first], count=1).strip()]
                + [line.strip() for line in self.lines[first + 1 : last]]
            ).strip()
            if part == "sources":
                entry, reason = self.source_entry(raw)
            else:
                entry, reason = self.see_also_entry(raw, first)
            if entry is None:
                self.log.warning(
                    self.origin(first),
                    f"{'source' if part == 'sources' else 'see-also'} item {_short(raw)!r} "
                    f"{reason}: kept in the context",
                )
                continue
            target = sources if part == "sources" else see_also
            if entry not in target:
                target.append(entry)
            taken.update(range(first, last))
        kept = self.render_range(start, end, frozenset(taken))
        return kept if any(line.strip() for line in kept) else []

    def single_link(self, raw: str) -> tuple[str, str] | None:
        """(text, URL) of an item that is exactly one link: [text](URL), <URL> or a URL."""
        match = _LINK.fullmatch(raw)
        if match and not match["bang"] and not match["title"]:
            return plain_text(match["text"]), _unwrap(match["dest"])
        match = _AUTOLINK.fullmatch(raw)
        if match:
            return match["url"], match["url"]
        if re.fullmatch(r"https?://\S+", raw):
            return raw, raw
        return None

    def source_entry(self, raw: str) -> tuple[str | None, str]:
        """A ``:source:`` line for a Source item, or None and the reason it can't be one."""
        link = self.single_link(raw)
        if link is None:
            return None, "is not a single link"
        text, url = link
        if not is_safe_url(url) or re.search(r"[\s<>]", url):
            return None, "is not an http(s) link"
        return (url if not text or text == url else f"{text} <{url}>"), ""

    def see_also_entry(self, raw: str, index: int) -> tuple[str | None, str]:
        """A ``:see-also:`` entry for a See also item, or None and the reason."""
        link = self.single_link(raw)
        if link is None:
            return None, "is not a single link"
        url = link[1]
        tag = self.site.tag_for(url)
        if tag is not None:
            name, known = tag
            if "," in name:
                return None, "names a tag with a comma, which :see-also: can't hold"
            if not known:
                self.log.note(
                    self.origin(index),
                    f"see-also tag {name!r} ({url}) is no tag of an imported post: "
                    "kept as the tag name",
                )
            return f"tag:{name}", ""
        return self.site.post_for(url), "links to no imported post and no tag page"


def _spread(text: str, breaks: int) -> str | None:
    """*text* with *breaks* line breaks between its words, each next line starting with a
    letter or digit (so that no line can start a block); None if it can't have them."""
    words = text.split(" ")
    starts = [i for i in range(1, len(words)) if words[i][:1].isalnum()][:breaks]
    if len(starts) < breaks:
        return None
    out = []
    for i, word in enumerate(words):
        out.append(("\n" if i in starts else " " if i else "") + word)
    return "".join(out)


def _container(line: str) -> str:
    """The start of *line* that puts it in a block quote (or indents it in a list item)."""
    match = re.match(r"(?:[ \t]*>)*[ \t]*", line)
    return match.group() if match else ""


def _set_apart(lead: str, line: str) -> list[str]:
    """*line* between blank lines of its container: a replacement for a heading or a
    break must neither join the paragraph before it nor take the next line as a
    setext underline."""
    return [lead.rstrip(), line, lead.rstrip()]


def _trim(lines: list[str]) -> list[str]:
    """Without leading and trailing blank lines."""
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


# -- writing MyST -------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,._/+()'-]*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#|~&$!%^])")


def _must_escape(char: str) -> bool:
    """Characters a YAML double-quoted scalar must escape: controls, line and paragraph
    separators, surrogates, non-characters, format characters."""
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def yaml_double_quoted(value: str) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif _must_escape(char):
            code = ord(char)
            out.append(
                f"\\x{code:02X}"
                if code <= 0xFF
                else f"\\u{code:04X}"
                if code <= 0xFFFF
                else f"\\U{code:08X}"
            )
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def yaml_scalar(value: str) -> str:
    """*value* as a YAML scalar: plain where plain YAML keeps it a string as written (and
    MyST's option reader agrees), double-quoted otherwise: ``no``, ``1.10``, ``2014``."""
    if _PLAIN.fullmatch(value) and value == value.rstrip():
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return yaml_double_quoted(value)


def yaml_lines(value: list[str]) -> str:
    """Several lines (sources): a literal block (``|``) when each line can stand in one."""
    if all(
        line and line == line.strip() and not any(_must_escape(c) for c in line) for line in value
    ):
        return "|\n" + "\n".join(f"  {line}" for line in value)
    return yaml_double_quoted("\n".join(value))


def markdown_text(text: str) -> str:
    """*text* as Markdown that shows exactly that text: markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class Page(NamedTuple):
    """One converted post."""

    post: Post
    text: str


def convert_post(post: Post, site: Site, options: ImportOptions, log: _Log) -> Page:
    """A post as one MyST page with one ``case`` directive (and the messages about it)."""
    liquid = _Liquid(post.body, post.body_line, site, log)
    emitted = liquid.run()
    markdown = _Markdown(emitted, site, log, frozenset(liquid.own_fences))
    quote, context, sources, see_also = markdown.convert()

    title = page_title(post)
    if not (post.title and post.title.strip()):
        log.note(post.title_line, f"no title: Jekyll's fallback from the slug is used, {title!r}")
    elif title != post.title:
        log.note(
            post.title_line, "the title's line breaks and repeated spaces became single spaces"
        )
    if post.case_date is None:
        log.note(None, "no case_date: the case is undated (:date: is left out)")
    if post.name.slug != post.name.jekyll_slug:
        log.note(
            1,
            f"the slug {post.name.jekyll_slug!r} is not a case id; the page and id are {post.name.slug!r}",
        )

    kind = None
    tags: list[str] = []
    seen: set[str] = set()
    for tag in post.tags:
        key = tag_key(tag)
        if not key or key in seen:
            continue
        seen.add(key)
        if "," in tag:
            log.warning(post.tags_line, f"tag {tag!r} holds a comma, which :tags: can't: left out")
            continue
        if kind is None and key in options.kind_tags:
            kind = options.kind_tags[key]
            if options.drop_kind_tags:
                continue
        elif key in options.kind_tags and options.kind_tags[key] != kind:
            log.note(
                post.tags_line, f"tag {tag!r} names a kind too; the first kind tag wins, {kind!r}"
            )
        tags.append(tag)

    options_block: list[tuple[str, str]] = [("id", post.name.slug)]
    if kind:
        options_block.append(("kind", yaml_scalar(kind)))
    if post.case_date:
        options_block.append(("date", yaml_scalar(str(post.case_date))))
    options_block.append(("published", yaml_scalar(post.published)))
    if tags:
        options_block.append(("tags", yaml_scalar(", ".join(tags))))
    if sources:
        options_block.append(("source", yaml_lines(sources)))
    if see_also:
        options_block.append(("see-also", yaml_scalar(", ".join(see_also))))

    body = [*quote, *([""] if quote and context else []), *context]
    colon_runs = [len(m[1]) for line in body if (m := re.match(r"[ \t>]*(:{3,})", line))]
    fence = ":" * max(4, max(colon_runs, default=0) + 1)
    lines = [
        f"% Imported from the Jekyll post {post.name.path.name} by sphinx-caselog import-jekyll.",
        "% Its front matter, as written:",
        "% ---",
        *(f"% {line}" if line else "%" for line in post.front_matter),
        "% ---",
        "",
        f"# {markdown_text(title)}",
        "",
        f"{fence}{{case}}",
        "---",
        *(f"{key}: {value}" for key, value in options_block),
        "---",
        *body,
        fence,
    ]
    return Page(post, "\n".join(lines) + "\n")


def convert_one(
    data: bytes, file_name: str, options: ImportOptions | None = None
) -> tuple[str | None, list[Message]]:
    """One post, imported alone: its page's text (None when refused) and the messages.

    Pure: nothing is read or written. Links to other posts stay links, as no other
    post is known.
    """
    options = options or ImportOptions(out=Path())
    name = parse_post_name(Path(file_name), file_name)
    if isinstance(name, Message):
        return None, [name]
    log = _Log(file_name)
    post = parse_post(data, name, log)
    if post is None:
        return None, log.messages
    page = convert_post(post, build_site([name], [post], options.site_url), options, log)
    return page.text, log.messages


def render_index(years: Sequence[str]) -> str:
    entries = "\n".join(f"{YEARS_DIR}/{year}" for year in years)
    return (
        "# Case log\n\n"
        "The cases imported from Jekyll, by the year each case happened.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"
    )


def render_year(title: str, slugs: Sequence[str]) -> str:
    entries = "\n".join(f"../{slug}" for slug in slugs)
    return f"# {title}\n\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"


def year_pages(pages: Sequence[Page]) -> dict[str, tuple[str, list[str]]]:
    """Year page name → (title, case slugs newest first); undated cases last."""
    by_year: defaultdict[str, list[Page]] = defaultdict(list)
    for page in pages:
        date = page.post.case_date
        by_year[f"{date.year:04d}" if date else "undated"].append(page)

    def newest_first(page: Page) -> tuple[int, str]:
        date = page.post.case_date
        return (-(date.first_day.toordinal() if date else 0), page.post.name.slug)

    names = sorted((y for y in by_year if y != "undated"), reverse=True)
    if "undated" in by_year:
        names.append("undated")
    return {
        name: (
            "Undated" if name == "undated" else name,
            [p.post.name.slug for p in sorted(by_year[name], key=newest_first)],
        )
        for name in names
    }


# -- writing files --------------------------------------------------------------------------------


class Planned(NamedTuple):
    path: PurePosixPath  # relative to --out
    text: str
    role: Literal["case", "year", "index"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write *text* to *path* all at once: a temporary file in the same folder, then
    ``os.replace``; the file gets the usual permissions (0o666 less the umask)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o666 & ~_umask())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise


def check_targets(
    out: Path, planned: Sequence[Planned], force: bool
) -> tuple[list[Planned], list[Planned], list[str], list[str]]:
    """(to write, index kept, conflicts, unsafe): nothing is written unless the last two are empty.

    A target is unsafe when writing it could leave ``--out``: a symlink at the target or
    in a folder on the way, or a resolved path outside ``--out``. ``--force`` replaces
    files, never symlinks.
    """
    root = out.resolve()
    write: list[Planned] = []
    kept: list[Planned] = []
    conflicts: list[str] = []
    unsafe: list[str] = []
    for item in planned:
        target = out.joinpath(*item.path.parts)
        folders = [out.joinpath(*item.path.parts[:n]) for n in range(1, len(item.path.parts))]
        if any(f.is_symlink() or (f.exists() and not f.is_dir()) for f in folders):
            unsafe.append(f"{target}: a folder on the way is a symlink or a file")
            continue
        if target.is_symlink():
            unsafe.append(f"{target}: is a symlink, which is never replaced")
            continue
        if not target.resolve().is_relative_to(root):
            unsafe.append(f"{target}: resolves outside {out}")
            continue
        if target.exists() and not target.is_file():
            unsafe.append(f"{target}: exists and is not a file")
            continue
        if target.exists() and not force:
            if item.role == "index":
                kept.append(item)
                continue
            conflicts.append(str(target))
            continue
        write.append(item)
    return write, kept, conflicts, unsafe


# -- the whole import -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did (or, with ``--dry-run``, would do), and how to report it."""

    out: Path
    dry_run: bool
    converted: list[str] = field(default_factory=list)  # post files
    #: Why each post that isn't converted was skipped: the errors of a refused post, or
    #: a note for a post Jekyll doesn't publish either.
    skipped: list[Message] = field(default_factory=list)
    refused: int = 0
    messages: list[Message] = field(default_factory=list)  # warnings and notes
    planned: list[Planned] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    kept: list[Planned] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """Whether the batch was refused as a whole: then nothing is written."""
        return bool(self.conflicts or self.collisions or self.unsafe)

    @property
    def exit_status(self) -> int:
        return 1 if self.refused or self.blocked or self.failures else 0

    def _blocking(self) -> list[str]:
        lines = []
        for title, items in (
            ("name collisions", self.collisions),
            ("unsafe targets", self.unsafe),
            ("files that exist (--force replaces them)", self.conflicts),
        ):
            if items:
                lines.append(f"{title}: {len(items)}")
                lines.extend(f"  {item}" for item in items)
        return lines

    def problems(self) -> list[str]:
        """Why the exit status is 1: what ``--quiet`` still prints (to stderr)."""
        lines = [str(m) for m in self.skipped if m.level == "error"]
        if self.blocked:
            lines += [f"nothing was written to {self.out}:", *self._blocking()]
        return lines + self.failures

    def summary(self) -> list[str]:
        """The report: converted, skipped with reasons, warnings and notes, per file."""
        warnings = [m for m in self.messages if m.level == "warning"]
        notes = [m for m in self.messages if m.level == "note"]
        lines = [f"converted: {len(self.converted)}"]
        if self.blocked:
            lines.append(f"  nothing was written to {self.out}:")
            lines.extend(f"  {line}" for line in self._blocking())
        elif self.dry_run:
            lines.append(f"  would write {len(self.planned)} files (--dry-run):")
            lines.extend(f"    {self.out.joinpath(*p.path.parts)}" for p in self.planned)
        else:
            lines.append(f"  wrote {len(self.written)} files in {self.out}")
        lines.extend(
            f"  kept {self.out.joinpath(*k.path.parts)}: it exists (--force replaces it)"
            for k in self.kept
        )
        lines.extend(f"  {failure}" for failure in self.failures)
        lines.append(f"skipped: {len({m.file for m in self.skipped})}")
        lines.extend(f"  {m}" for m in self.skipped)
        lines.append(f"warnings: {len(warnings)}")
        lines.extend(f"  {m}" for m in warnings)
        lines.append(f"notes: {len(notes)}")
        lines.extend(f"  {m}" for m in notes)
        return lines


def _collisions(names: Sequence[PostName], out: Path) -> list[str]:
    by_target: defaultdict[str, list[str]] = defaultdict(list)
    for name in names:
        by_target[name.slug.casefold()].append(name.file)
    found = []
    for slug, files in by_target.items():
        if len(files) > 1:
            found.append(f"{out / (slug + '.md')} <- {', '.join(files)}")
        elif slug in RESERVED_NAMES:
            found.append(
                f"{out / (slug + '.md')} <- {files[0]} (the name is reserved for a generated page)"
            )
    return found


def import_jekyll(sources: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Convert the posts named by *sources* into pages in ``options.out``.

    Raises :class:`UsageError` when the command can't start (exit status 2).
    """
    out = options.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    if options.site_url and not is_safe_url(options.site_url):
        raise UsageError(f"--site-url {options.site_url!r}: not an http(s) URL")
    found, messages = find_posts(sources)
    result = ImportResult(out=out, dry_run=options.dry_run, messages=list(messages))
    run_log = _Log("")
    for kind in sorted(set(options.kind_tags.values()) - set(DEFAULT_KINDS)):
        run_log.note(
            None, f"kind {kind!r} is not a default kind: add it to caselog_kinds in conf.py"
        )

    names: list[PostName] = []
    logs: dict[str, _Log] = {}
    for path, file in found:
        log = logs[file] = _Log(file)
        name = parse_post_name(path, file)
        if isinstance(name, Message):
            log.messages.append(name)
        else:
            names.append(name)
    result.collisions = _collisions(names, out)

    posts: list[Post] = []
    unpublished: set[str] = set()
    for name in names:
        log = logs[name.file]
        try:
            data = name.path.read_bytes()
        except OSError as err:
            log.error(None, f"can't be read: {err.strerror}")
            continue
        post = parse_post(data, name, log)
        if post is None:
            continue
        if post.unpublished:
            # Not an error: Jekyll doesn't publish it either, so nothing is lost by waiting.
            unpublished.add(name.file)
            continue
        posts.append(post)

    # A post Jekyll doesn't publish is no link target: a link to it was broken there too.
    targets = [name for name in names if name.file not in unpublished]
    site = build_site(targets, posts, options.site_url)
    pages = [convert_post(post, site, options, logs[post.name.file]) for post in posts]
    result.converted = [page.post.name.file for page in pages]

    for _, file in found:
        log = logs[file]
        log.messages.sort(key=lambda m: m.line or 0)  # stable: a line's messages keep their order
        if file in unpublished:
            result.skipped.append(
                Message("note", file, None, "not published in Jekyll (published: false)")
            )
        if log.failed:
            result.refused += 1
            result.skipped.extend(m for m in log.messages if m.level == "error")
        result.messages.extend(m for m in log.messages if m.level != "error")
    result.messages.extend(run_log.messages)

    planned = [Planned(PurePosixPath(f"{p.post.name.slug}.md"), p.text, "case") for p in pages]
    years = year_pages(pages)
    planned += [
        Planned(PurePosixPath(YEARS_DIR, f"{name}.md"), render_year(title, slugs), "year")
        for name, (title, slugs) in years.items()
    ]
    if pages:
        planned.append(Planned(PurePosixPath("index.md"), render_index(list(years)), "index"))
    result.planned = planned
    if result.collisions:
        return result
    write, result.kept, result.conflicts, result.unsafe = check_targets(out, planned, options.force)
    if result.blocked or options.dry_run:
        result.planned = write
        return result
    for item in write:
        target = out.joinpath(*item.path.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, item.text)
        except OSError as err:
            result.failures.append(f"{target}: can't be written: {err.strerror or err}")
            continue
        result.written.append(target)
    return result
