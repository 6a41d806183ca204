"""How listings look: the four ``caselist`` styles, also used by the tag pages and indices.

Renders :class:`~sphinx_caselog.domain.ListedCase` values (what the catalogue
selected) into standard nodes, sphinx-design components for ``cards``. How a
listed case or tag is linked is up to a :class:`Links`: pending cross-references
in documents, which Sphinx resolves for every builder (LaTeX included), or direct
references where the output is HTML pages (html, dirhtml; the generated pages).

With direct links, the lists of cases (styles ``list`` and ``timeline``, the
indices, the tag pages) are written as HTML straight away, one raw node per list:
a large log lists each case a dozen times, and as nodes every entry (some 30 of
them) would be walked by each post-transform, the HTML writer and the garbage
collector. :meth:`ListingRenderer.item` is the reference the HTML is checked
against (``tests/test_listing_html.py``: the same DOM, entry for entry).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from html import escape
from itertools import groupby
from typing import TYPE_CHECKING, Protocol

from docutils import nodes
from sphinx import addnodes
from sphinx_design.shared import create_component

from .catalogue import publisher_for
from .i18n import _
from .nodes import separator

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .catalogue import ListedCase
    from .config import CaselogConfig
    from .domain import CaseDomain
    from .model import Source


#: the sphinx-design badge a tag is shown as in HTML
BADGE_CLASSES = ["sd-sphinx-override", "sd-badge", "sd-outline-primary", "sd-text-primary"]


def time_html(datetime: str, text: str) -> str:
    """A date as HTML: ``<time>``, which docutils can't write."""
    return f'<time class="caselog-date" datetime="{escape(datetime)}">{escape(text)}</time>'


class Links(Protocol):
    def case(self, listed: ListedCase) -> nodes.Node: ...

    def tag(self, key: str, title: str) -> nodes.Node: ...

    def timeline(self, text: str) -> nodes.Node: ...


@contextmanager
def bulk_nodes() -> Iterator[None]:
    """Thousands of nodes made at once, none of them garbage: the cyclic garbage
    collector, which they would set off every 700 allocations to walk the whole
    heap (every document's doctree, by the write phase) for nothing, waits until
    they are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _tag_text(title: str) -> nodes.inline:
    return nodes.inline(title, title, classes=["caselog-tag"])


class PendingLinks:
    """Links as ``pending_xref``: resolved after reading, like any role's."""

    def __init__(self, docname: str) -> None:
        self.docname = docname

    def xref(self, reftype: str, target: str, content: nodes.Node) -> addnodes.pending_xref:
        return addnodes.pending_xref(
            "",
            content,
            refdomain="case",
            reftype=reftype,
            reftarget=target,
            refexplicit=True,
            refwarn=True,
            refdoc=self.docname,
        )

    def case(self, listed: ListedCase) -> nodes.Node:
        return self.xref("ref", listed.id, nodes.inline(listed.title, listed.title))

    def tag(self, key: str, title: str) -> nodes.Node:
        return self.xref("tag", key, _tag_text(title))

    def timeline(self, text: str) -> nodes.Node:
        ref = self.xref("ref", "case-timeline", nodes.inline(text, text))
        ref["refdomain"] = "std"
        return ref


