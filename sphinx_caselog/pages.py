"""Per-tag pages and their overview, generated at write time for html and dirhtml.

Each tag gets ``<caselog_tag_pages_dir>/<slug>`` (its title, description and its
cases, timeline style), and the folder gets an ``index`` overview with counts.
They are rendered from the catalogue through the theme's ``page.html`` on every
build, like ``genindex``; nothing is written into the source directory, and a
document that already has a page's name keeps it (``caselog.tag_page``).
"""

from __future__ import annotations

import hashlib
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
from .freshness import freshness, write_if_changed
from .i18n import _
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


def _page(
    builder: StandaloneHTMLBuilder, pagename: str, title: str, children: list[nodes.Node]
) -> dict[str, Any]:
    section = nodes.section(
        "",
        nodes.title(title, title),
        *children,
        ids=[slugify(title) or "tag"],  # the HTML writer needs an id for the heading
        classes=["caselog-tag-page"],
    )
    config = builder.config
    htmlify(section, config.html_permalinks, config.html_permalinks_icon)
    with _rendering(builder, pagename), bulk_nodes():
        body = builder.render_partial(section)["fragment"]
    # Themes print ``title`` as markup (documents pass their rendered title), so
    # it is escaped here, exactly once.
    return {"title": escape(title), "body": body}


def newest_first(domain: CaseDomain, tag: TagInfo) -> tuple[ListedCase, ...]:
    """What a tag page lists: its cases, newest first."""
    catalogue = domain.catalogue
    cases = sorted(tag.cases, key=lambda r: sort_key(r, "-date"))
    return tuple(catalogue.listed(r, excerpt=False) for r in cases)


def tag_page(
    builder: StandaloneHTMLBuilder,
    domain: CaseDomain,
    tag: TagInfo,
    pagename: str,
    listing: tuple[ListedCase, ...],
) -> dict[str, Any]:
    children: list[nodes.Node] = []
    if tag.description:
        children.append(
            nodes.paragraph(tag.description, tag.description, classes=["caselog-tag-description"])
        )
    renderer = ListingRenderer(
        domain.config, builder.config.language, DirectLinks(builder, pagename, domain)
    )
    children.append(renderer.render(listing, "timeline"))
    return _page(builder, pagename, tag.title, children)


def overview_page(
    builder: StandaloneHTMLBuilder, domain: CaseDomain, pages: dict[str, str], pagename: str
) -> dict[str, Any]:
    """All tags, with their case counts, linked to their pages."""
    items = nodes.bullet_list(classes=["caselog-tag-overview"])
    tags = sorted(domain.catalogue.tags.values(), key=lambda t: (t.title.casefold(), t.key))
    for tag in tags:
        title: nodes.Element = nodes.inline(tag.title, tag.title, classes=["caselog-tag"])
        if tag.key in pages:
            uri = builder.get_relative_uri(pagename, pages[tag.key])
            title = nodes.reference("", "", title, internal=True, refuri=uri)
        count = f" ({len(tag.cases)})"
        items += nodes.list_item("", nodes.paragraph("", "", title, nodes.Text(count)))
    return _page(builder, pagename, _("Tags"), [items])


def collect_tag_pages(app: Sphinx) -> Iterator[Page]:
    """``html-collect-pages``: one page per tag, then the overview.

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
    files = [outdir / rel for rel, digest in previous.items() if digest]
    unchanged = freshness(builder).fresh_from_documents("tag pages", files)
    if previous and unchanged:
        domain.build.page_digests = previous
        _overview_taken(domain)
        return

    def changed(pagename: str, shown: object) -> bool:
        path = output_file(builder, pagename)
        rel = path.relative_to(outdir).as_posix()
        digest = hashlib.sha256(repr((base, pagename, shown)).encode()).hexdigest()
        digests[rel] = digest
        return previous.get(rel) != digest or not path.exists()

    for pagename, tag in pages.items():
        digests[f"{pagename}.atom"] = ""  # a feed: tracked for removal only
        listing = newest_first(domain, tag)
        linked = {key: catalogue.tags[key].slug for case in listing for key, _ in case.tags}
        if changed(pagename, (tag.title, tag.description, listing, sorted(linked.items()))):
            yield pagename, tag_page(builder, domain, tag, pagename, listing), "page.html"
    if _overview_taken(domain):
        return
    overview = f"{domain.config.tag_pages_dir}/index"
    by_key = {tag.key: pagename for pagename, tag in pages.items()}
    shown = [
        (t.key, t.title, t.slug, len(t.cases), t.key in by_key) for t in catalogue.tags.values()
    ]
    if changed(overview, shown):
        yield overview, overview_page(builder, domain, by_key, overview), "page.html"


def _overview_taken(domain: CaseDomain) -> bool:
    """Whether a document writes the tag overview's page (it warns, and is kept)."""
    overview = f"{domain.config.tag_pages_dir}/index"
    for docname in domain.occupied_pages([overview]).values():
        CaselogWarning.TAG_PAGE(
            "the tag overview would replace this document's output; the document is kept",
            location=(docname, None),
        )
        return True
    return False


#: The ``{ref}`` label of the tag overview.
OVERVIEW_LABEL = "case-tag-overview"


def note_overview_label(app: Sphinx) -> None:
    """Make ``{ref}`case-tag-overview``` work, as ``{ref}`genindex``` does.

    It leads to the overview where this builder writes one, else to the Tag
    index (which LaTeX shows as text, with no warning).
    """
    domain = case_domain(app.env)
    std = app.env.domains["std"]
    if domain.writes_tag_pages:
        target = (f"{domain.config.tag_pages_dir}/index", "", _("Tags"))
    else:
        target = (f"{domain.name}-tags", "", _("Tag index"))
    std.labels[OVERVIEW_LABEL] = target
    std.anonlabels[OVERVIEW_LABEL] = target[:2]


#: What the last build generated, ``{output path: digest}``: the next build skips
#: unchanged tag pages and removes the pages (and feeds) of vanished tags.
MANIFEST = ".caselog-tag-pages.json"


def _build_digest(builder: StandaloneHTMLBuilder) -> tuple[object, ...]:
    """What, besides their content, shapes the pages: settings, templates, versions."""
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
