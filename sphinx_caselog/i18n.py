"""The message catalog for the labels sphinx-caselog writes into pages."""

from __future__ import annotations

from sphinx.locale import get_translation

MESSAGE_CATALOG = "sphinx_caselog"
_ = get_translation(MESSAGE_CATALOG)
