"""What the HTML search index learns of the pages this extension generates.

Sphinx's search index holds documents only: just before it writes
``searchindex.js`` it drops every page that is not a document
(``IndexBuilder.prune(env.all_docs)``). Tag pages and the three domain indices are
pages, not documents, so they are fed here, on every build (``freshness`` may skip
rendering them, but Sphinx rebuilds the index from what it is fed), and kept through
that prune. They are fed by their titles and what they describe, never by the cases
they list: a case is found once, at its own anchor. Once these pages are in the
index, the tag and publisher objects of ``CaseDomain.get_objects``, which lead to
them, show in search results too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from typing import TYPE_CHECKING, Any

import sphinx
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes

from .domain import case_domain, output_file
from .indices import INDICES, tag_anchor

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.search import IndexBuilder

    from .domain import CaseDomain


def _searchable(
    title: str, anchor: str, *texts: str, entries: Iterable[tuple[str, str]] = ()
) -> nodes.document:
    """A page as the indexer reads it: its title and *texts* as words, and main
    index entries (name, anchor) for its title and *entries*.

    searchtools.js scores a main index entry that the query fills by 100, far above
    an object (26 at most) or a title (16): a search for a tag's name lists its page
    first, before the cases that mention it. These entries reach the search index
    only; the general index is made from documents. The title is a paragraph, not a
    section title: Sphinx 8.1's searchtools.js inserts section titles as HTML.
    """
    document = new_document("")
    named = [(title, anchor), *entries]
    document += addnodes.index(entries=[("single", n, a, "main", None) for n, a in named])
    document.extend(nodes.paragraph(text, text) for text in (title, *texts) if text)
    return document


def _page_title(title: str) -> str:
    """A page's title as Sphinx stores a document's: text from Sphinx 9 on (whose
    searchtools.js escapes it), HTML before (whose searchtools.js inserts it)."""
    return title if sphinx.version_info >= (9,) else escape(title)


def generated_pages(app: Sphinx, domain: CaseDomain) -> Iterator[tuple[str, str, nodes.document]]:
    """(pagename, title, what search reads) of each page we generate for this builder."""
    for pagename, tag in domain.tag_pages().items():
        yield pagename, tag.title, _searchable(tag.title, tag_anchor(tag.slug), tag.description)
    assert domain.profile is not None
    for index in INDICES:
        pagename = f"{domain.name}-{index.name}"
        if pagename in domain.profile.index_pages:
            title = str(index.localname)
            entries = index(domain).search_entries()
            yield pagename, title, _searchable(title, pagename, entries=entries)


def feed_generated_pages(app: Sphinx) -> Iterable[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages`` (it runs after every document was indexed and before
    the index is written): feed our pages, and keep them. Renders no page itself."""
    indexer: IndexBuilder | None = getattr(app.builder, "indexer", None)
    if indexer is None:  # no search for this builder, or html_search off
        return ()
    domain = case_domain(app.env)
    fed = set()
    for pagename, title, doctree in generated_pages(app, domain):
        filename = output_file(app.builder, pagename).relative_to(app.builder.outdir)
        indexer.feed(pagename, filename.as_posix(), _page_title(title), doctree)
        fed.add(pagename)
    _keep_through_prune(indexer, fed)
    return ()


def _keep_through_prune(indexer: IndexBuilder, pagenames: set[str]) -> None:
    """Make this build's indexer keep *pagenames* when Sphinx prunes it to documents.

    Sphinx has no hook between pruning and writing, so this one indexer's ``prune``
    is wrapped; the next build makes a new indexer (and this module feeds it again).
    The index entries of a page fed by an earlier build and not by this one (a tag
    that went away) are dropped too: Sphinx keeps them in the environment, does not
    prune them, and would fail on them when writing the index.
    """
    prune = indexer.prune

    def prune_keeping(docnames: Iterable[str]) -> None:
        keep = {*docnames, *pagenames}
        prune(keep)
        entries: dict[str, object] = getattr(indexer, "_index_entries", {})
        for stale in entries.keys() - keep:
            del entries[stale]

    indexer.prune = prune_keeping  # type: ignore[method-assign]


def setup_search(app: Sphinx) -> None:
    app.connect("html-collect-pages", feed_generated_pages)
