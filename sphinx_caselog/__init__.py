"""sphinx-caselog: curated case logs (positions, rulings, laws, incidents…) for Sphinx."""

from __future__ import annotations

# First, so that modules imported below can read it while the package loads.
__version__ = "0.1.0"

from pathlib import Path
from typing import TYPE_CHECKING, Any

# Sphinx and the modules that need it are imported inside setup() (as sphinx-design
# does), so that the ``sphinx-caselog`` command, which never builds, starts fast.
if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

HERE = Path(__file__).parent
#: Bump whenever what a pickled environment holds for us changes shape.
ENV_VERSION = 4


def add_stylesheet(app: Sphinx) -> None:
    """Our stylesheet, for HTML builders only (sphinx-design #200: never for LaTeX)."""
    if app.builder.format == "html":
        app.add_css_file("caselog.css")


def copy_support_files(app: Sphinx, builder: Builder) -> None:
    """Copy the stylesheet (HTML) or LaTeX package into the output.

    At ``write-started``: before any page is written, so every page gets the same
    ``?v=`` checksum on a first and on an incremental build. Never through
    ``html_static_path``, whose change would look like a configuration change.
    """
    from sphinx.util.fileutil import copy_asset_file

    if builder.format == "html":
        static = builder.outdir / "_static"
        static.mkdir(parents=True, exist_ok=True)  # else the copy would be *named* _static
        copy_asset_file(HERE / "static" / "caselog.css", static, force=True)
    elif builder.format == "latex":
        copy_asset_file(HERE / "latex" / "sphinxcaselog.sty", builder.outdir, force=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``case`` directive, the ``case`` domain (roles, indices), the
    ``caselog_*`` config values, the case node's visitors and the transforms."""
    from .builders import setup_builders
    from .config import setup_config
    from .directives import setup_directives
    from .domain import setup_domain
    from .export import setup_export
    from .feeds import setup_feeds
    from .freshness import setup_freshness
    from .i18n import MESSAGE_CATALOG
    from .indices import setup_indices
    from .pages import setup_pages
    from .quotecheck import setup_quotecheck
    from .search import setup_search
    from .transforms import setup_transforms
    from .visitors import setup_visitors

    app.setup_extension("sphinx_design")
    setup_config(app)
    setup_visitors(app)
    setup_directives(app)
    setup_domain(app)
    setup_indices(app)
    setup_transforms(app)
    setup_pages(app)
    setup_search(app)
    setup_export(app)
    setup_feeds(app)
    setup_freshness(app)
    setup_builders(app)
    setup_quotecheck(app)
    app.add_message_catalog(MESSAGE_CATALOG, str(HERE / "locale"))
    app.add_latex_package("sphinxcaselog")
    app.connect("builder-inited", add_stylesheet)
    app.connect("write-started", copy_support_files)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
