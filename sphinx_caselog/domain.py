"""The ``case`` domain: the single source of truth for every case in the project.

Stored data (pickled with the environment, merged after parallel reads):

* ``cases``: docname → tuple of :class:`CaseRecord`, in source order;
* ``refs``: docname → the ``case`` (and ``any``) references in that document, as
  written, and
* ``lists``: docname → the :class:`CaseFilter` of each ``caselist`` in it, so that
  an edit elsewhere re-writes exactly the documents whose links or listings
  now show something different.

Everything else — the winner of each id, duplicates, tags with their display
names and slugs, publishers — is a :class:`Catalogue` derived from the records
when first needed after reading, and never stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode

from .config import CaselogConfig
from .i18n import _
from .indices import SourceIndex, TagIndex, TimelineIndex, source_anchors, tag_anchor
from .model import CaseFilter, CaseRecord, PartialDate, Source, sort_key
from .roles import CaseRefRole, SourceRole, TagRole
from .slugs import tag_key, unique_slugs
from .vocabulary import EMPTY, Vocabulary, load_vocabulary
from .warnings_ import CaselogWarning

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: A reference as recorded in ``refs``: (role, target as written), role being
#: ``ref``, ``tag``, ``source`` or ``any``.
Target = tuple[str, str]


#: HTML-format builders that link within one page and write no index pages.
BUILDERS_WITHOUT_INDEX_PAGES = frozenset({"singlehtml"})
#: Builders that write tag pages (epub would need them in its manifest).
TAG_PAGE_BUILDERS = frozenset({"html", "dirhtml"})


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


_SENTENCE = re.compile(r"(.+?[.!?…])(?=\s|$)", re.DOTALL)


def first_sentence(text: str) -> str:
    """The excerpt of a quote: its first sentence (or its first paragraph)."""
    paragraph = text.split("\n\n", 1)[0].strip()
    match = _SENTENCE.match(paragraph)
    return match[1] if match else paragraph


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
        self.publisher_by_folded = {name.casefold(): p for name, p in self.publishers.items()}

    def publisher_name(self, host: str) -> str:
        return publisher_for(host, self.publisher_config)

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

    def signature(self, typ: str, target: str) -> Any:
        """What a reference resolves to, as far as the page showing it can tell.

        Compared under the catalogue before and after a read to find the pages
        whose links changed; None for an unknown target.
        """
        if typ == "ref":
            record = self.by_id.get(target.strip())
            return record and (record.docname, record.anchor, record.title)
        if typ == "tag":
            tag = self.tag(target)
            return tag and (tag.title, tag.slug)
        if typ == "source":
            publisher = self.find_publisher(target)
            return publisher and publisher.name
        return tuple(self.signature(t, target) for t in ("ref", "tag", "source"))  # any

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
                s.host and publisher_for(s.host, self.publisher_config) in publishers
                for s in record.sources
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
        cards = case_filter.style == "cards"
        return tuple(self.listed(r, excerpt=cards) for r in self.select(case_filter))


class CaseDomain(Domain):
    """Cases, tags and publishers: cross-references, indices and the inventory."""

    name = "case"
    label = "Case log"
    object_types = {
        "case": ObjType(_("case"), "ref"),
        "tag": ObjType(_("tag"), "tag"),
        "source": ObjType(_("source"), "source"),
    }
    roles = {"ref": CaseRefRole(), "tag": TagRole(), "source": SourceRole()}
    indices = [TagIndex, SourceIndex, TimelineIndex]
    initial_data = {"cases": {}, "refs": {}, "lists": {}}
    #: Bump whenever the shape of CaseRecord, CaseFilter or of the data changes.
    data_version = 2

    _catalogue: Catalogue | None = None
    _before: Catalogue | None = None
    #: set from ``caselog_tags`` when the builder is ready (see ``_prepare``)
    vocabulary: Vocabulary = EMPTY
    #: this build's builder (``_prepare``): post-transforms have no public way to it
    builder: Builder | None = None
    _tag_pages: tuple[Catalogue | None, dict[str, TagInfo]] = (None, {})
    #: tag pages generated by this build, {output path: digest} (see pages.py); None
    #: when this build collected no pages (Sphinx < 8.2 skips that when nothing changed)
    page_digests: dict[str, str] | None = None

    @property
    def cases(self) -> dict[str, tuple[CaseRecord, ...]]:
        return self.data["cases"]  # type: ignore[no-any-return]

    @property
    def refs(self) -> dict[str, frozenset[Target]]:
        return self.data["refs"]  # type: ignore[no-any-return]

    @property
    def lists(self) -> dict[str, tuple[CaseFilter, ...]]:
        return self.data["lists"]  # type: ignore[no-any-return]

    _config: CaselogConfig | None = None

    @property
    def config(self) -> CaselogConfig:
        """The ``caselog_*`` values, read once per build (they can't change during one)."""
        if self._config is None:
            self._config = CaselogConfig.from_sphinx(self.env.config)
        return self._config

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            records = (r for docname in sorted(self.cases) for r in self.cases[docname])
            self._catalogue = Catalogue(records, self.config.publishers, self.vocabulary)
        return self._catalogue

    # -- storing -------------------------------------------------------------------

    def note_doc(
        self,
        docname: str,
        records: tuple[CaseRecord, ...],
        refs: frozenset[Target],
        lists: tuple[CaseFilter, ...],
    ) -> None:
        """Record a document's cases, references and listings (once per read of it)."""
        for key, value in (("cases", records), ("refs", refs), ("lists", lists)):
            if value:
                self.data[key][docname] = value
        self._catalogue = None

    def clear_doc(self, docname: str) -> None:
        for key in ("cases", "refs", "lists"):
            self.data[key].pop(docname, None)
        self._catalogue = None

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        for key in ("cases", "refs", "lists"):
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        self._catalogue = None

    def check_consistency(self) -> None:
        """Duplicates are found here, after all reading, so -j cannot hide them."""
        for later, earlier in self.catalogue.duplicates:
            CaselogWarning.DUPLICATE_ID(
                f"duplicate case id {later.id!r}: already defined at "
                f"{self.env.doc2path(earlier.docname)}:{earlier.lineno}, which is used",
                location=(later.docname, later.lineno),
            )

    # -- incremental builds ------------------------------------------------------------

    def snapshot(self, will_read: AbstractSet[str]) -> None:
        """Keep the catalogue as it was before documents are re-read (it is immutable)."""
        self._before = self.catalogue if will_read else None

    def dependents(self) -> list[str]:
        """Documents whose links or listings show something different after the read."""
        before, after = self._before, self.catalogue
        self._before = None
        if before is None:
            return []
        stale = {
            doc
            for doc, refs in self.refs.items()
            if any(before.signature(*ref) != after.signature(*ref) for ref in refs)
        }
        stale.update(
            doc
            for doc, filters in self.lists.items()
            if any(before.listing(f) != after.listing(f) for f in filters)
        )
        return sorted(stale)

    # -- tag pages -----------------------------------------------------------------------

    def writes_tag_pages(self, builder: Builder) -> bool:
        return self.config.tag_pages and builder.name in TAG_PAGE_BUILDERS

    def tag_page_name(self, tag: TagInfo) -> str:
        """Where *tag*'s page goes, whether or not a document already has that name."""
        return f"{self.config.tag_pages_dir}/{tag.slug}"

    def tag_page_of(self, tag: TagInfo) -> str | None:
        """The page of *tag*, or None when a document already has its name."""
        pagename = self.tag_page_name(tag)
        return pagename if pagename in self.tag_pages() else None

    def tag_pages(self) -> dict[str, TagInfo]:
        """Each tag page's name and its tag, less the names documents already have.

        Cached with the catalogue: links and html-page-context ask on every page.
        """
        catalogue = self.catalogue
        if self._tag_pages[0] is not catalogue:
            found = self.env.found_docs
            pages = {self.tag_page_name(t): t for t in catalogue.tags.values()}
            self._tag_pages = (catalogue, {p: t for p, t in pages.items() if p not in found})
        return self._tag_pages[1]

    def tag_ref(
        self, builder: Builder, fromdocname: str, tag: TagInfo, contnode: Element
    ) -> nodes.reference | None:
        """A tag links to its page where there is one, else to the Tag index."""
        pagename = self.tag_page_of(tag) if self.writes_tag_pages(builder) else None
        if pagename is None:
            return self.index_ref(builder, fromdocname, "tags", contnode)
        uri = builder.get_relative_uri(fromdocname, pagename)
        return nodes.reference("", "", contnode, internal=True, refuri=uri)

    # -- resolving -----------------------------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        catalogue = self.catalogue
        if typ == "ref":
            record = catalogue.by_id.get(target.strip())
            if record is None:
                return None
            return make_refnode(
                builder, fromdocname, record.docname, record.anchor,
                self.text(node, contnode, record.title), record.title,
            )  # fmt: skip
        if typ == "tag":
            tag = catalogue.tag(target)
            if tag is None:
                return None
            return self.tag_ref(builder, fromdocname, tag, self.text(node, contnode, tag.title))
        if typ == "source":
            publisher = catalogue.find_publisher(target)
            if publisher is None:
                return None
            return self.index_ref(
                builder, fromdocname, "sources", self.text(node, contnode, publisher.name)
            )
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for role in ("ref", "tag", "source"):
            ref = self.resolve_xref(env, fromdocname, builder, role, target, node, contnode)
            if ref is not None:
                results.append((f"case:{role}", ref))
        return results

    @staticmethod
    def text(node: pending_xref, contnode: Element, title: str) -> Element:
        """The link text: as written when explicit, else the target's title."""
        if node.get("refexplicit"):
            return contnode
        text = contnode.deepcopy()  # keeps the node class and its xref classes
        text.children = []
        text += nodes.Text(title)
        return text

    def index_ref(
        self, builder: Builder, fromdocname: str, index: str, contnode: Element
    ) -> nodes.reference | None:
        """A link to one of our index pages; formats without those pages show emphasis."""
        try:
            if builder.name in BUILDERS_WITHOUT_INDEX_PAGES:
                raise NoUri(index, "")
            uri = builder.get_relative_uri(fromdocname, f"{self.name}-{index}")
        except NoUri:
            return nodes.emphasis("", "", contnode)  # type: ignore[return-value]
        ref = nodes.reference("", "", contnode, internal=True, refuri=uri)
        return ref

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """The inventory and the search index: display names are titles, so
        intersphinx links and search results show what readers read.

        Each anchor differs from the object's name (see :func:`search_anchor`):
        Sphinx's search index shortens an anchor equal to the name, and
        searchtools.js would rebuild it from the display name (``page#<title>``).
        """
        catalogue = self.catalogue
        for record in sorted(catalogue.by_id.values(), key=lambda r: r.id):
            anchor = search_anchor(record.id, record.anchor)
            yield record.id, record.title, "case", record.docname, anchor, 0
        tag_pages = self.config.tag_pages
        for key, tag in catalogue.tags.items():
            pagename = self.tag_page_of(tag) if tag_pages else None
            anchor = tag_anchor(tag.slug)
            yield key, tag.title, "tag", pagename or f"{self.name}-tags", anchor, 1
        anchors = source_anchors(catalogue.publishers)
        for name in catalogue.publishers:
            yield name, name, "source", f"{self.name}-sources", anchors[name], 1


def search_anchor(case_id: str, anchor: str) -> str:
    """The anchor search and intersphinx link a case by: its own, unless that is its
    id, then the second id ``RecordCases`` gives it."""
    return f"caselog-{case_id}" if anchor == case_id else anchor


def _snapshot(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    env.domains["case"].snapshot(added | changed | removed)  # type: ignore[attr-defined]
    return []


def _dependents(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return env.domains["case"].dependents()  # type: ignore[attr-defined,no-any-return]


def _warn_missing(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """Unknown case targets warn as ``caselog.ref`` even without ``nitpicky``."""
    if domain is None or domain.name != "case":
        return None
    what = {"ref": "case", "tag": "tag", "source": "source"}.get(node["reftype"], "target")
    CaselogWarning.REF(f"unknown {what} {node['reftarget']!r}", location=node)
    return True


def _prepare(app: Sphinx) -> None:
    """Per-build state, before any document is read: the vocabulary and the builder."""
    domain: CaseDomain = app.env.domains["case"]  # type: ignore[assignment]
    domain.builder = app.builder
    domain.page_digests = None
    domain.vocabulary = load_vocabulary(app.config.caselog_tags, Path(app.confdir))
    domain._catalogue = None  # derived with the previous vocabulary
    domain._config = None


def setup_domain(app: Sphinx) -> None:
    app.add_domain(CaseDomain)
    app.connect("builder-inited", _prepare)
    app.connect("env-get-outdated", _snapshot)
    app.connect("env-get-updated", _dependents)
    app.connect("warn-missing-reference", _warn_missing)
