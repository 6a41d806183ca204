"""Every warning sphinx-caselog emits: its subtypes, documented, and one way to emit them.

All warnings have ``type="caselog"`` so that ``suppress_warnings = ["caselog"]``
silences all of them and ``["caselog.<subtype>"]`` just one.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinx_caselog")


def file_location(path: object, line: int | None = None) -> str:
    """A location in a file that is not a document (conf.py, the vocabulary).

    Always with a colon: Sphinx reads a location string without one as a docname
    and adds a source suffix. ``path:`` is Sphinx's own form when the line is unknown.
    """
    return f"{path}:{line}" if line else f"{path}:"


class CaselogWarning(Enum):
    """The warning subtypes; each value's docstring is published in the docs."""

    OPTION = ("option", "An unknown option, a bad option value, or MyST's option trap.")
    DATE = (
        "date",
        (
            "A ``:date:``, ``:published:`` or source line ``accessed``/``archived`` date that "
            "is not a valid date."
        ),
    )
    KIND = ("kind", "A ``:kind:`` that is not a key of ``caselog_kinds``.")
    UNSAFE_URL = (
        "unsafe_url",
        (
            "A source that is not an http(s) URL (it is shown as text), or such an archived copy "
            "(dropped)."
        ),
    )
    MISSING_TITLE = (
        "missing_title",
        "A case with no title and no enclosing section title, or in a section of several cases.",
    )
    NESTED = ("nested", "A case inside another case: not recorded; its text is kept.")
    REF = ("ref", "A role or ``:see-also:`` target that names no case, tag or source.")
    DUPLICATE_ID = ("duplicate_id", "Two cases with one id, or a case id taken on its page.")
    CONFIG = ("config", "A ``caselog_*`` configuration value of the wrong shape.")
    VOCABULARY = (
        "vocabulary",
        "A tag vocabulary that can't be read: bad YAML, a wrong shape, a clash (an error).",
    )
    UNKNOWN_TAG = (
        "unknown_tag",
        "A tag, in a case or a ``caselist`` filter, outside the configured vocabulary.",
    )
    NO_ARCHIVE = (
        "no_archive",
        "A source without an archived copy, when ``caselog_require_archive`` is on.",
    )
    QUOTE = (
        "quote",
        (
            "``quotecheck``: a case's quote is not in any of its sources word for word "
            "(``drifted`` or ``not found``)."
        ),
    )
    TAG_PAGE = ("tag_page", "A document already occupies a tag page's name; it is kept.")
    LIMIT = (
        "limit",
        (
            "Oversized input (title, tags, sources, a source line, quote, a listing's "
            "length): "
            "it is cut to its ``caselog_max_*`` limit."
        ),
    )

    def __init__(self, subtype: str, help: str) -> None:
        self.subtype = subtype
        self.help = help

    def __call__(self, message: str, location: Any, **kwargs: Any) -> None:
        """Log *message* as ``caselog.<subtype>`` at *location* (a node or (docname, line))."""
        logger.warning(message, type="caselog", subtype=self.subtype, location=location, **kwargs)

    def error(self, message: str, location: Any, **kwargs: Any) -> None:
        """Log *message* at ERROR level: the build goes on, and ``-W`` fails it."""
        logger.error(message, type="caselog", subtype=self.subtype, location=location, **kwargs)
