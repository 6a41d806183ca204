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

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode

from .catalogue import REFERENCE_KINDS, Catalogue, Publisher, TagInfo
from .config import CaselogConfig
from .i18n import _
from .indices import INDICES, source_anchor, tag_anchor
from .model import CaseFilter, CaseRecord
from .profile import Build, OutputProfile
from .roles import CaseRefRole, SourceRole, TagRole
from .vocabulary import EMPTY, Vocabulary, load_vocabulary
from .warnings_ import CaselogWarning

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: A reference as recorded in ``refs``: (role, target as written), role being
#: ``ref``, ``tag``, ``source`` or ``any``.
Target = tuple[str, str]


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
    indices = list(INDICES)
    initial_data = {"cases": {}, "refs": {}, "lists": {}}
    #: Bump whenever the shape of CaseRecord, CaseFilter or of the data changes.
    data_version = 5  # 5: Source gained archive_url, archive_date, accessed

    #: this build's builder, profile, configuration and vocabulary (``_prepare``);
    #: post-transforms and event handlers have no public way to the builder
    build: Build | None = None
    # caches of what is derived from the records, dropped whenever they change
    _catalogue: Catalogue | None = None
    _before: Catalogue | None = None
    _tag_pages: tuple[Catalogue | None, dict[str, TagInfo]] = (None, {})

    @property
    def cases(self) -> dict[str, tuple[CaseRecord, ...]]:
        return self.data["cases"]  # type: ignore[no-any-return]

    @property
    def refs(self) -> dict[str, frozenset[Target]]:
        return self.data["refs"]  # type: ignore[no-any-return]

    @property
    def lists(self) -> dict[str, tuple[CaseFilter, ...]]:
        return self.data["lists"]  # type: ignore[no-any-return]

    @property
    def config(self) -> CaselogConfig:
        """The validated ``caselog_*`` values of this build."""
        if self.build is None:  # only before a builder exists, e.g. a bare environment
            return CaselogConfig.from_sphinx(self.env.config)
        return self.build.config

    @property
    def vocabulary(self) -> Vocabulary:
        return EMPTY if self.build is None else self.build.vocabulary

    @property
    def builder(self) -> Builder | None:
        return None if self.build is None else self.build.builder

    @property
    def profile(self) -> OutputProfile | None:
        return None if self.build is None else self.build.profile

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            records = (
                r
                for docname in sorted(self.cases)
                for r in self.cases[docname]
                if self.builder_keeps(r)
            )
            self._catalogue = Catalogue(records, self.config.publishers, self.vocabulary)
            self._tag_pages = (None, {})
        return self._catalogue

    def builder_keeps(self, record: CaseRecord) -> bool:
        """False for a case inside an ``only`` block this builder leaves out.

        A condition Sphinx can't evaluate keeps the case, as Sphinx keeps the block.
        """
        if self.builder is None:
            return True
        return all(builder_keeps(self.builder, expr) for expr in record.only)

    def location(self, record: CaseRecord) -> str:
        """Where *record* is written, as a warning location: its real file and line."""
        return f"{Path(self.env.srcdir, record.source)}:{record.lineno}"

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
                f"{self.location(earlier)}, which is used",
                location=self.location(later),
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

    @property
    def writes_tag_pages(self) -> bool:
        return self.profile is not None and self.profile.tag_pages

    def tag_page_name(self, tag: TagInfo) -> str:
        """Where *tag*'s page goes, whether or not a document already has that name."""
        return f"{self.config.tag_pages_dir}/{tag.slug}"

    def tag_page_of(self, tag: TagInfo) -> str | None:
        """The page of *tag*, or None when a document already has its name."""
        pagename = self.tag_page_name(tag)
        return pagename if pagename in self.tag_pages() else None

    def tag_pages(self) -> dict[str, TagInfo]:
        """Each tag page's name and its tag, less the pages a document already writes.

        Cached with the catalogue: links and html-page-context ask on every page.
        """
        catalogue = self.catalogue
        if self._tag_pages[0] is not catalogue:
            pages = {self.tag_page_name(t): t for t in catalogue.tags.values()}
            occupied = self.occupied_pages(pages)
            self._tag_pages = (catalogue, {p: t for p, t in pages.items() if p not in occupied})
        return self._tag_pages[1]

    def occupied_pages(self, pagenames: Iterable[str]) -> dict[str, str]:
        """Which of *pagenames* a document's output already takes: {pagename: docname}.

        Compared by output path, not by name: in dirhtml the document
        ``tags/x/index`` and the tag page ``tags/x`` both write ``tags/x/index.html``.
        """
        wanted = set(pagenames)
        if self.builder is None or not wanted:
            return {}
        folder = self.config.tag_pages_dir + "/"
        by_path = {output_file(self.builder, p): p for p in wanted}
        return {
            by_path[path]: doc
            for doc in self.env.found_docs
            if doc.startswith(folder) and (path := output_file(self.builder, doc)) in by_path
        }

    def tag_ref(
        self, builder: Builder, fromdocname: str, tag: TagInfo, contnode: Element
    ) -> nodes.reference | None:
        """A tag links to its page where there is one, else to the Tag index."""
        pagename = self.tag_page_of(tag) if self.writes_tag_pages else None
        if pagename is None:
            return self.index_ref(builder, fromdocname, "tags", contnode, tag_anchor(tag.slug))
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
        found = self.catalogue.resolve(typ, target)
        if isinstance(found, TagInfo):
            return self.tag_ref(builder, fromdocname, found, self.text(node, contnode, found.title))
        if isinstance(found, Publisher):
            anchor = source_anchor(self.catalogue.publisher_slugs[found.name])
            text = self.text(node, contnode, found.name)
            return self.index_ref(builder, fromdocname, "sources", text, anchor)
        if found is None:
            return None
        return make_refnode(
            builder, fromdocname, found.docname, found.anchor,
            self.text(node, contnode, found.title), found.title,
        )  # fmt: skip

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
        for role in REFERENCE_KINDS:
            ref = self.resolve_xref(env, fromdocname, builder, role, target, node, contnode)
            if ref is not None:
                results.append((f"case:{role}", ref))
        return results

    @staticmethod
    def text(node: pending_xref, contnode: Element, title: str) -> Element:
        """The link text: as written when explicit, else the target's title."""
        if node.get("refexplicit"):
            return contnode
        # the node class and its xref classes, not its text: copy() (which gives the
        # copy its own classes list), not deepcopy(), a tree walk per link
        text = contnode.copy()
        text += nodes.Text(title)
        return text

    def index_ref(
        self, builder: Builder, fromdocname: str, index: str, contnode: Element, anchor: str = ""
    ) -> nodes.reference | None:
        """A link to one of our index pages (at *anchor*, a group on it); formats
        without those pages show emphasis."""
        try:
            page = f"{self.name}-{index}"
            if self.profile is not None and page not in self.profile.index_pages:
                raise NoUri(index, "")
            uri = builder.get_relative_uri(fromdocname, page)
        except NoUri:
            return nodes.emphasis("", "", contnode)  # type: ignore[return-value]
        uri = f"{uri}#{anchor}" if anchor else uri
        return nodes.reference("", "", contnode, internal=True, refuri=uri)

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """The inventory and the search index: display names are titles, so
        intersphinx links and search results show what readers read.

        All have priority 0, the cases' too: searchtools.js scores an object's exact
        name 11 and a partial one 6, plus 15 for priority 0 and 5 for 1, so with equal
        priorities a search for "Data retention" finds the tag before every case whose
        title merely contains the words.

        Each anchor differs from the object's name (see :func:`search_anchor`):
        Sphinx's search index shortens an anchor equal to the name, and
        searchtools.js would rebuild it from the display name (``page#<title>``).
        """
        catalogue = self.catalogue
        for record in sorted(catalogue.by_id.values(), key=lambda r: r.id):
            anchor = search_anchor(record.id, record.anchor)
            yield record.id, record.title, "case", record.docname, anchor, 0
        tag_pages = self.writes_tag_pages
        for key, tag in catalogue.tags.items():
            pagename = self.tag_page_of(tag) if tag_pages else None
            anchor = tag_anchor(tag.slug)
            yield key, tag.title, "tag", pagename or f"{self.name}-tags", anchor, 0
        for name in catalogue.publishers:
            anchor = source_anchor(catalogue.publisher_slugs[name])
            yield name, name, "source", f"{self.name}-sources", anchor, 0


