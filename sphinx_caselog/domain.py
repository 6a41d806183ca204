"""The ``case`` domain: the single source of truth for every case in the project.

Stored data (pickled with the environment, merged after parallel reads):

* ``cases``: docname → tuple of :class:`CaseRecord`, in source order;
* ``refs``: docname → the ``case`` (and ``any``) references in that document, as
  written, so that an edit elsewhere re-writes exactly the documents whose links
  now resolve differently.

Everything else — the winner of each id, duplicates, tags with their display
names and slugs, publishers — is a :class:`Catalogue` derived from the records
when first needed after reading, and never stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode

from .config import CaselogConfig
from .i18n import _
from .indices import SourceIndex, TagIndex, TimelineIndex
from .model import CaseRecord, Source
from .roles import CaseRefRole, SourceRole, TagRole
from .slugs import tag_key, unique_slugs
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


class TagInfo(NamedTuple):
    """A distinct tag: its key, display name, slug, and cases in chronological order."""

    key: str
    name: str
    slug: str
    cases: tuple[CaseRecord, ...]


class Publisher(NamedTuple):
    """A publisher: the hosts seen for it, and each case with its sources from it."""

    name: str
    hosts: tuple[str, ...]
    entries: tuple[tuple[CaseRecord, tuple[Source, ...]], ...]


def chronological(record: CaseRecord) -> tuple[Any, ...]:
    """The total order of cases in time: by date (partial = first day), title, id; undated last."""
    first_day = record.date.first_day if record.date else None
    return (first_day is None, first_day or 0, record.title.casefold(), record.id)


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


class Catalogue:
    """Views over all records, derived in one pass in (docname, line) order."""

    def __init__(self, records: Iterable[CaseRecord], publishers: dict[str, str]) -> None:
        self.publisher_config = publishers
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

        names: dict[str, str] = {}
        tagged: defaultdict[str, list[CaseRecord]] = defaultdict(list)
        by_publisher: defaultdict[str, dict[str, list[Source]]] = defaultdict(dict)
        hosts: defaultdict[str, set[str]] = defaultdict(set)
        # Display names come from the earliest use in (docname, line) order, so
        # they don't depend on the order documents were read in (-j).
        for record in sorted(cases, key=lambda r: (r.docname, r.lineno)):
            for tag in record.tags:
                names.setdefault(tag.key, tag.text)
        for record in cases:
            for tag in record.tags:
                tagged[tag.key].append(record)
            for source in record.sources:
                if source.host is None:
                    continue
                name = publisher_for(source.host, publishers)
                hosts[name].add(source.host)
                by_publisher[name].setdefault(record.id, []).append(source)
        slugs = unique_slugs(names)
        self.tags: dict[str, TagInfo] = {
            key: TagInfo(key, names[key], slugs[key], tuple(tagged[key])) for key in sorted(names)
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
        folded = {name.casefold(): p for name, p in self.publishers.items()}
        return folded.get(text.casefold())

    def signature(self, typ: str, target: str) -> Any:
        """What a reference resolves to, as far as the page showing it can tell.

        Compared under the catalogue before and after a read to find the pages
        whose links changed; None for an unknown target.
        """
        if typ == "ref":
            record = self.by_id.get(target.strip())
            return record and (record.docname, record.anchor, record.title)
        if typ == "tag":
            tag = self.tags.get(tag_key(target))
            return tag and (tag.name, tag.slug)
        if typ == "source":
            publisher = self.find_publisher(target)
            return publisher and publisher.name
        return tuple(self.signature(t, target) for t in ("ref", "tag", "source"))  # any


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
    initial_data = {"cases": {}, "refs": {}}
    #: Bump whenever the shape of CaseRecord or of the data changes.
    data_version = 1

    _catalogue: Catalogue | None = None
    _before: Catalogue | None = None

    @property
    def cases(self) -> dict[str, tuple[CaseRecord, ...]]:
        return self.data["cases"]  # type: ignore[no-any-return]

    @property
    def refs(self) -> dict[str, frozenset[Target]]:
        return self.data["refs"]  # type: ignore[no-any-return]

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            records = (r for docname in sorted(self.cases) for r in self.cases[docname])
            publishers = CaselogConfig.from_sphinx(self.env.config).publishers
            self._catalogue = Catalogue(records, publishers)
        return self._catalogue

    # -- storing -------------------------------------------------------------------

    def note_doc(
        self, docname: str, records: tuple[CaseRecord, ...], refs: frozenset[Target]
    ) -> None:
        """Record a document's cases and references (once per read of the document)."""
        if records:
            self.cases[docname] = records
        if refs:
            self.refs[docname] = refs
        self._catalogue = None

    def clear_doc(self, docname: str) -> None:
        self.cases.pop(docname, None)
        self.refs.pop(docname, None)
        self._catalogue = None

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        for key in ("cases", "refs"):
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
        """Documents whose references resolve differently now than before the read."""
        before, after = self._before, self.catalogue
        self._before = None
        if before is None:
            return []
        return sorted(
            doc
            for doc, refs in self.refs.items()
            if any(before.signature(*ref) != after.signature(*ref) for ref in refs)
        )

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
            tag = catalogue.tags.get(tag_key(target))
            if tag is None:
                return None
            return self.index_ref(builder, fromdocname, "tags", self.text(node, contnode, tag.name))
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
        """The inventory: display names are titles, so intersphinx links show them.

        Priority -1 keeps them out of the search index, which would name each
        object by its display name and build anchors from it; cases are found
        by search through their general-index entries (title and id) instead.
        """
        catalogue = self.catalogue
        for record in sorted(catalogue.by_id.values(), key=lambda r: r.id):
            yield record.id, record.title, "case", record.docname, record.anchor, -1
        for key, tag in catalogue.tags.items():
            yield key, tag.name, "tag", f"{self.name}-tags", "", -1
        for name in catalogue.publishers:
            yield name, name, "source", f"{self.name}-sources", "", -1


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


def setup_domain(app: Sphinx) -> None:
    app.add_domain(CaseDomain)
    app.connect("env-get-outdated", _snapshot)
    app.connect("env-get-updated", _dependents)
    app.connect("warn-missing-reference", _warn_missing)
