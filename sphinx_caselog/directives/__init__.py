"""The directives: ``case`` (one case, parsed once) and ``caselist`` (a listing's filter).

One module each, on a shared base (``base.py``: locating, warnings, option checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .case import KNOWN_OPTIONS, CaseDirective
from .caselist import LIST_OPTIONS, CaselistDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["KNOWN_OPTIONS", "LIST_OPTIONS", "CaseDirective", "CaselistDirective"]


def setup_directives(app: Sphinx) -> None:
    app.add_directive("case", CaseDirective)
    app.add_directive("caselist", CaselistDirective)
