"""The pages HTML builders get from the catalogue: tag pages, and the three indices.

Each tag gets ``<caselog_tag_pages_dir>/<slug>`` (a breadcrumb to the Tag index,
its title, count, description and cases, timeline style) for html and dirhtml.
The Tag index is the one overview of all tags. The three domain indices are
shown as reading views (``indices.py``) instead of Sphinx's API-style table.
All are rendered through the theme's ``page.html`` on every build, like
``genindex``; nothing is written into the source
directory, and a document that already has a page's name keeps it
(``caselog.tag_page``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.osutil import relative_uri

from . import __version__
from .domain import case_domain, output_file
from .freshness import digest, freshness, write_if_changed
from .indices import OVERVIEW_LABEL, CaseIndex, TagIndex, count_text, tag_anchor
from .listings import DirectLinks, ListingRenderer, bulk_nodes
from .model import sort_key
from .slugs import slugify
from .transforms import htmlify
from .warnings_ import CaselogWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

    from .catalogue import ListedCase, TagInfo
    from .domain import CaseDomain

Page = tuple[str, dict[str, Any], str]


_PAGE_STATE = ("secnumbers", "fignumbers", "imgpath", "dlpath", "current_docname")


@contextmanager
def _rendering(builder: StandaloneHTMLBuilder, pagename: str) -> Iterator[None]:
    """The per-page state the HTML translator reads, as ``write_doc`` sets it for a
    document (it is missing when a rebuild writes no document), restored after."""
    saved = {name: getattr(builder, name) for name in _PAGE_STATE if hasattr(builder, name)}
    uri = builder.get_target_uri(pagename)
    builder.secnumbers, builder.fignumbers = {}, {}
    builder.imgpath = relative_uri(uri, "_images")
    builder.dlpath = relative_uri(uri, "_downloads")
    builder.current_docname = pagename
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(builder, name, value)


def _section(title: str, anchor: str, kind: str, children: list[nodes.Node]) -> nodes.section:
    return nodes.section(
        "",
        nodes.title(title, title),
        *children,
        ids=[anchor],  # the HTML writer needs an id for the heading; search links to it
        classes=[f"caselog-{kind}-page"],
    )


def _page(builder: StandaloneHTMLBuilder, pagename: str, section: nodes.section) -> dict[str, Any]:
    """Render *section* as the body of *pagename*."""
    config = builder.config
    htmlify(section, config.html_permalinks, config.html_permalinks_icon)
    title = section[0].astext()
    with _rendering(builder, pagename), bulk_nodes():
        body = builder.render_partial(section)["fragment"]
    # Themes print ``title`` as markup (documents pass their rendered title), so
    # it is escaped here, exactly once.
    return {"title": escape(title), "body": body}


def newest_first(domain: CaseDomain, tag: TagInfo) -> tuple[ListedCase, ...]:
    """What a tag page lists: its cases, newest first, each with its *other* tags
    (the page's own tag on every entry would be a badge linking to itself)."""
    catalogue = domain.catalogue
    cases = sorted(tag.cases, key=lambda r: sort_key(r, "-date"))
    listing = (catalogue.listed(r, excerpt=False) for r in cases)
    return tuple(c._replace(tags=tuple(t for t in c.tags if t[0] != tag.key)) for c in listing)


def tag_section(
    builder: StandaloneHTMLBuilder,
    domain: CaseDomain,
    tag: TagInfo,
    pagename: str,
    listing: tuple[ListedCase, ...],
) -> nodes.section:
    """Breadcrumb (the way up, to the Tag index), count, description, cases."""
    up = domain.index_ref(
        builder, pagename, "tags", nodes.inline("", TagIndex.localname)
    ) or nodes.inline("", TagIndex.localname)
    crumbs = nodes.paragraph(
        "", "", up, nodes.Text(" \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "),
        nodes.inline("", tag.title, classes=["caselog-breadcrumb-here"]),
        classes=["caselog-breadcrumb"],
    )  # fmt: skip
    children: list[nodes.Node] = [
        crumbs,
        nodes.paragraph("", count_text(len(listing)), classes=["caselog-count"]),
    ]
    if tag.description:
        children.append(
            nodes.paragraph(tag.description, tag.description, classes=["caselog-tag-description"])
        )
    renderer = ListingRenderer(
        domain.config, builder.config.language, DirectLinks(builder, pagename, domain)
    )
    children.append(renderer.render(listing, "timeline"))
    return _section(tag.title, tag_anchor(tag.slug), "tag", children)


def index_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> str | None:
    """``html-page-context``: our three indices as reading views, not Sphinx's table."""
    domain = case_domain(app.env)
    index = _our_index(domain, pagename)
    if index is None or templatename != "domainindex.html":
        return None
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    section = index_section(builder, domain, index, pagename)
    context.update(_page(builder, pagename, section))
    return "page.html"


def _our_index(domain: CaseDomain, pagename: str) -> CaseIndex | None:
    for cls in domain.indices:
        if pagename == f"{domain.name}-{cls.name}":
            return cls(domain)  # type: ignore[return-value]
    return None


def index_section(
    builder: StandaloneHTMLBuilder, domain: CaseDomain, index: CaseIndex, pagename: str
) -> nodes.section:
    links = DirectLinks(builder, pagename, domain)
    renderer = ListingRenderer(domain.config, builder.config.language, links)
    title = str(index.localname)
    return _section(
        title, slugify(title) or index.name, "index", index.reading_view(renderer, links)
    )


def collect_tag_pages(app: Sphinx) -> Iterator[Page]:
    """``html-collect-pages``: one page per tag (the Tag index is their overview).

    A page is rendered only when its digest (what it shows, and the build
    settings that shape it) differs from the last build's, or its file is gone:
    an incremental build re-renders just the tag pages an edit changed.
    """
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    domain = case_domain(app.env)
    digests: dict[str, str] = {}
    assert domain.build is not None
    domain.build.page_digests = digests
    if not domain.writes_tag_pages:
        return
    outdir = Path(builder.outdir)
    previous = read_manifest(outdir)
    base = _build_digest(builder)
    catalogue = domain.catalogue
    pages = domain.tag_pages()
    names = {domain.tag_page_name(tag): tag for tag in catalogue.tags.values()}
    for pagename, docname in sorted(domain.occupied_pages(names).items()):
        CaselogWarning.TAG_PAGE(
            f"the page of tag {names[pagename].title!r} would replace this document's "
            "output; the document is kept and the tag links to the Tag index",
            location=(docname, None),
        )

    # No document changed since the last build rendered them all: nothing to render.
    files = [outdir / rel for rel, key in previous.items() if key]
    unchanged = freshness(builder).fresh_from_documents("tag pages", files)
    if previous and unchanged:
        domain.build.page_digests = previous
        return

    def changed(pagename: str, shown: object) -> bool:
        path = output_file(builder, pagename)
        rel = path.relative_to(outdir).as_posix()
        key = digests[rel] = digest((base, pagename, shown))
        return previous.get(rel) != key or not path.exists()

    for pagename, tag in pages.items():
        digests[f"{pagename}.atom"] = ""  # a feed: tracked for removal only
        listing = newest_first(domain, tag)
        linked = {key: catalogue.tags[key].slug for case in listing for key, _ in case.tags}
        if changed(pagename, (tag.title, tag.description, listing, sorted(linked.items()))):
            section = tag_section(builder, domain, tag, pagename, listing)
            yield pagename, _page(builder, pagename, section), "page.html"


def note_overview_label(app: Sphinx) -> None:
    """Make ``{ref}`case-tag-overview``` work, as ``{ref}`genindex``` does: it leads
    to the Tag index, the one overview of all tags (which LaTeX shows as text)."""
    domain = case_domain(app.env)
    std = app.env.domains["std"]
    target = (f"{domain.name}-tags", "", str(TagIndex.localname))
    std.labels[OVERVIEW_LABEL] = target
    std.anonlabels[OVERVIEW_LABEL] = target[:2]


#: What the last build generated, ``{output path: digest}``: the next build skips
#: unchanged tag pages and removes the pages (and feeds) of vanished tags.
MANIFEST = ".caselog-tag-pages.json"


def _build_digest(builder: StandaloneHTMLBuilder) -> tuple[object, ...]:
    """What, besides their content, shapes the pages: settings, templates, versions.

    The HTML builder's own build info, not ``freshness.settings_of``: these digests are
    written into the output (the manifest), so they must not depend on the output
    folder or on settings that differ between ``-j 1`` and ``-j 2`` (Sphinx 8.1).
    """
    info = getattr(builder, "build_info", None)
    return (
        __version__,
        builder.name,
        getattr(info, "config_hash", ""),
        getattr(info, "tags_hash", ""),
        builder.templates.newest_template_mtime(),
    )


def read_manifest(outdir: Path) -> dict[str, str]:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def finish_tag_pages(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: remove the pages and feeds of tags that no longer exist,
    and remember what this build generated.

    Only files listed in the manifest (files this extension wrote) are removed,
    and never one that a document of this build writes: a user's own page that
    took a tag page's place is the user's.
    """
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    build = case_domain(app.env).build
    if exception is not None or build is None or not build.profile.pages:
        return
    current = build.page_digests
    if current is None:
        return  # no pages were collected in this build: the last manifest still holds
    outdir = Path(builder.outdir)
    stale = sorted(read_manifest(outdir).keys() - current.keys())
    pagenames = {rel.removesuffix(builder.out_suffix): rel for rel in stale}
    documents = {pagenames[p] for p in case_domain(app.env).occupied_pages(pagenames)}
    for rel in stale:
        path = (outdir / rel).resolve()
        # a tampered manifest can't reach out; a document's own output stays
        if path.is_relative_to(outdir.resolve()) and rel not in documents:
            path.unlink(missing_ok=True)
    write_if_changed(outdir / MANIFEST, json.dumps(current, indent=1, sort_keys=True) + "\n")


def setup_pages(app: Sphinx) -> None:
    app.connect("build-finished", finish_tag_pages)
    app.connect("builder-inited", note_overview_label)
    app.connect("html-collect-pages", collect_tag_pages)
    app.connect("html-page-context", index_page)
