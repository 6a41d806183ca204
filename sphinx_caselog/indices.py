"""The Tag index, Source index and Timeline: domain indices generated from the catalogue.

They hold no data of their own; each ``generate`` reads the domain's derived
:class:`~sphinx_caselog.domain.Catalogue`, so they are current on every build.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import TYPE_CHECKING

from sphinx.domains import Index, IndexEntry

from .i18n import _

if TYPE_CHECKING:
    from .domain import CaseDomain
    from .model import CaseRecord

Content = list[tuple[str, list[IndexEntry]]]


class _CaseIndex(Index):
    domain: CaseDomain
    #: the translatable names. ``localname``/``shortname`` start as the same lazy
    #: translations and become plain strings once the build's language is known
    #: (``use_language``, at ``config-inited``): json and pickle can't hold a lazy one
    label: str
    short: str

    @classmethod
    def use_language(cls) -> None:
        cls.localname, cls.shortname = str(cls.label), str(cls.short)

    def case_entry(self, record: CaseRecord, subtype: int, extra: str = "") -> IndexEntry:
        return IndexEntry(record.title, subtype, record.docname, record.anchor, extra, "", "")


def _letter(name: str) -> str:
    """The group of a name: its first letter or digit, else ``#`` (it becomes an HTML id)."""
    first = name[:1].upper()
    return first if first.isalnum() else "#"


def _never_empty(content: Content, docnames: Iterable[str] | None) -> Content:
    """HTML writes no page for an empty index, so a page emptied by a deletion would
    stay stale and links to it would dangle: say "no cases" instead. (LaTeX passes
    *docnames* and simply omits an empty index.)"""
    if content or docnames is not None:
        return content
    return [("#", [IndexEntry(_("No cases yet."), 0, "", "", "", "", "")])]


class TagIndex(_CaseIndex):
    """Tags by first letter, each with its cases in chronological order.

    A tag's own entry links to its earliest case, so it has a real anchor.
    In print (LaTeX and Texinfo pass *docnames*), where index entries don't
    nest, each tag is a group of its own instead, headed by its title.
    """

    name = "tags"
    label = localname = _("Tag index")
    short = shortname = _("tags")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[Content, bool]:
        wanted = set(docnames) if docnames is not None else None
        content: Content = []
        tags = sorted(
            self.domain.catalogue.tags.values(), key=lambda t: (t.title.casefold(), t.key)
        )
        if wanted is not None:
            for tag in tags:
                cases = [c for c in tag.cases if c.docname in wanted]
                if cases:
                    content.append((tag.title, [self.case_entry(c, 0) for c in cases]))
            return content, False
        for letter, group in groupby(tags, key=lambda t: _letter(t.title)):
            entries = []
            for tag in group:
                cases = [c for c in tag.cases if wanted is None or c.docname in wanted]
                if not cases:
                    continue
                first = cases[0]
                extra = _("%d cases") % len(cases) if len(cases) != 1 else _("1 case")
                entries.append(IndexEntry(tag.title, 1, first.docname, first.anchor, extra, "", ""))
                entries.extend(self.case_entry(c, 2) for c in cases)
            if entries:
                content.append((letter, entries))
        return _never_empty(content, docnames), False


class SourceIndex(_CaseIndex):
    """Publishers by first letter, each with its cases and their source titles
    (in print, each publisher a group of its own, as in :class:`TagIndex`)."""

    name = "sources"
    label = localname = _("Source index")
    short = shortname = _("sources")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[Content, bool]:
        wanted = set(docnames) if docnames is not None else None
        content: Content = []
        publishers = self.domain.catalogue.publishers.values()
        if wanted is not None:
            for publisher in publishers:
                entries = [
                    self.case_entry(record, 0, "; ".join(s.title for s in sources))
                    for record, sources in publisher.entries
                    if record.docname in wanted
                ]
                if entries:
                    content.append((publisher.name, entries))
            return content, False
        for letter, group in groupby(publishers, key=lambda p: _letter(p.name)):
            entries = []
            for publisher in group:
                cases = [
                    (r, s) for r, s in publisher.entries if wanted is None or r.docname in wanted
                ]
                if not cases:
                    continue
                first = cases[0][0]
                hosts = ", ".join(publisher.hosts)
                entries.append(
                    IndexEntry(publisher.name, 1, first.docname, first.anchor, hosts, "", "")
                )
                entries.extend(
                    self.case_entry(record, 2, "; ".join(s.title for s in sources))
                    for record, sources in cases
                )
            if entries:
                content.append((letter, entries))
        return _never_empty(content, docnames), False


class TimelineIndex(_CaseIndex):
    """Cases by year of ``:date:``, oldest first; undated cases last."""

    name = "timeline"
    label = localname = _("Timeline")
    short = shortname = _("timeline")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[Content, bool]:
        wanted = set(docnames) if docnames is not None else None
        content: Content = []
        cases = [
            c for c in self.domain.catalogue.chronological if wanted is None or c.docname in wanted
        ]
        for year, group in groupby(cases, key=lambda c: c.date.year if c.date else None):
            heading = str(year) if year is not None else _("Undated")
            content.append(
                (heading, [self.case_entry(c, 0, str(c.date) if c.date else "") for c in group])
            )
        return _never_empty(content, docnames), False