class DirectLinks:
    """Links as finished references, for a page that is not a document."""

    def __init__(self, builder: Builder, pagename: str, domain: CaseDomain) -> None:
        self.builder = builder
        self.pagename = pagename
        self.domain = domain
        # A listing links the same documents and the same few tags thousands of times:
        # each document's URI from this page, each tag's link (an empty node to copy,
        # None without one) and the same as HTML (the markup around its title).
        self._uris: dict[str, str] = {}
        self._tags: dict[str, nodes.Element | None] = {}
        self._tag_html: dict[str, tuple[str, str]] = {}

    def uri(self, docname: str) -> str:
        if (uri := self._uris.get(docname)) is None:
            uri = self._uris[docname] = self.builder.get_relative_uri(self.pagename, docname)
        return uri

    def case(self, listed: ListedCase) -> nodes.Node:
        title = nodes.inline(listed.title, listed.title)
        uri = f"{self.uri(listed.docname)}#{listed.anchor}"
        return nodes.reference("", "", title, internal=True, refuri=uri)

    def case_html(self, listed: ListedCase) -> str:
        """:meth:`case` as HTML."""
        uri = f"{self.uri(listed.docname)}#{listed.anchor}"
        return f'<a class="reference internal" href="{escape(uri)}"><span>{escape(listed.title)}</span></a>'

    def tag_html(self, key: str, title: str) -> str:
        """:meth:`tag` as HTML, badge classes included (``htmlify`` adds them to nodes)."""
        if (html := self._tag_html.get(key)) is None:
            before, after = f'<span class="{" ".join(["caselog-tag", *BADGE_CLASSES])}">', "</span>"
            link = self.tag(key, "")
            if isinstance(link, nodes.reference):
                href = escape(link["refuri"])
                before, after = (
                    f'<a class="reference internal" href="{href}">{before}',
                    f"{after}</a>",
                )
            elif isinstance(link, nodes.emphasis):
                before, after = f"<em>{before}", f"{after}</em>"
            html = self._tag_html[key] = (before, after)
        return f"{html[0]}{escape(title)}{html[1]}"

    def timeline(self, text: str) -> nodes.Node:
        uri = self.uri(f"{self.domain.name}-timeline")
        return nodes.reference("", "", nodes.inline(text, text), internal=True, refuri=uri)

    def tag(self, key: str, title: str) -> nodes.Node:
        text = _tag_text(title)
        if key not in self._tags:
            tag = self.domain.catalogue.tags[key]
            # a reference, or emphasis where there is no page to lead to
            found = self.domain.tag_ref(self.builder, self.pagename, tag, nodes.inline())
            self._tags[key] = found.copy() if found is not None else None
        template = self._tags[key]
        if template is None:
            return text
        link = template.copy()  # copy() gives it its own list attributes (classes…)
        link += text
        return link


def _para(*children: nodes.Node, classes: Sequence[str] = ()) -> nodes.paragraph:
    para = nodes.paragraph("", "", *children, classes=list(classes))
    para["translatable"] = False  # generated: nothing here is a page's own message
    return para


