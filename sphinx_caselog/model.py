"""The case record and the values it is made of: dates, sources, tags, see-also entries.

Pure Python, no Sphinx. The directive parses a case into these values once; the
domain stores the resulting :class:`CaseRecord` and everything else only reads it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, urlsplit

from .slugs import display_name, tag_key


class PartialDate(NamedTuple):
    """A date of which only the year, or the year and month, may be known."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with the reason."""
        match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text.strip())
        if not match:
            raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year < 1:
            raise ValueError(f"{text!r} has no year 0")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            assert month is not None
            dt.date(year, month, day)  # raises ValueError for 2014-02-30
        return cls(year, month, day)

    def __str__(self) -> str:
        """The date as written: partial stays partial."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def first_day(self) -> dt.date:
        """The first day the date covers; partial dates sort as this."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day the date covers: ``2016-04`` runs to April 30."""
        if self.day is not None:
            return self.first_day
        if self.month is None:
            return dt.date(self.year, 12, 31)
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)


_PUBLISHED = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)\s*(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def parse_published(text: str) -> str:
    """Parse ``:published:`` into ISO 8601, keeping the instant and its offset as given."""
    match = _PUBLISHED.fullmatch(text.strip())
    if not match:
        raise ValueError(
            f"{text!r} is not YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] with an optional offset"
        )
    day, clock, offset = match.groups()
    if clock is None:
        return dt.date.fromisoformat(day).isoformat()
    if len(clock) == 5:
        clock += ":00"
    if offset and offset != "Z" and ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    return dt.datetime.fromisoformat(f"{day}T{clock}{offset or ''}").isoformat()


class Tag(NamedTuple):
    """One tag of a case: its comparison key and its spelling on this case."""

    key: str
    text: str

    @classmethod
    def from_text(cls, text: str) -> Tag:
        return cls(tag_key(text), display_name(text))


class Source(NamedTuple):
    """One source line. ``url`` is None when the line did not give a safe http(s) URL.

    ``archive_url`` is an archived copy (``archived <URL>``), ``archive_date`` the
    copy's date (written, or read from a Wayback URL), ``accessed`` when the
    source was last checked (``accessed YYYY-MM-DD``).
    """

    title: str
    url: str | None
    host: str | None
    raw: str
    archive_url: str | None = None
    archive_date: PartialDate | None = None
    accessed: PartialDate | None = None


class SeeAlso(NamedTuple):
    """A see-also entry: a case id, or a tag key (written ``tag:NAME``)."""

    type: Literal["case", "tag"]
    target: str
    text: str

    @classmethod
    def parse(cls, entry: str) -> SeeAlso:
        if entry.startswith("tag:"):
            name = entry[4:].strip()
            return cls("tag", tag_key(name), display_name(name))
        return cls("case", entry, entry)


class CaseRecord(NamedTuple):
    """Everything the project knows about one case, recorded once in the domain."""

    id: str
    docname: str
    lineno: int
    anchor: str
    title: str
    kind: str
    date: PartialDate | None
    published: str | None
    tags: tuple[Tag, ...]
    sources: tuple[Source, ...]
    attribution: str | None
    see_also: tuple[SeeAlso, ...]
    quote: str
    context: str


_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SOURCE_LINE = re.compile(r"(?P<title>.*?)\s*<(?P<url>[^<>]*)>\s*")


def url_scheme(url: str) -> str:
    """The scheme a browser would see, after the tricks used to hide one.

    Entities and percent-escapes are decoded (repeatedly, as nested encodings
    are a known trick), whitespace and control characters are dropped, and the
    result is lowercased before :func:`urllib.parse.urlsplit` reads it.
    """
    previous = None
    text = url
    while text != previous:
        previous = text
        text = unquote(html.unescape(text))
    text = _CONTROL_OR_SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()
    if text.startswith("//"):
        return "//"  # protocol-relative: takes whatever scheme the page has
    return urlsplit(text).scheme


def is_safe_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host, and nothing else."""
    if url_scheme(url) not in {"http", "https"}:
        return False
    try:
        return bool(urlsplit(url.strip()).hostname)
    except ValueError:
        return False


def url_host(url: str) -> str:
    """The host of a safe URL, without a leading ``www.``."""
    host = urlsplit(url.strip()).hostname or ""
    return host.removeprefix("www.")


def parse_source(line: str) -> Source:
    """Parse ``URL`` or ``Title <URL>``; an unsafe URL keeps the whole line as its title."""
    text = line.strip()
    match = _SOURCE_LINE.fullmatch(text)
    title, url = (match["title"], match["url"].strip()) if match else ("", text)
    if not is_safe_url(url):
        return Source(text, None, None, text)
    return Source(title or url, url.strip(), url_host(url), text)


# A source line may end with `` archived [DATE] <URL>`` and `` accessed DATE``, in
# either order; they are peeled off its end, and what is left is ``Title <URL>``.
_ARCHIVED = re.compile(
    r"\s+archived(?:\s+(?P<date>[0-9][0-9-]*))?\s*<(?P<url>[^<>]*)>\s*$", re.IGNORECASE
)
_ACCESSED = re.compile(r"\s+accessed\s+(?P<date>[^\s<>]+)\s*$", re.IGNORECASE)
#: ``/web/<timestamp>[modifier_]/<original>``: Wayback's replay URLs carry their date.
_WAYBACK_URL = re.compile(r"/web/([0-9]{4})([0-9]{2})([0-9]{2})[0-9]{0,6}(?:[a-z]{2}_)?/")


def wayback_date(url: str) -> PartialDate | None:
    """The snapshot date written in a Wayback replay URL, if it is one."""
    match = _WAYBACK_URL.search(url)
    if not match:
        return None
    try:
        return PartialDate.parse("-".join(match.groups()))
    except ValueError:
        return None


class SourceProblem(NamedTuple):
    """Something wrong on a source line: ``kind`` is a warning subtype (``unsafe_url``, ``date``)."""

    kind: str
    message: str


def parse_source_line(line: str) -> tuple[Source, list[SourceProblem]]:
    """Parse a source line, with its archived copy and access date; and what was wrong.

    A bad archived copy or date is dropped (and reported); the source itself stays.
    A line whose remaining ``Title <URL>`` is not safe is read as before, whole.
    """
    head = line.strip()
    parts: dict[str, re.Match[str]] = {}
    for _ in range(2):
        for name, pattern in (("archived", _ARCHIVED), ("accessed", _ACCESSED)):
            match = pattern.search(head)
            if name not in parts and match:
                parts[name] = match
                head = head[: match.start()]
    source = parse_source(head)
    if not parts or source.url is None:
        return parse_source(line), []
    problems = []
    archive_url = archive_date = accessed = None
    if "archived" in parts:
        archived = parts["archived"]
        if is_safe_url(archived["url"]):
            archive_url = archived["url"].strip()
            archive_date = wayback_date(archive_url)
        else:
            problems.append(SourceProblem(
                "unsafe_url", f"archived copy {archived['url']!r} is not an http(s) URL; dropped"
            ))  # fmt: skip
        if archived["date"]:
            try:
                archive_date = PartialDate.parse(archived["date"])
            except ValueError as err:
                problems.append(SourceProblem("date", f"bad archive date: {err}; dropped"))
    if "accessed" in parts:
        try:
            accessed = PartialDate.parse(parts["accessed"]["date"])
        except ValueError as err:
            problems.append(SourceProblem("date", f"bad access date: {err}; dropped"))
    source = source._replace(
        raw=line.strip(),
        archive_url=archive_url,
        archive_date=archive_date if archive_url else None,
        accessed=accessed,
    )
    return source, problems


SORTS = ("-date", "date", "title")
STYLES = ("list", "table", "cards", "timeline")


class CaseFilter(NamedTuple):
    """What a ``caselist`` shows: filters (combined with AND), order, limit and style.

    Tags are keys (:func:`~sphinx_caselog.slugs.tag_key`) and sources as written;
    the catalogue resolves aliases and publishers when it selects.
    """

    tags: tuple[str, ...] = ()
    all_tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: PartialDate | None = None
    date_until: PartialDate | None = None
    sort: str = "-date"
    limit: int | None = None
    style: str = "list"

    def in_period(self, date: PartialDate | None) -> bool:
        """A partial date covers its whole period, and so does a partial bound."""
        if self.date_from is None and self.date_until is None:
            return True
        if date is None:
            return False
        after = self.date_from is None or date.last_day >= self.date_from.first_day
        before = self.date_until is None or date.first_day <= self.date_until.last_day
        return after and before


def sort_key(record: CaseRecord, sort: str) -> tuple[Any, ...]:
    """A total order: by date (partial = first day), title (casefolded), id; undated last.

    ``-date`` reverses only the date; ties still break by title, then id, ascending.
    """
    day = record.date.first_day.toordinal() if record.date else 0
    title = record.title.casefold()
    if sort == "title":
        return (title, record.date is None, day, record.id)
    return (record.date is None, -day if sort == "-date" else day, title, record.id)
