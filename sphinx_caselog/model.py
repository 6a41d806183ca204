"""The case record and the values it is made of: dates, sources, tags, see-also entries.

Pure Python, no Sphinx. The directive parses a case into these values once; the
domain stores the resulting :class:`CaseRecord` and everything else only reads it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, NamedTuple

from .slugs import display_name, tag_key
from .urls import excerpt, is_safe_url, parse_url, url_host, url_scheme

__all__ = ["is_safe_url", "url_host", "url_scheme"]  # their old home; urls.py owns them


class PartialDate(NamedTuple):
    """A date of which only the year, or the year and month, may be known."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with the reason."""
        # one-digit months and days are accepted, as people type them
        match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?", text.strip())
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
        if self.month is None or self.month == 12:
            return dt.date(self.year, 12, 31)  # never the 1st of year 10000
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

    ``title`` is what readers see: the title as written, else the URL (or, for an
    unsafe line, the whole line); :attr:`given_title` is the title only if written.
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

    @property
    def given_title(self) -> str | None:
        if self.url is not None and self.title == self.url:
            return None
        return self.title


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
    #: the file the case is written in, relative to the source folder: the
    #: document's own, or a file it includes
    source: str
    #: the expressions of the ``only`` blocks around the case: a builder whose
    #: tags don't satisfy them all leaves the case out of its catalogue
    only: tuple[str, ...]
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


def parse_source(line: str) -> Source:
    """Parse ``URL`` or ``Title <URL>``; an unsafe URL keeps the whole line as its title.

    Found with string methods, not a regular expression: a pasted line can be
    80,000 spaces long, and backtracking over it took seconds.
    """
    text = line.strip()
    title, url = "", text
    if text.endswith(">") and (start := text.rfind("<")) != -1:
        title, url = text[:start].rstrip(), text[start + 1 : -1].strip()
    parsed = parse_url(url)
    if parsed is None:
        return Source(text, None, None, text)
    return Source(title or parsed.text, parsed.text, parsed.host, text)


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


def _peel_archived(text: str) -> tuple[str, str, str | None] | None:
    """``(rest, URL, date)`` when *text* ends with `` archived [DATE] <URL>``."""
    if not text.endswith(">") or (start := text.rfind("<")) == -1:
        return None
    words = text[:start].rsplit(None, 1)
    date = None
    if len(words) == 2 and words[1][:1].isdigit():
        date = words[1]
        words = words[0].rsplit(None, 1)
    if len(words) != 2 or words[1].lower() != "archived":
        return None
    return words[0], text[start + 1 : -1], date


def _peel_accessed(text: str) -> tuple[str, str] | None:
    """``(rest, date)`` when *text* ends with `` accessed DATE``."""
    words = text.rsplit(None, 2)
    if len(words) != 3 or words[1].lower() != "accessed" or ">" in words[2]:
        return None
    return words[0], words[2]


def parse_source_line(line: str) -> tuple[Source, list[SourceProblem]]:
    """Parse a source line, with its archived copy and access date; and what was wrong.

    `` archived [DATE] <URL>`` and `` accessed DATE`` are peeled off the end of the
    line, in either order (with string methods, like :func:`parse_source`: no
    backtracking on a pasted line), and the rest is ``Title <URL>``. A bad copy or
    date is dropped and reported; the source stays. When what is left is not a
    safe source, the line is read whole, as it always was.
    """
    rest = line.strip()
    archived: tuple[str, str | None] | None = None
    accessed: str | None = None
    for _ in range(2):
        if archived is None and (peeled := _peel_archived(rest)):
            rest, url, date = peeled
            archived = (url, date)
        elif accessed is None and (found := _peel_accessed(rest)):
            rest, accessed = found
    source = parse_source(rest)
    if (archived is None and accessed is None) or source.url is None:
        return parse_source(line), []
    problems = []
    archive_url = archive_date = accessed_date = None
    if archived is not None:
        url, date = archived
        copy = parse_url(url)
        if copy is not None:
            archive_url = copy.text
            archive_date = wayback_date(archive_url)
        else:
            problems.append(SourceProblem(
                "unsafe_url", f"archived copy {excerpt(url.strip())!r} is not an http(s) URL; dropped"
            ))  # fmt: skip
        if date is not None:
            try:
                archive_date = PartialDate.parse(date)
            except ValueError as err:
                problems.append(SourceProblem("date", f"bad archive date: {err}; dropped"))
    if accessed is not None:
        try:
            accessed_date = PartialDate.parse(accessed)
        except ValueError as err:
            problems.append(SourceProblem("date", f"bad access date: {err}; dropped"))
    source = source._replace(
        raw=line.strip(),
        archive_url=archive_url,
        archive_date=archive_date if archive_url else None,
        accessed=accessed_date,
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
