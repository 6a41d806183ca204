"""Doctree transforms: recording cases into the domain, and per-format finishing touches.

* :class:`RecordCases` (read phase) finalises each case's title, id and anchor —
  which need the enclosing section and the page's ids — and records the case
  and the document's ``case`` references in the domain. This is the only place
  records are written.
* :class:`HtmlCaseTransform` (HTML only): title permalink, ``<time>``, sphinx-design
  badges for tags, ``<cite>`` around the attribution, each source's host after its
  link, and Robust Links attributes on a source with an archived copy.
* :class:`PrintedUrls` (every format but HTML): a source's URL written out after its
  title, and an archived copy's after "archived copy": a page can't be clicked. Added
  here, not by the directive, so that the doctrees every build reads and keeps in
  memory don't carry what HTML would take out again.
* :class:`QuoteLinks` (HTML only): a text-fragment link to each quote that the last
  ``quotecheck`` run found, next to the source that holds it.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import case_domain, search_anchor
from .i18n import _
from .listings import BADGE_CLASSES, DirectLinks, Links, ListingRenderer, PendingLinks, time_html
from .model import CaseRecord
from .nodes import case, caselist, find_part
from .quotecheck import deep_links
from .slugs import short_hash, slugify
from .urls import url_host
from .warnings_ import CaselogWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def enclosing_section(node: nodes.Element) -> nodes.section | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _ancestors(node: nodes.Element) -> list[nodes.Element]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


class RecordCases(SphinxTransform):
    """Finalise and record the document's cases, its ``case`` references and listings."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        domain = case_domain(self.env)
        records = tuple(self.record(node) for node in self.document.findall(case))
        refs = frozenset(
            (ref["reftype"], ref["reftarget"])
            for ref in self.document.findall(addnodes.pending_xref)
            if ref.get("refdomain") == "case" or ref["reftype"] == "any"
        )
        lists = tuple(node["filter"] for node in self.document.findall(caselist))
        vocabulary = domain.vocabulary
        if vocabulary.path and (records or refs or lists):
            # Edits to the vocabulary file re-read this document (and re-warn).
            self.env.note_dependency(vocabulary.path)
        domain.note_doc(self.env.docname, records, refs, lists)

    def record(self, node: case) -> CaseRecord:
        record: CaseRecord = node.attributes.pop("record")
        section = enclosing_section(node)
        title = record.title
        if not title:
            if section is not None and isinstance(section[0], nodes.title):
                title = section[0].astext()
                neighbours = (
                    sum(1 for other in section.findall(case) if enclosing_section(other) is section)
                    - 1
                )
                if neighbours:
                    CaselogWarning.MISSING_TITLE(
                        f"case has no title, and its section holds {neighbours} other "
                        f"case(s): it takes the section's title {title!r}; give it its own",
                        location=node,
                    )
            else:
                CaselogWarning.MISSING_TITLE(
                    "case has no title: give it as the directive's argument, "
                    "or put the case under a section heading",
                    location=node,
                )
        case_id = record.id or slugify(title) or f"case-{short_hash(f'{node.line}:{title}')}"
        anchor = self.place_anchor(node, case_id, section if not record.title else None)
        if section is not None and case_id in section["ids"]:
            # The section carries the id (page-per-case); make it the section's
            # first id so the heading's permalink points at the case.
            section["ids"].remove(case_id)
            section["ids"].insert(0, case_id)
        node["caseid"] = case_id
        node["anchor"] = anchor
        # The anchor search and intersphinx use (see CaseDomain.get_objects).
        second = search_anchor(case_id, anchor)
        if second != anchor and second not in self.document.ids:
            node["ids"].append(second)
            self.document.ids[second] = node
        # A general-index entry by which the HTML search finds a case by its id
        # (see CaseDomain.get_objects); titles are found as page text. Only the
        # ASCII id: makeindex splits long UTF-8 titles mid-character (pdflatex).
        node.insert(
            0, addnodes.index(entries=[("single", f"{_('case id')}; {case_id}", anchor, "", None)])
        )
        only = tuple(
            parent["expr"] for parent in _ancestors(node) if isinstance(parent, addnodes.only)
        )
        return record._replace(id=case_id, title=title, anchor=anchor, only=only)

    def place_anchor(self, node: case, case_id: str, section: nodes.section | None) -> str:
        """Give the case its id as an anchor, unique on the page.

        When the title comes from the enclosing section, or a section's own id
        is already the case id, the section carries it and the case node does not.
        """
        owner = self.document.ids.get(case_id)
        if owner is None:
            target = section if section is not None else node
            target["ids"].append(case_id)
            self.document.ids[case_id] = target
            return case_id
        if owner is enclosing_section(node):
            return case_id
        if not isinstance(owner, case):  # another case: the domain reports the duplicate
            CaselogWarning.DUPLICATE_ID(
                f"case id {case_id!r} is already an id on this page "
                f"(of a {owner.tagname}); the case gets its own anchor",
                location=node,
            )
        anchor = f"{case_id}-{short_hash(f'{self.env.docname}:{node.line}')}"
        node["ids"].append(anchor)
        self.document.ids[anchor] = node
        return anchor


