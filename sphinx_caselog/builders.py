"""Builders that write no pages: ``caselog`` (the catalogue) and ``quotecheck`` (the quotes).

``sphinx-build -b caselog SRC OUT`` writes only ``caselog.json``; ``-b quotecheck``
checks every quote against its sources and writes ``output.txt`` and
``output.json`` (:mod:`.quotecheck`). Both read the project like any builder (that
is where cases are recorded) but write no page: there is nothing to resolve or
render per document, which is what makes them cheap. URLs in the export are
those of the ``html`` builder.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sphinx.builders import Builder
from sphinx.errors import SphinxError

from .domain import case_domain
from .export import dumps, write_json
from .fetch import Fetcher, FetchSettings
from .freshness import write_atomically
from .quotecheck import (
    OUTPUT_JSON,
    OUTPUT_TXT,
    check,
    quote_jobs,
    results_data,
    results_text,
    summary,
)
from .quotes import INSTALL_HINT, missing_dependencies
from .warnings_ import CaselogWarning, logger

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


class CaselogBuilder(Builder):
    name = "caselog"
    format = "json"
    epilog = "The catalogue is in %(outdir)s/caselog.json."
    allow_parallel = True

    def get_outdated_docs(self) -> str:
        return "all documents"  # a description: every build writes the whole catalogue

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        """The ``html`` builder's URI of *docname* (``html_file_suffix``, ``html_link_suffix``)."""
        suffix: str | None = self.config.html_link_suffix
        if suffix is None:
            suffix = self.config.html_file_suffix or ".html"
        return quote(docname) + suffix  # as the html builder writes it

    def prepare_writing(self, docnames: AbstractSet[str]) -> None:
        pass

    def write_documents(self, docnames: AbstractSet[str]) -> None:
        pass  # no page per document: that is the point of this builder

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        domain = case_domain(self.env)
        path = write_json(domain, self)
        logger.info("caselog: wrote %s (%d cases)", path.name, len(domain.catalogue.by_id))


class QuotecheckError(SphinxError):
    category = "quotecheck error"


class QuotecheckBuilder(CaselogBuilder):
    """``-b quotecheck``: is each quote in its sources? Like ``linkcheck``, for quotes."""

    name = "quotecheck"
    format = "quotecheck"
    epilog = (
        "Look for quotes not found in the output above, or in %(outdir)s/output.txt "
        "and %(outdir)s/output.json."
    )

    def init(self) -> None:
        missing = missing_dependencies()
        if missing:
            raise QuotecheckError(
                f"the quotecheck builder needs {', '.join(missing)}: {INSTALL_HINT}"
            )

    def fetcher(self) -> Fetcher:
        caselog = case_domain(self.env).config
        return Fetcher(
            FetchSettings(
                timeout=caselog.quotecheck_timeout,
                retries=caselog.quotecheck_retries,
                rate_limit=caselog.quotecheck_rate_limit,
                max_retry_after=caselog.quotecheck_rate_limit_timeout,
                workers=caselog.quotecheck_workers,
                cache_dir=Path(self.outdir) / "cache",
                cache_ttl=caselog.quotecheck_cache_ttl,
            )
        )

    def finish(self) -> None:
        domain = case_domain(self.env)
        jobs = quote_jobs(domain)
        ignore = [re.compile(p) for p in domain.config.quotecheck_ignore]
        threshold = domain.config.quotecheck_threshold
        logger.info("quotecheck: %d cases with a quote", len(jobs))
        results = check(jobs, self.fetcher(), threshold, ignore, self.progress)
        for result in results:
            logger.info("(%s: line %4d) %s", result.docname, result.line, result.message)
            if result.status in {"drifted", "not found"}:
                CaselogWarning.QUOTE(
                    f"quote of case {result.case!r} {result.message}",
                    location=f"{Path(self.srcdir, result.file)}:{result.line}",
                )
        outdir = Path(self.outdir)
        write_atomically(outdir / OUTPUT_TXT, results_text(results))
        write_atomically(outdir / OUTPUT_JSON, dumps(results_data(results)))
        logger.info("quotecheck: %s", summary(results))

    def progress(self, done: int, total: int, url: str) -> None:
        logger.info("quotecheck: [%d/%d] read %s", done, total, url)


def setup_builders(app: Sphinx) -> None:
    app.add_builder(CaselogBuilder)
    app.add_builder(QuotecheckBuilder)
