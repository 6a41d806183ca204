"""The standard nodes inside a case: each part's tree, and the shape of its quote.

The ``case`` directive parses; this module says what the parts it parsed become
(see the tree drawn in :class:`~sphinx_caselog.directives.CaseDirective`). Every
node here is a standard docutils or Sphinx node, so every builder writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from .i18n import _
from .nodes import separator

if TYPE_CHECKING:
    from .config import CaselogConfig
    from .model import PartialDate, SeeAlso, Source, Tag

_ATTRIBUTION_DASHES = ("--", "\N{EM DASH}", "\N{HORIZONTAL BAR}")


def label(node_class: type[nodes.TextElement], text: str, part: str) -> nodes.TextElement:
    """A generated label: translated by our catalog, never extracted as a page message."""
    node = node_class(text, text, classes=[f"caselog-{part}-label"])
    node["translatable"] = False
    return node


def quote_blocks(quotes: list[nodes.block_quote]) -> list[tuple[nodes.block_quote, nodes.Node]]:
    """Each quote's blocks of text (any kind: paragraph, list, code, nested quote),
    less the attribution: what the record keeps and the length limit counts."""
    return [
        (quote, block)
        for quote in quotes
        for block in quote.children
        if not isinstance(block, nodes.attribution)
    ]


def limit_quote(quotes: list[nodes.block_quote], limit: int) -> int | None:
    """Cut a quote past *limit* characters: whole blocks (paragraphs, lists, code,
    nested quotes) are dropped after the limit, and the block that crosses it becomes
    a paragraph of its text, cut. The length it had when it was cut, else None."""
    blocks = quote_blocks(quotes)
    total = sum(len(block.astext()) for _quote, block in blocks)
    if total <= limit:
        return None
    used = 0
    for quote, block in blocks:
        text = block.astext()
        if used >= limit:
            quote.remove(block)
        elif used + len(text) > limit:
            cut = text[: limit - used].rstrip() + " [\N{HORIZONTAL ELLIPSIS}]"
            quote.replace(block, nodes.paragraph(cut, cut))
        used += len(text)
    quotes[:] = [q for q in quotes if quote_blocks([q])]
    return total


def attribution_from_dash(quote: nodes.block_quote) -> None:
    """MyST: a last quote paragraph opening with a dash is the attribution, as in rST."""
    last = quote.children[-1] if quote.children else None
    if not isinstance(last, nodes.paragraph) or len(quote.children) < 2:
        return
    text = last.astext()
    dash = next((d for d in _ATTRIBUTION_DASHES if text.startswith(d)), None)
    if dash is None or not isinstance(last[0], nodes.Text):
        return
    attribution = nodes.attribution("", "", *last.children)
    attribution[0] = nodes.Text(str(last[0])[len(dash) :].lstrip())
    quote.replace(last, attribution)


class Parts:
    """Builds a case's parts for one directive: its document, language and config."""

    def __init__(
        self,
        caselog: CaselogConfig,
        language: str | None,
        docname: str,
        place: Callable[[nodes.Node], None],
    ) -> None:
        self.caselog = caselog
        self.language = language
        self.docname = docname
        #: gives a node the directive's source and line (``set_source_info``)
        self.place = place

    def meta(self, kind: str, date: PartialDate | None) -> nodes.paragraph:
        meta = nodes.paragraph("", "", classes=["caselog-meta"])
        meta["translatable"] = False
        meta += nodes.inline("", self.caselog.kind_label(kind), classes=["caselog-kind"])
        if date is not None:
            meta += nodes.Text(" \N{MIDDLE DOT} ")
            meta += nodes.inline(
                "",
                self.caselog.human_date(date, self.language),
                classes=["caselog-date"],
                datetime=str(date),
            )
        return meta

    def part(self, name: str, title: str, children: list[nodes.Node]) -> nodes.container:
        return nodes.container(
            "", label(nodes.rubric, title, name), *children, classes=[f"caselog-{name}"]
        )

    def source_list(self, sources: tuple[Source, ...]) -> nodes.bullet_list:
        items = nodes.bullet_list()
        for source in sources:
            para = nodes.paragraph()
            if source.url is None:
                para += nodes.inline(source.title, source.title, classes=["caselog-unsafe"])
            else:
                # print writes the URL out after a titled link, HTML shows its host
                # (both added per format by transforms.py)
                para += nodes.reference(source.title, source.title, refuri=source.url)
                if source.archive_url:
                    para += self.archived_copy(source)
                if source.accessed:
                    accessed = self.caselog.human_date(source.accessed, self.language)
                    text = _("accessed %s") % accessed
                    para += nodes.inline("", f", {text}", classes=["caselog-source-accessed"])
            items += nodes.list_item("", para)
        return items

    def archived_copy(self, source: Source) -> nodes.inline:
        """`` (archived copy, date)``: print writes the copy's URL out too."""
        assert source.archive_url is not None
        text = _("archived copy")
        part = nodes.inline("", " (", classes=["caselog-source-archive"])
        if source.archive_date:
            part["datetime"] = str(source.archive_date)  # for HTML's Robust Links
        part += nodes.reference(text, text, refuri=source.archive_url)
        if source.archive_date:
            part += nodes.Text(", " + self.caselog.human_date(source.archive_date, self.language))
        part += nodes.Text(")")
        return part

    def xref(self, reftype: str, target: str, text: str, classes: list[str]) -> nodes.Node:
        ref = addnodes.pending_xref(
            "",
            nodes.inline(text, text, classes=classes),
            refdomain="case",
            reftype=reftype,
            reftarget=target,
            refexplicit=False,  # shown as the domain names it: title, display name
            refwarn=True,
            refdoc=self.docname,
        )
        self.place(ref)
        return ref

    def tag_list(self, tags: tuple[Tag, ...]) -> nodes.paragraph:
        para = nodes.paragraph(classes=["caselog-tag-list"])
        para["translatable"] = False
        for index, tag in enumerate(tags):
            if index:
                para += separator()
            para += self.xref("tag", tag.key, tag.text, ["caselog-tag"])
        return para

    def see_also_list(self, entries: tuple[SeeAlso, ...]) -> nodes.bullet_list:
        items = nodes.bullet_list()
        for entry in entries:
            reftype = "tag" if entry.type == "tag" else "ref"
            para = nodes.paragraph("", "", self.xref(reftype, entry.target, entry.text, []))
            para["translatable"] = False
            items += nodes.list_item("", para)
        return items
