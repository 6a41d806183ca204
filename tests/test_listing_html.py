"""Lists of cases written as HTML are what the node renderer and Sphinx's writer make.

Where links are direct (html, dirhtml, the generated pages), ``ListingRenderer.items``
writes each list as HTML straight away (issue 17: a large log lists each case a dozen
times). ``ListingRenderer.item`` stays the reference: for every case of several roots
(hostile text, undated cases, tags without pages, sources), from pages at several
depths, with and without tags and sources, both are rendered and parsed, and the
DOMs must be equal.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.domain import case_domain
from sphinx_caselog.listings import DirectLinks, ListingRenderer
from sphinx_caselog.pages import _rendering
from sphinx_caselog.transforms import htmlify

#: a page at the root, one a folder down, a tag page
PAGES = ("index", "cases/deep/page", "tags/some-tag")


def dom(html: str) -> list[Any]:
    """A comparable form of *html*: elements with their sorted attributes and text,
    whitespace between elements left out."""

    def walk(node: Any) -> Any:
        if isinstance(node, NavigableString):
            return str(node)
        assert isinstance(node, Tag)
        attrs = {k: sorted(v) if isinstance(v, list) else v for k, v in node.attrs.items()}
        children = [walk(c) for c in node.children if not (isinstance(c, str) and not c.strip())]
        return (node.name, sorted(attrs.items()), children)

    return [walk(c) for c in BeautifulSoup(html, "html.parser").children if str(c).strip()]


def by_the_writer(app: SphinxTestApp, pagename: str, node: nodes.Element) -> str:
    box = nodes.container("", node)
    htmlify(box, False, "")
    with _rendering(app.builder, pagename):  # type: ignore[arg-type]
        fragment = app.builder.render_partial(box)["fragment"]  # type: ignore[attr-defined]
    return str(BeautifulSoup(fragment, "html.parser").find("div").decode_contents())


@pytest.mark.parametrize("root", ["reading-views", "hostile-escape", "tagpages-basic", "world"])
@pytest.mark.parametrize("pagename", PAGES)
def test_html_lists_are_what_the_writer_makes_of_the_nodes(
    module_build, root: str, pagename: str
) -> None:
    app = module_build(root)
    domain = case_domain(app.env)
    catalogue = domain.catalogue
    listing = [catalogue.listed(r, excerpt=False) for r in catalogue.chronological]
    assert listing
    sources = [tuple(s for s in c.sources if s.url) for c in listing]
    for tags, shown in ((True, None), (False, None), (False, sources)):
        fast = ListingRenderer(
            domain.config, app.config.language, DirectLinks(app.builder, pagename, domain)
        )
        reference = ListingRenderer(
            domain.config, app.config.language, DirectLinks(app.builder, pagename, domain)
        )
        reference.html = None  # the node renderer
        raw = fast.items(listing, tags, shown)
        assert isinstance(raw, nodes.raw)
        expected = by_the_writer(app, pagename, reference.items(listing, tags, shown))
        assert dom(raw.astext()) == dom(expected), (root, pagename, tags, shown is not None)
