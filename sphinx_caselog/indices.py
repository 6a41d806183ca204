"""The Tag index, Source index and Timeline: domain indices generated from the catalogue.

They hold no data of their own; each ``generate`` reads the domain's derived
:class:`~sphinx_caselog.domain.Catalogue`, so they are current on every build.
``generate`` feeds print (LaTeX, Texinfo), where Sphinx typesets the entries;
HTML shows each index as a reading view instead (``reading_view``: proportional
type, human dates, tags linked to their pages), rendered by ``pages.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Index, IndexEntry
from sphinx.transforms.post_transforms import SphinxPostTransform

from .i18n import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .domain import CaseDomain
    from .listings import DirectLinks, ListingRenderer
    from .model import CaseRecord

Content = list[tuple[str, list[IndexEntry]]]


class CaseIndex(Index):
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

    def reading_view(self, renderer: ListingRenderer, links: DirectLinks) -> list[nodes.Node]:
        """The index as HTML shows it: one section per group, each a list of cases."""
        raise NotImplementedError

    def search_entries(self) -> Iterator[tuple[str, str]]:
        """(name, anchor) of the groups on the HTML page that search should lead to
        by their name (``search.py``)."""
        return iter(())

    def cases(
        self, renderer: ListingRenderer, records: Iterable[CaseRecord], tags: bool = True
    ) -> nodes.Node:
        catalogue = self.domain.catalogue
        return renderer.items((catalogue.listed(r, excerpt=False) for r in records), tags)


def count_text(count: int) -> str:
    return _("1 case") if count == 1 else _("%d cases") % count


def _section(
    anchor: str, heading: list[nodes.Node], count: int, *body: nodes.Node
) -> nodes.section:
    """A heading (with its count) and its cases: a section, so themes, permalinks
    and screen readers treat it as one."""
    badge = nodes.inline("", count_text(count), classes=["caselog-count"])
    title = nodes.title("", "", *heading, nodes.Text(" "), badge)
    return nodes.section("", title, *body, ids=[anchor], classes=["caselog-index-group"])


def _empty(content: list[nodes.Node]) -> list[nodes.Node]:
    if content:
        return content
    para = nodes.paragraph("", _("No cases yet."), classes=["caselog-empty"])
    return [para]


def _never_empty(content: Content, docnames: Iterable[str] | None) -> Content:
    """HTML writes no page for an empty index, so a page emptied by a deletion would
    stay stale and links to it would dangle: say "no cases" instead. (LaTeX passes
    *docnames* and simply omits an empty index.)"""
    if content or docnames is not None:
        return content
    return [("#", [IndexEntry(_("No cases yet."), 0, "", "", "", "", "")])]


class TagIndex(CaseIndex):
    """Tags, each with its cases in chronological order; a tag's heading leads to its
    page (HTML) or is its group (print), never to one of its cases."""

    name = "tags"
    label = localname = _("Tag index")
    short = shortname = _("tags")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[Content, bool]:
        """The entries print typesets: each tag a group headed by its title (print's
        index entries don't nest), with its cases. HTML shows :meth:`reading_view`."""
        wanted = set(docnames) if docnames is not None else None
        content: Content = []
        tags = sorted(
            self.domain.catalogue.tags.values(), key=lambda t: (t.title.casefold(), t.key)
        )
        for tag in tags:
            cases = [c for c in tag.cases if wanted is None or c.docname in wanted]
            if cases:
                content.append((tag.title, [self.case_entry(c, 0) for c in cases]))
        return _never_empty(content, docnames), False

    def reading_view(self, renderer: ListingRenderer, links: DirectLinks) -> list[nodes.Node]:
        """Each tag, linked to its page, with its count and cases (the one tag overview)."""
        domain = self.domain
        tags = sorted(domain.catalogue.tags.values(), key=lambda t: (t.title.casefold(), t.key))
        result: list[nodes.Node] = []
        for tag in tags:
            text = nodes.inline(tag.title, tag.title)
            heading: nodes.Node = text
            if domain.writes_tag_pages and domain.tag_page_of(tag) is not None:
                heading = domain.tag_ref(links.builder, links.pagename, tag, text) or text
            cases = self.cases(renderer, tag.cases, tags=False)
            result.append(_section(tag_anchor(tag.slug), [heading], len(tag.cases), cases))
        return _empty(result)

    def search_entries(self) -> Iterator[tuple[str, str]]:
        """The tags without a page of their own (a tag page is found by itself)."""
        domain = self.domain
        for tag in domain.catalogue.tags.values():
            if not domain.writes_tag_pages or domain.tag_page_of(tag) is None:
                yield tag.title, tag_anchor(tag.slug)


class SourceIndex(CaseIndex):
    """Publishers, each with its cases and their source titles; a ``{case:source}``
    link leads to the publisher's group."""

    name = "sources"
    label = localname = _("Source index")
    short = shortname = _("sources")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[Content, bool]:
        """The entries print typesets: each publisher a group of its cases, each with
        its source titles (as :class:`TagIndex`). HTML shows :meth:`reading_view`."""
        wanted = set(docnames) if docnames is not None else None
        content: Content = []
        for publisher in self.domain.catalogue.publishers.values():
            entries = [
                self.case_entry(record, 0, "; ".join(s.title for s in sources))
                for record, sources in publisher.entries
                if wanted is None or record.docname in wanted
            ]
            if entries:
                content.append((publisher.name, entries))
        return _never_empty(content, docnames), False

    def reading_view(self, renderer: ListingRenderer, links: DirectLinks) -> list[nodes.Node]:
        """Each publisher with its hosts and its cases, each case with the sources
        from that publisher, linked."""
        catalogue = self.domain.catalogue
        publishers = catalogue.publishers
        result: list[nodes.Node] = []
        for name, publisher in publishers.items():
            items = renderer.items(
                (catalogue.listed(record, excerpt=False) for record, _ in publisher.entries),
                tags=False,
                sources=[sources for _, sources in publisher.entries],
            )
            body: list[nodes.Node] = [items]
            if publisher.hosts != (name,):  # an unnamed publisher is its host already
                hosts = ", ".join(publisher.hosts)
                body.insert(0, nodes.paragraph("", hosts, classes=["caselog-index-hosts"]))
            heading: list[nodes.Node] = [nodes.inline(name, name)]
            anchor = source_anchor(catalogue.publisher_slugs[name])
            result.append(_section(anchor, heading, len(publisher.entries), *body))
        return _empty(result)

    def search_entries(self) -> Iterator[tuple[str, str]]:
        """Each publisher by its hosts ("curia.europa.eu"). Not by its name: the
        publisher is an object, and that result reads as its name, where an index
        entry's result reads as the page's title ("Source index")."""
        catalogue = self.domain.catalogue
        for name, publisher in catalogue.publishers.items():
            anchor = source_anchor(catalogue.publisher_slugs[name])
            for host in publisher.hosts:
                if host != name:
                    yield host, anchor


def tag_anchor(slug: str) -> str:
    """The anchor of a tag's heading, on its page and in the Tag index.

    Never the tag's key, nor ``tag-<key>``: Sphinx's search index writes such an
    anchor in short form, and searchtools.js rebuilds it from the display name.
    """
    return f"caselog-tag-{slug}"


def source_anchor(slug: str) -> str:
    """The anchor of a publisher's group on the Source index, from its slug."""
    return f"caselog-source-{slug}"


class TimelineIndex(CaseIndex):
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
            entries = [self.case_entry(c, 0, self.date_text(c)) for c in group]
            content.append((heading, entries))
        return _never_empty(content, docnames), False

    def date_text(self, record: CaseRecord) -> str:
        """The date as every other view writes it (``caselog_date_format``)."""
        if record.date is None:
            return ""
        return self.domain.config.human_date(record.date, self.domain.env.config.language)

    def reading_view(self, renderer: ListingRenderer, links: DirectLinks) -> list[nodes.Node]:
        """Each year a section (its anchor: :func:`year_anchor`) of its cases, oldest first."""
        cases = self.domain.catalogue.chronological
        result: list[nodes.Node] = []
        for year, records in groupby(cases, key=lambda c: c.date.year if c.date else None):
            records_ = list(records)
            heading = str(year) if year is not None else _("Undated")
            body = self.cases(renderer, records_)
            result.append(_section(year_anchor(year), [nodes.Text(heading)], len(records_), body))
        return _empty(result)

    def search_entries(self) -> Iterator[tuple[str, str]]:
        """Each year ("2014" leads to its group)."""
        years = {c.date.year for c in self.domain.catalogue.chronological if c.date}
        for year in sorted(years):
            yield str(year), year_anchor(year)


#: The ``{ref}`` label of the tag overview: the Tag index (``pages.py`` registers it).
OVERVIEW_LABEL = "case-tag-overview"

#: the three, in the order Sphinx lists a domain's indices
INDICES: tuple[type[CaseIndex], ...] = (TagIndex, SourceIndex, TimelineIndex)


def year_anchor(year: int | None) -> str:
    """The anchor of a year's group on the Timeline (undated cases: their own)."""
    return f"caselog-year-{year}" if year is not None else "caselog-undated"


class IndexLabelTitles(SphinxPostTransform):
    """``{ref}`case-tags``` and its kin read as the index's title in every format,
    and lead nowhere where the build has no page for that index.

    Sphinx resolves these labels to a page whether or not the builder writes it
    (``html_domain_indices``, LaTeX, text); without a page, the reference is its
    text, which for a reference without a title would be the bare label
    ("case-timeline").
    """

    default_priority = 6  # before Sphinx's resolver (10)

    def run(self, **kwargs: Any) -> None:
        # the domain module imports this one: its accessor can't be imported here
        profile = cast("CaseDomain", self.env.domains["case"]).profile
        titles = {f"case-{cls.name}": str(cls.localname) for cls in INDICES}
        pages = {name: name for name in titles}
        titles[OVERVIEW_LABEL], pages[OVERVIEW_LABEL] = titles["case-tags"], "case-tags"
        for ref in list(self.document.findall(addnodes.pending_xref)):
            target = ref.get("reftarget", "")
            if ref.get("refdomain") != "std" or target not in titles:
                continue
            text = ref.next_node(nodes.Text)
            if not ref.get("refexplicit") and text is not None and text.astext() == target:
                text.parent.replace(text, nodes.Text(titles[target]))
            if profile is not None and pages[target] not in profile.index_pages:
                ref.replace_self(ref.children)


def setup_indices(app: Sphinx) -> None:
    app.add_post_transform(IndexLabelTitles)
