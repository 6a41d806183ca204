"""The ``caselog`` builder: ``sphinx-build -b caselog SRC OUT`` writes only ``caselog.json``.

It reads the project like any builder (that is where cases are recorded) but
writes no page: there is nothing to resolve or render per document, which is
what makes it cheap. URLs in the export are those of the ``html`` builder.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING
from urllib.parse import quote

from sphinx.builders import Builder

from .domain import case_domain
from .export import write_json
from .warnings_ import logger

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


def setup_builders(app: Sphinx) -> None:
    app.add_builder(CaselogBuilder)