class ResolveCaseLists(SphinxPostTransform):
    """Replace each ``caselist`` placeholder by its listing, for every builder.

    Runs before Sphinx's reference resolver (priority 10), so the listing's
    ``pending_xref`` links are resolved like any other.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = case_domain(self.env)
        builder, profile = domain.builder, domain.profile
        for node in list(self.document.findall(caselist)):
            # The listing's own document, not env.docname: LaTeX resolves all
            # documents in one tree, under the root document's name.
            docname = node["docname"]
            # html/dirhtml: finished links, as on tag pages; a listing's thousands of
            # links would otherwise each go through Sphinx's reference resolver.
            links: Links = (
                DirectLinks(builder, docname, domain)
                if builder is not None and profile is not None and profile.direct_links
                else PendingLinks(docname)
            )
            renderer = ListingRenderer(domain.config, self.config.language, links)
            case_filter = node["filter"]
            listing = domain.catalogue.listing(case_filter)
            limit = domain.config.max_list_items
            if len(listing) > limit:
                CaselogWarning.LIMIT(
                    f"the listing matches {len(listing)} cases; it shows {limit} and links "
                    "the Timeline for the rest (caselog_max_list_items)",
                    location=node,
                )
            node.replace_self(renderer.render(listing, case_filter.style))


def source_links(node: case) -> list[tuple[nodes.paragraph, nodes.reference]]:
    """Each source of *node* that has a link (an unsafe one is plain text): its
    paragraph and the link, which comes first."""
    sources = find_part(node, "sources")
    found = []
    for para in sources.findall(nodes.paragraph) if sources else ():
        link = para.next_node(nodes.reference)
        if link is not None:
            found.append((para, link))
    return found


def archived_copy(para: nodes.paragraph) -> tuple[nodes.inline, nodes.reference] | None:
    """A source's archived copy: its part `` (archived copy, date)`` and its link."""
    for part in para.findall(nodes.inline):
        if "caselog-source-archive" in part["classes"]:
            copy = part.next_node(nodes.reference)
            return (part, copy) if copy is not None else None
    return None


def written_url(url: str) -> nodes.inline:
    """A URL written out, for print (``caselog-source-url``)."""
    ref = nodes.reference(url, url, refuri=url)
    return nodes.inline("", " ", ref, classes=["caselog-source-url"])


class PrintedUrls(SphinxPostTransform):
    """Print (LaTeX, text, man, texinfo): each source link whose text isn't its URL is
    followed by the URL written out, and so is the link to an archived copy.

    man and texinfo print a link's URL after its text themselves (texinfo as a
    footnote, man from docutils 0.22 on), and not when the text *is* the URL. So there
    a source's title is plain text, and the URL written out is its one link: the URL
    is shown once, whichever docutils writes it.
    """

    default_priority = 400
    #: the builders whose writers print a link's URL themselves
    own_urls = ("man", "texinfo")

    def is_supported(self) -> bool:
        return self.app.builder.format != "html"

    def run(self, **kwargs: Any) -> None:
        plain_titles = self.app.builder.name in self.own_urls
        for node in self.document.findall(case):
            for para, link in source_links(node):
                if link.astext() != link["refuri"]:
                    para.insert(para.index(link) + 1, written_url(link["refuri"]))
                    if plain_titles:
                        para.replace(link, nodes.Text(link.astext()))
                if (archive := archived_copy(para)) is not None:
                    part, copy = archive
                    part.insert(part.index(copy) + 1, written_url(copy["refuri"]))