class ListingRenderer:
    """Renders a listing in one of the ``caselist`` styles."""

    def __init__(self, config: CaselogConfig, language: str | None, links: Links) -> None:
        self.config = config
        self.language = language
        self.links = links
        #: where the output is HTML pages: lists of cases are written as HTML
        self.html = links if isinstance(links, DirectLinks) else None
        self.styles: dict[str, Callable[[Sequence[ListedCase]], list[nodes.Node]]] = {
            "list": self.as_list,
            "table": self.as_table,
            "cards": self.as_cards,
            "timeline": self.as_timeline,
        }

    def render(self, listing: Sequence[ListedCase], style: str) -> nodes.container:
        with bulk_nodes():
            return self._render(listing, style)

    def _render(self, listing: Sequence[ListedCase], style: str) -> nodes.container:
        box = nodes.container(classes=["caselog-listing", f"caselog-style-{style}"])
        if self.html is not None:
            # Sphinx's search skips it: each case is found once, at its own anchor, not
            # on every page that lists it
            box["classes"].append("no-search")
        if not listing:
            box += _para(nodes.Text(_("No cases match.")), classes=["caselog-empty"])
            return box
        limit = self.config.max_list_items
        box.extend(self.styles[style](listing[:limit]))
        if len(listing) > limit:
            # Bounded output for any project size; the rest is one link away.
            more = _("and %d more cases: see the Timeline") % (len(listing) - limit)
            box += _para(self.links.timeline(more), classes=["caselog-more"])
        return box

    # -- parts ------------------------------------------------------------------------

    def date(self, listed: ListedCase) -> nodes.Node:
        if listed.date is None:
            return nodes.inline("", _("undated"), classes=["caselog-undated"])
        text = self.config.human_date(listed.date, self.language)
        return nodes.inline("", text, classes=["caselog-date"], datetime=str(listed.date))

    def kind(self, listed: ListedCase) -> nodes.Node:
        return nodes.inline("", self.config.kind_label(listed.kind), classes=["caselog-kind"])

    def tags(self, listed: ListedCase) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for index, (key, title) in enumerate(listed.tags):
            if index:
                result.append(separator())
            result.append(self.links.tag(key, title))
        return result

    def meta(self, listed: ListedCase, tags: bool = True) -> list[nodes.Node]:
        """Date · kind · tags, as in a case's own meta line (tags can be left out
        where the listing is of one tag)."""
        meta = [self.date(listed), nodes.Text(" \N{MIDDLE DOT} "), self.kind(listed)]
        if tags and listed.tags:
            tag_list = nodes.inline("", "", *self.tags(listed), classes=["caselog-item-tags"])
            meta += [nodes.Text(" \N{MIDDLE DOT} "), tag_list]
        return meta

    def item(self, listed: ListedCase, tags: bool = True) -> nodes.list_item:
        """The title on a line of its own, then date · kind · tags: a long title
        wraps under itself, not under the date."""
        link = self.links.case(listed)  # the first child: caselog.css sets it as a line
        meta = nodes.inline("", "", *self.meta(listed, tags), classes=["caselog-item-meta"])
        # The dash reads the two as one line where there is no stylesheet (text, man).
        dash = nodes.inline("", " \N{EM DASH} ", classes=["caselog-item-dash"])
        return nodes.list_item("", _para(link, dash, meta, classes=["caselog-item"]))

    def items(
        self,
        listing: Iterable[ListedCase],
        tags: bool = True,
        sources: Iterable[Sequence[Source]] | None = None,
    ) -> nodes.Element:
        """A list of cases, each an :meth:`item`, followed by its *sources* if given
        (one tuple per case: the Source index). Written as HTML where links are direct."""
        listing = list(listing)
        shown = list(sources) if sources is not None else [()] * len(listing)
        if self.html is None:
            items = []
            for listed, its_sources in zip(listing, shown, strict=True):
                item = self.item(listed, tags)
                if its_sources:
                    item += self.sources_line(its_sources)
                items.append(item)
            return nodes.bullet_list("", *items, classes=["caselog-list"])
        html = [self.item_html(c, tags, s) for c, s in zip(listing, shown, strict=True)]
        # docutils' class for a list whose items are one paragraph each
        simple = "" if any(shown) else " simple"
        return nodes.raw(
            "", f'<ul class="caselog-list{simple}">\n{"".join(html)}</ul>\n', format="html"
        )

    def item_html(self, listed: ListedCase, tags: bool, sources: Sequence[Source] = ()) -> str:
        """:meth:`item` (and :meth:`sources_line`) as HTML, as the HTML writer writes them
        after ``htmlify``."""
        links = self.html
        assert links is not None
        if listed.date is None:
            date = f'<span class="caselog-undated">{escape(_("undated"))}</span>'
        else:
            date = time_html(str(listed.date), self.config.human_date(listed.date, self.language))
        kind = escape(self.config.kind_label(listed.kind))
        meta = f'{date} \N{MIDDLE DOT} <span class="caselog-kind">{kind}</span>'
        if tags and listed.tags:
            badges = '<span class="caselog-sep">, </span>'.join(
                links.tag_html(key, title) for key, title in listed.tags
            )
            meta += f' \N{MIDDLE DOT} <span class="caselog-item-tags">{badges}</span>'
        after = ""
        if sources:
            refs = "; ".join(
                f'<a class="reference external" href="{escape(s.url or "")}">{escape(s.title)}</a>'
                for s in sources
            )
            after = f'\n<p class="caselog-index-sources">{refs}</p>\n'
        return (
            f'<li><p class="caselog-item">{links.case_html(listed)}'
            f'<span class="caselog-item-dash"> \N{EM DASH} </span>'
            f'<span class="caselog-item-meta">{meta}</span></p>{after}</li>\n'
        )

    def sources_line(self, sources: Sequence[Source]) -> nodes.paragraph:
        """The sources of a case, linked, after its item (the Source index)."""
        refs = nodes.paragraph(classes=["caselog-index-sources"])
        for index, source in enumerate(sources):
            if index:
                refs += nodes.Text("; ")
            refs += nodes.reference("", source.title, refuri=source.url)
        return refs

    # -- styles -----------------------------------------------------------------------

    def as_list(self, listing: Sequence[ListedCase]) -> list[nodes.Node]:
        return [self.items(listing)]

    def as_timeline(self, listing: Sequence[ListedCase]) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for year, group in groupby(listing, key=lambda c: c.date.year if c.date else None):
            heading = str(year) if year is not None else _("Undated")
            rubric = nodes.rubric(heading, heading, classes=["caselog-year"])
            rubric["translatable"] = False
            result.append(rubric)
            result.append(self.items(group))
        return result

    def as_table(self, listing: Sequence[ListedCase]) -> list[nodes.Node]:
        headers = (_("Date"), _("Title"), _("Kind"), _("Tags"), _("Sources"))
        group = nodes.tgroup(cols=len(headers))
        group.extend(nodes.colspec(colwidth=width) for width in (12, 36, 10, 20, 22))
        group += nodes.thead(
            "", nodes.row("", *(nodes.entry("", _para(nodes.Text(h))) for h in headers))
        )
        body = nodes.tbody()
        for listed in listing:
            cells = (
                [self.date(listed)],
                [self.links.case(listed)],
                [self.kind(listed)],
                self.tags(listed),
                self.publishers(listed),
            )
            body += nodes.row("", *(nodes.entry("", _para(*cell)) for cell in cells))
        group += body
        return [nodes.table("", group, classes=["caselog-table"])]

    def publishers(self, listed: ListedCase) -> list[nodes.Node]:
        """Each publisher of the case's sources once, by its configured name, linked to
        its first source; its further sources follow as ``[2]``, ``[3]``, titled."""
        by_publisher: dict[str, list[Source]] = {}
        unsafe: list[nodes.Node] = []
        for source in listed.sources:
            if source.url is None or source.host is None:
                unsafe.append(nodes.inline("", source.title, classes=["caselog-unsafe"]))
                continue
            name = publisher_for(source.host, self.config.publishers)
            by_publisher.setdefault(name, []).append(source)
        result: list[nodes.Node] = []
        for name, sources in by_publisher.items():
            if result:
                result.append(nodes.Text(", "))
            for number, source in enumerate(sources, 1):
                text = name if number == 1 else f"[{number}]"
                if number > 1:
                    result.append(nodes.Text(" "))
                result.append(nodes.reference("", text, refuri=source.url, reftitle=source.title))
        for node in unsafe:
            if result:
                result.append(nodes.Text(", "))
            result.append(node)
        return result

    def as_cards(self, listing: Sequence[ListedCase]) -> list[nodes.Node]:
        row = create_component(
            "grid-row",
            ["sd-row", "sd-row-cols-1", "sd-row-cols-sm-1", "sd-row-cols-md-2", "sd-g-3"],
        )
        for listed in listing:
            body = create_component(
                "card-body",
                ["sd-card-body"],
                children=[
                    create_component(
                        "card-title",
                        ["sd-card-title", "sd-font-weight-bold"],
                        children=[_para(self.links.case(listed))],
                    ),
                    _para(nodes.Text(listed.excerpt), classes=["sd-card-text", "caselog-excerpt"]),
                ],
            )
            footer = create_component(
                "card-footer", ["sd-card-footer"], children=[_para(*self.meta(listed))]
            )
            card = create_component(
                "card",
                ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", "sd-w-100"],
                children=[body, footer],
            )
            row += create_component("grid-item", ["sd-col", "sd-d-flex-row"], children=[card])
        grid = create_component(
            "grid-container",
            ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"],
            children=[row],
        )
        return [grid]
