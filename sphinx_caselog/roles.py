"""The ``case:ref``, ``case:tag`` and ``case:source`` roles.

They only make ``pending_xref`` nodes; the domain resolves them after reading,
so a role never needs to know whether its target exists yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.roles import XRefRole

from .slugs import tag_key

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.environment import BuildEnvironment


class CaseRefRole(XRefRole):
    """``{case:ref}`id``` or ``{case:ref}`text <id>```: shows the case title unless text is given."""

    def __init__(self) -> None:
        # refwarn on every node: an unknown target warns as caselog.ref without nitpicky.
        super().__init__(innernodeclass=nodes.inline, warn_dangling=True)


class TagRole(CaseRefRole):
    """``{case:tag}`mass surveillance```: any spelling that normalises to the tag."""

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        # The key, not the spelling, is the target: intersphinx matches it exactly.
        return title, tag_key(target)


class SourceRole(CaseRefRole):
    """``{case:source}`IETF``` or ``{case:source}`rfc-editor.org```: a publisher's entry."""