class HtmlCaseTransform(SphinxPostTransform):
    """HTML niceties that other formats must not see."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        htmlify(self.document, self.config.html_permalinks, self.config.html_permalinks_icon)


class QuoteLinks(SphinxPostTransform):
    """HTML: after a source that holds a case's quote (by the last ``quotecheck`` run),
    a link that opens the source at the quote, highlighted (a text fragment)."""

    default_priority = 390  # before HtmlCaseTransform turns source links into raw HTML
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        builder = case_domain(self.env).builder
        links = deep_links(builder) if builder is not None else {}
        if not links:
            return
        for node in self.document.findall(case):
            for para, ref in source_links(node):
                link = links.get((node.get("caseid", ""), ref["refuri"]))
                if link is not None:
                    label = _("quote")
                    para.append(nodes.Text(" \N{MIDDLE DOT} "))
                    para.append(nodes.reference(
                        label, label, refuri=link, classes=["caselog-quote-link"],
                        reftitle=_("The quote, highlighted in the source (checked by quotecheck)"),
                    ))  # fmt: skip


def htmlify(tree: nodes.Element, permalinks: bool, icon: str) -> None:
    """The HTML form of cases and listings in *tree*: title permalinks, ``<time>``,
    sphinx-design badges for tags, each source's host, ``<cite>`` attributions.

    A function, not just a transform, because generated tag pages need it too.
    """
    for node in tree.findall(case):
        title = find_part(node, "title")
        if permalinks and title is not None and node.get("anchor"):
            title += nodes.raw(
                "",
                f'<a class="headerlink" href="#{escape(node["anchor"])}" '
                f'title="{escape(_("Link to this case"))}">{icon}</a>',
                format="html",
            )
        _show_hosts(node)
        for attribution in node.findall(nodes.attribution):
            cite = nodes.title_reference("", "", *attribution.children)
            attribution.children = [cite]
            cite.parent = attribution
    for inline in list(tree.findall(nodes.inline)):
        if "caselog-tag" in inline["classes"]:
            inline["classes"].extend(BADGE_CLASSES)
        elif "caselog-date" in inline["classes"] and "datetime" in inline:
            _as_html(inline, time_html(inline["datetime"], inline.astext()))


def _as_html(node: nodes.Element, html: str) -> None:
    """Put *html* (escaped by the caller) in *node*'s place. ``parent.replace``, not
    ``replace_self``: that would copy the classes onto the raw node and wrap it in a
    ``<span>``."""
    node.parent.replace(node, nodes.raw("", html, format="html"))


def _show_hosts(node: case) -> None:
    """Each source link is followed by its host, not its URL written out; a source
    with an archived copy gets Robust Links attributes on both links."""
    for para, link in source_links(node):
        host = url_host(link["refuri"])
        at = para.index(link) + 1
        para.insert(at, nodes.inline(host, host, classes=["caselog-source-host"]))
        para.insert(at, nodes.Text(" "))
        _robust_links(para, link)


def _robust_links(para: nodes.paragraph, original: nodes.reference) -> None:
    """``data-versionurl``/``-originalurl``/``-versiondate`` (robustlinks.mementoweb.org),
    which docutils can't write on a link: the two links become raw HTML."""
    if (found := archived_copy(para)) is None:
        return
    archive, copy = found
    date = {"data-versiondate": archive["datetime"]} if archive.get("datetime") else {}
    for ref, attributes in (
        (original, {"data-versionurl": copy["refuri"], **date}),
        (copy, {"data-originalurl": original["refuri"], **date}),
    ):
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
        _as_html(
            ref,
            f'<a class="reference external" href="{escape(ref["refuri"])}"{attrs}>'
            f"{escape(ref.astext())}</a>",
        )


def setup_transforms(app: Sphinx) -> None:
    app.add_transform(RecordCases)
    app.add_post_transform(ResolveCaseLists)
    app.add_post_transform(HtmlCaseTransform)
    app.add_post_transform(PrintedUrls)
    app.add_post_transform(QuoteLinks)