def search_anchor(case_id: str, anchor: str) -> str:
    """The anchor search and intersphinx link a case by: its own, unless that is its
    id, then the second id ``RecordCases`` gives it."""
    return f"caselog-{case_id}" if anchor == case_id else anchor


def output_file(builder: Builder, pagename: str) -> Path:
    """The file an HTML builder writes *pagename* to (get_output_path: Sphinx 9's name)."""
    get = getattr(builder, "get_output_path", None) or builder.get_outfilename  # type: ignore[attr-defined]
    return Path(get(pagename))


def _snapshot(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    case_domain(env).snapshot(added | changed | removed)
    return []


def _dependents(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return case_domain(env).dependents()


def _warn_missing(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """Unknown case targets warn as ``caselog.ref`` even without ``nitpicky``.

    Not inside an ``only`` block this builder leaves out: Sphinx resolves
    references before it removes such blocks, and nobody will see the link.
    """
    if domain is None or domain.name != "case":
        return None
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.only) and not builder_keeps(app.builder, parent["expr"]):
            return True
        parent = parent.parent
    what = {"ref": "case", "tag": "tag", "source": "source"}.get(node["reftype"], "target")
    CaselogWarning.REF(f"unknown {what} {node['reftarget']!r}", location=node)
    return True


def builder_keeps(builder: Builder, expr: str) -> bool:
    """Whether *builder* keeps an ``only`` block of *expr*; one Sphinx can't evaluate
    is kept, as Sphinx keeps it (and warns about it itself)."""
    try:
        return bool(builder.tags.eval_condition(expr))
    except Exception:  # noqa: BLE001 (any error: Sphinx's own handling of the block)
        return True


def case_domain(env: BuildEnvironment) -> CaseDomain:
    """The case domain of *env*, typed."""
    return cast("CaseDomain", env.domains["case"])


def _prepare(app: Sphinx) -> None:
    """Per-build state, before any document is read: builder, profile, config, vocabulary."""
    domain = case_domain(app.env)
    config = CaselogConfig.from_sphinx(app.config)
    domain.build = Build(
        builder=app.builder,
        config=config,
        vocabulary=load_vocabulary(config.tags, Path(app.confdir)),
        profile=OutputProfile.of(
            app.builder, config, (f"{domain.name}-{index.name}" for index in domain.indices)
        ),
    )
    domain._catalogue = None  # derived with the previous vocabulary


def _translate_index_names(app: Sphinx, config: Config) -> None:
    for index in INDICES:
        index.use_language()


def setup_domain(app: Sphinx) -> None:
    app.add_domain(CaseDomain)
    app.connect("config-inited", _translate_index_names)
    app.connect("builder-inited", _prepare)
    app.connect("env-get-outdated", _snapshot)
    app.connect("env-get-updated", _dependents)
    app.connect("warn-missing-reference", _warn_missing)
