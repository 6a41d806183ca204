"""The catalogue: every view over all case records, derived in one pass, never stored.

Pure Python, no Sphinx. The domain builds one :class:`Catalogue` per build from its
records; links, listings, indices, tag pages, the inventory, feeds and the export
all read it. :meth:`Catalogue.resolve` is the one lookup of a reference target.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import CaseFilter, CaseRecord, PartialDate, Source, sort_key
from .slugs import slugify, tag_key, unique_slugs

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

#: The kinds a ``case`` reference can be (``any`` tries them in this order).
REFERENCE_KINDS = ("ref", "tag", "source")


class TagInfo(NamedTuple):
    """A distinct tag: key, title (vocabulary title, else first spelling), slug, cases."""

    key: str
    title: str
    slug: str
    description: str
    cases: tuple[CaseRecord, ...]


class Publisher(NamedTuple):
    """A publisher: the hosts seen for it, and each case with its sources from it."""

    name: str
    hosts: tuple[str, ...]
    entries: tuple[tuple[CaseRecord, tuple[Source, ...]], ...]


class ListedCase(NamedTuple):
    """Exactly what a listing shows of a case.

    Listings render these, and incremental builds compare them: a listing is
    re-written when, and only when, what it shows has changed.
    """

    id: str
    docname: str
    anchor: str
    title: str
    kind: str
    date: PartialDate | None
    tags: tuple[tuple[str, str], ...]  # (key, title)
    sources: tuple[Source, ...]
    excerpt: str


def chronological(record: CaseRecord) -> tuple[Any, ...]:
    """The order of indices and tag pages: oldest first, then title, id; undated last."""
    return sort_key(record, "date")


def publisher_for(host: str, publishers: dict[str, str]) -> str:
    """The publisher of *host*: the longest configured suffix wins, else the host itself."""
    host = host.lower().removeprefix("www.")
    matches = [
        (len(suffix), name)
        for key, name in publishers.items()
        if (suffix := key.lower().removeprefix("www."))
        and (host == suffix or host.endswith("." + suffix))
    ]
    return max(matches)[1] if matches else host


#: A stop, with any closing quotes or brackets, before white space or the end.
_STOP = re.compile(
    "[.!?\N{HORIZONTAL ELLIPSIS}]+[\"'\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK})\\]]*(?=\\s|$)"
)
#: Words a period follows without ending a sentence, in legal and policy text.
ABBREVIATIONS = frozenset(
    [
        "art",
        "arts",
        "no",
        "nos",
        "nr",
        "para",
        "paras",
        "p",
        "pp",
        "ch",
        "chap",
        "sec",
        "s",
        "ss",
        "vol",
        "vols",
        "cf",
        "e.g",
        "i.e",
        "etc",
        "v",
        "vs",
        "al",
        "st",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "gen",
        "gov",
        "dept",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "eds",
        "ed",
        "op",
        "cit",
        "ibid",
        "approx",
    ]
)
_INITIALS = re.compile(r"(?:\w\.)+\w?\.?")


def first_sentence(text: str) -> str:
    """The excerpt of a quote: its first sentence (or its first paragraph).

    A stop ends the sentence unless it closes an abbreviation ("Art. 8"), initials
    ("U.S."), or is followed by a lowercase word or a digit ("No. 12").
    """
    paragraph = text.split("\n\n", 1)[0].strip()
    for stop in _STOP.finditer(paragraph):
        before = paragraph[: stop.start() + 1].rsplit(None, 1)[-1]
        after = paragraph[stop.end() :].lstrip()[:1]
        if stop[0].startswith(".") and (
            before[:-1].casefold().lstrip("(") in ABBREVIATIONS
            or (_INITIALS.fullmatch(before) is not None and len(before) <= 6)
        ):
            continue
        if after and (after.islower() or after.isdigit()):
            continue
        return paragraph[: stop.end()]
    return paragraph


class Catalogue:
    """Views over all records, derived in one pass in (docname, line) order."""

    def __init__(
        self, records: Iterable[CaseRecord], publishers: dict[str, str], vocabulary: Vocabulary
    ) -> None:
        self.publisher_config = publishers
        self.vocabulary = vocabulary
        self.by_id: dict[str, CaseRecord] = {}
        #: (later, earlier) pairs; the earlier record wins resolution
        self.duplicates: list[tuple[CaseRecord, CaseRecord]] = []
        for record in records:
            if record.id in self.by_id:
                self.duplicates.append((record, self.by_id[record.id]))
            else:
                self.by_id[record.id] = record
        cases = sorted(self.by_id.values(), key=chronological)
        self.chronological: tuple[CaseRecord, ...] = tuple(cases)

        #: each case's canonical tag keys, in the case's order (aliases resolved)
        self.tag_keys: dict[str, tuple[str, ...]] = {
            r.id: tuple(dict.fromkeys(vocabulary.canonical(t.key) for t in r.tags)) for r in cases
        }
        names = {key: entry.title for key, entry in vocabulary.entries.items()}
        # Without a vocabulary title, a tag shows its earliest spelling in
        # (docname, line) order, so the name doesn't depend on -j.
        for record in sorted(cases, key=lambda r: (r.docname, r.lineno)):
            for tag in record.tags:
                names.setdefault(vocabulary.canonical(tag.key), tag.text)
        tagged: defaultdict[str, list[CaseRecord]] = defaultdict(list)
        by_publisher: defaultdict[str, dict[str, list[Source]]] = defaultdict(dict)
        hosts: defaultdict[str, set[str]] = defaultdict(set)
        for record in cases:
            for key in self.tag_keys[record.id]:
                tagged[key].append(record)
            for source in record.sources:
                if source.host is None:
                    continue
                name = publisher_for(source.host, publishers)
                hosts[name].add(source.host)
                by_publisher[name].setdefault(record.id, []).append(source)
        slugs = unique_slugs(names)
        self.tags: dict[str, TagInfo] = {
            key: TagInfo(
                key,
                names[key],
                slugs[key],
                vocabulary.entries[key].description if key in vocabulary.entries else "",
                tuple(tagged[key]),
            )
            for key in sorted(names)
        }
        self.publishers: dict[str, Publisher] = {
            name: Publisher(
                name,
                tuple(sorted(hosts[name])),
                tuple((self.by_id[i], tuple(s)) for i, s in by_publisher[name].items()),
            )
            for name in sorted(by_publisher, key=lambda n: (n.casefold(), n))
        }
        self.publisher_of_host = {h: name for name, p in self.publishers.items() for h in p.hosts}
        #: each publisher's slug (its group's anchor on the Source index), injective
        self.publisher_slugs = unique_slugs(self.publishers)
        self.publisher_by_folded = {name.casefold(): p for name, p in self.publishers.items()}
        self._listings: dict[CaseFilter, tuple[ListedCase, ...]] = {}

    def publisher_name(self, host: str) -> str:
        """The publisher of a host seen in a source (the map is made once)."""
        return self.publisher_of_host.get(host) or publisher_for(host, self.publisher_config)

    def tag(self, text: str) -> TagInfo | None:
        """A tag by any spelling, or an alias, that normalises to it."""
        return self.tags.get(self.vocabulary.canonical(tag_key(text)))

    def find_publisher(self, text: str) -> Publisher | None:
        """A publisher by name (any case), or by a host: one seen in a source, or any
        host that ``caselog_publishers`` maps to a publisher with cases."""
        text = text.strip()
        if text in self.publishers:
            return self.publishers[text]
        host = text.lower().removeprefix("www.")
        name = self.publisher_of_host.get(host) or publisher_for(host, self.publisher_config)
        if name in self.publishers:
            return self.publishers[name]
        return self.publisher_by_folded.get(text.casefold())

    def resolve(self, kind: str, target: str) -> CaseRecord | TagInfo | Publisher | None:
        """What a ``case:<kind>`` reference to *target* leads to: the one lookup that
        both links and :meth:`signature` use, so they cannot drift apart."""
        if kind == "ref":  # ids are slugs: "Schrems II" finds schrems-ii
            return self.by_id.get(target.strip()) or self.by_id.get(slugify(target))
        if kind == "tag":
            return self.tag(target)
        if kind == "source":
            return self.find_publisher(target)
        return None

    def signature(self, kind: str, target: str) -> Any:
        """What a reference resolves to, as far as the page showing it can tell.

        Compared under the catalogue before and after a read to find the pages
        whose links changed; None for an unknown target.
        """
        if kind == "any":
            return tuple(self.signature(k, target) for k in REFERENCE_KINDS)
        found = self.resolve(kind, target)
        if isinstance(found, TagInfo):
            return (found.title, found.slug)
        if isinstance(found, Publisher):  # its name, and the anchor of its group
            return (found.name, self.publisher_slugs[found.name])
        return found and (found.docname, found.anchor, found.title)

    # -- listings -------------------------------------------------------------------

    def select(self, case_filter: CaseFilter) -> list[CaseRecord]:
        """The cases a ``caselist`` shows, in its order, up to its limit."""
        any_tags = {self.vocabulary.canonical(k) for k in case_filter.tags}
        all_tags = {self.vocabulary.canonical(k) for k in case_filter.all_tags}
        kinds = set(case_filter.kinds)
        publishers = {
            p.name for p in map(self.find_publisher, case_filter.sources) if p is not None
        }
        selected = []
        for record in self.chronological:
            keys = self.tag_keys[record.id]
            if any_tags and any_tags.isdisjoint(keys):
                continue
            if all_tags and not all_tags.issubset(keys):
                continue
            if kinds and record.kind not in kinds:
                continue
            if case_filter.sources and not any(
                s.host and self.publisher_of_host[s.host] in publishers for s in record.sources
            ):
                continue
            if case_filter.in_period(record.date):
                selected.append(record)
        selected.sort(key=lambda r: sort_key(r, case_filter.sort))
        return selected[: case_filter.limit] if case_filter.limit is not None else selected

    def listed(self, record: CaseRecord, excerpt: bool = True) -> ListedCase:
        """What a listing shows of *record*; the excerpt only where it is shown (cards),
        so an edit to a quote re-writes only the listings that show it."""
        return ListedCase(
            record.id,
            record.docname,
            record.anchor,
            record.title,
            record.kind,
            record.date,
            tuple((key, self.tags[key].title) for key in self.tag_keys[record.id]),
            record.sources,
            first_sentence(record.quote) if excerpt else "",
        )

    def listing(self, case_filter: CaseFilter) -> tuple[ListedCase, ...]:
        """What a ``caselist`` of *case_filter* shows; made once per filter: incremental
        builds compare it before rendering it, and listings often share a filter."""
        listings = self._listings
        if case_filter not in listings:
            cards = case_filter.style == "cards"
            listings[case_filter] = tuple(
                self.listed(r, excerpt=cards) for r in self.select(case_filter)
            )
        return listings[case_filter]
