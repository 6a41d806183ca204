"""The catalogue as data: ``caselog.json``, derived from the domain's records.

One function builds the document (:func:`catalogue_data`), one writes it
deterministically and atomically (:func:`write_json`). Both HTML builds and
the ``caselog`` builder use them. The JSON Schema is ``schema/caselog.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .domain import case_domain
from .freshness import freshness, write_if_changed
from .urls import docname_url
from .warnings_ import logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import CaseDomain
    from .model import CaseRecord

GENERATOR = "sphinx-caselog"
SCHEMA_VERSION = 1
FILENAME = "caselog.json"
SCHEMA = Path(__file__).parent / "schema" / "caselog.schema.json"


def case_url(builder: Builder, record: CaseRecord) -> str:
    """The case's URL relative to the output root: its page, then ``#anchor``.

    singlehtml names documents ``index.html#document-…``: that fragment is dropped,
    as a URL has one fragment, the case's. Any other ``#`` belongs to the file
    name, and is escaped (:func:`~sphinx_caselog.urls.docname_url`).
    """
    return f"{page_url(builder, record.docname)}#{record.anchor}"


def page_url(builder: Builder, docname: str) -> str:
    """The URL of *docname*'s page relative to the output root, escaped exactly once.

    Sphinx's html builder quotes docnames in its URIs and dirhtml does not, so
    which one this builder is, is asked of the builder itself.
    """
    uri = builder.get_target_uri(docname)
    profile = case_domain(builder.env).profile
    if profile is not None and profile.single_page:
        return uri.partition("#")[0]
    return uri if _quotes_docnames(builder) else docname_url(uri)


def _quotes_docnames(builder: Builder) -> bool:
    return "%23" in builder.get_target_uri("a#b")


def case_data(domain: CaseDomain, builder: Builder, record: CaseRecord) -> dict[str, Any]:
    catalogue = domain.catalogue
    return {
        "id": record.id,
        "title": record.title,
        "kind": record.kind,
        "date": str(record.date) if record.date else None,
        "published": record.published,
        "tags": list(catalogue.tag_keys[record.id]),
        "sources": [
            {
                "title": source.given_title,
                "url": source.url,
                "publisher": catalogue.publisher_name(source.host) if source.host else None,
                "archive_url": source.archive_url,
                "archive_date": str(source.archive_date) if source.archive_date else None,
                "accessed": str(source.accessed) if source.accessed else None,
            }
            for source in record.sources
        ],
        "attribution": record.attribution,
        "quote": record.quote or None,
        "context": record.context or None,
        "see_also": [
            {
                "type": entry.type,
                "target": catalogue.vocabulary.canonical(entry.target)
                if entry.type == "tag"
                else entry.target,
            }
            for entry in record.see_also
        ],
        "docname": record.docname,
        "url": case_url(builder, record),
        "location": {
            "file": record.source,
            "line": record.lineno,
        },
    }


def catalogue_data(domain: CaseDomain, builder: Builder) -> dict[str, Any]:
    """The whole catalogue: cases by id, tags by name, publishers by name."""
    catalogue = domain.catalogue
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": GENERATOR, "version": __version__},
        "project": domain.env.config.project,
        "cases": [
            case_data(domain, builder, catalogue.by_id[case_id])
            for case_id in sorted(catalogue.by_id)
        ],
        "tags": [
            {
                "name": tag.key,
                "slug": tag.slug,
                "title": tag.title,
                "description": tag.description or None,
                "cases": sorted(r.id for r in tag.cases),
            }
            for tag in sorted(catalogue.tags.values(), key=lambda t: t.key)
        ],
        "sources": [
            {
                "name": publisher.name,
                "hosts": list(publisher.hosts),
                "cases": sorted(r.id for r, _ in publisher.entries),
            }
            for publisher in sorted(catalogue.publishers.values(), key=lambda p: p.name)
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    """Deterministic JSON: sorted keys, fixed indent, UTF-8 as is, a final newline.

    ``allow_nan=False`` and no ``default``: a value JSON can't hold is a bug,
    never something written half-right.
    """
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(domain: CaseDomain, builder: Builder) -> Path:
    path = Path(builder.outdir) / FILENAME
    write_if_changed(path, dumps(catalogue_data(domain, builder)))
    return path


def write_json_after_html(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: HTML builds write ``caselog.json`` unless ``caselog_json = False``;
    not even derived again when no document changed since the last build wrote it."""
    domain = case_domain(app.env)
    if exception is not None or domain.profile is None or not domain.profile.json:
        return
    path = Path(app.builder.outdir) / FILENAME
    if freshness(app.builder).fresh_from_documents(FILENAME, [path]):
        return
    write_json(domain, app.builder)
    logger.info("caselog: wrote %s", path.name)


def setup_export(app: Sphinx) -> None:
    app.connect("build-finished", write_json_after_html)
