"""The Jekyll importer behind ``sphinx-caselog import-jekyll``: posts in, MyST case pages out.

One module per stage (``docs/migrating.md`` lists every rule they follow):

- :mod:`.posts`: which files are posts, what their names say, reading them safely;
- :mod:`.frontmatter`: the strict YAML reader, and dates as Jekyll reads them;
- :mod:`.site`: case ids unique over the batch, and the index links resolve against;
- :mod:`.parsing`: the one Markdown parser, and what is read from its tokens;
- :mod:`.liquid`: pass 1, Liquid (which Jekyll runs before Markdown);
- :mod:`.markdown` and :mod:`.inline`: pass 2, the body as the parts of one ``case``;
- :mod:`.pages`: the MyST pages, checked by re-parsing them with myst-parser;
- :mod:`.files`: atomic writes that never leave ``--out``;
- :mod:`.run`: the stages in order, and the report.

Everything between reading the posts and writing the pages is pure. ``cli.py`` is only
the argparse layer over :func:`import_jekyll`. Nothing here imports Sphinx.
"""

from __future__ import annotations

from typing import Any

from .base import DEFAULT_KIND_TAGS, ImportOptions, Message, UsageError

__all__ = [
    "DEFAULT_KIND_TAGS",
    "ImportOptions",
    "ImportResult",
    "Message",
    "UsageError",
    "convert_one",
    "import_jekyll",
]


def __getattr__(name: str) -> Any:
    """The run's names, imported on first use (PEP 562): ``sphinx-caselog --help`` loads
    only :mod:`.base`, not the parsers."""
    if name in ("ImportResult", "convert_one", "import_jekyll"):
        from . import run  # noqa: PLC0415

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
