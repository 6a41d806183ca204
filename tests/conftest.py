"""Fixtures: real Sphinx builds of the roots under ``tests/roots/test-*``.

The helpers live in ``tests/helpers.py``; test modules import them from there. This
file still offers the names test modules used to import from it (``ROOTS``,
``Warning``, ``warnings_of``, ``caselog_warnings``, ``status_of``, ``counts``,
``read_docs``, ``written_docs``, ``edit``, ``html_of``, ``compile_tex``, ``build_once``):
deprecated aliases, kept so that branches written against them still merge.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import helpers
import pytest
from helpers import (  # noqa: F401 (deprecated aliases: see the docstring)
    ROOTS,
    Warning,
    compile_tex,
    counts,
    edit,
    html_of,
    read_docs,
    status_of,
    written_docs,
)
from hypothesis import settings
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp
from sphinx.util import logging as sphinx_logging

pytest_plugins = "sphinx.testing.fixtures"

# Property tests are deterministic by default, so that CI passes or fails the same way on
# every run: examples come from a fixed seed, and examples found once are kept as explicit
# ``@example`` regressions (never a database that CI would not have). Developers explore
# with ``HYPOTHESIS_PROFILE=explore python -m pytest tests/test_model.py``.
# No deadline either: on a loaded 2-core machine a 2 ms example can take 300 ms once, and
# hypothesis then calls the test flaky.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="session", autouse=True)
def _record_warnings() -> Iterator[None]:
    """Every app built in this process records its warnings (``helpers.warnings_of``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sphinx_logging, "setup", helpers.recording_setup(sphinx_logging.setup))
        yield


@pytest.fixture(scope="module")
def module_build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., SphinxTestApp]:
    """The builds a module's tests share, each made once, on first use:
    ``module_build(root, builder="html", conf_extra="", files=None, **confoverrides)``.

    Each is a finished build of a copy of ``tests/roots/test-<root>``, its output outside
    the source folder (see ``helpers.build_copy``).
    """
    built: dict[str, SphinxTestApp] = {}

    def get(
        root: str,
        builder: str = "html",
        conf_extra: str = "",
        files: dict[str, str] | None = None,
        **overrides: Any,
    ) -> SphinxTestApp:
        key = repr(
            (root, builder, conf_extra, sorted((files or {}).items()), sorted(overrides.items()))
        )
        if key not in built:
            base = tmp_path_factory.mktemp(f"{root}-{builder}")
            built[key] = helpers.build_copy(base, root, builder, conf_extra, files, **overrides)
        return built[key]

    return get


@pytest.fixture
def copy_root(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a test root into a writable folder (roots are read-only since Sphinx 8.2)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / f"test-{name}", target)
        return target

    return copy


@pytest.fixture
def rebuilds(copy_root: Callable[[str], Path], make_app: Any) -> Callable[..., Any]:
    """``rebuilds(root)`` → (srcdir, build): a copy of *root*, and ``build(builder="html",
    **kwargs)``, each call a new app on that copy (the pickled env is reused, as by
    ``sphinx-build`` run again), checked for tracebacks and a zero status."""

    def project(root: str) -> tuple[Path, Callable[..., SphinxTestApp]]:
        srcdir = copy_root(root)

        def build(builder: str = "html", **kwargs: Any) -> SphinxTestApp:
            helpers.clear_asset_cache()
            app: SphinxTestApp = make_app(builder, srcdir=srcdir, **kwargs)
            app.build()
            helpers.no_traceback(app)
            assert app.statuscode == 0
            return app

        return srcdir, build

    return project


def build_once(
    root: str, builder: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SphinxTestApp]:
    """Deprecated: use the ``module_build`` fixture. A fresh build of a copy of *root*."""
    yield helpers.build_copy(tmp_path_factory.mktemp(f"{root}-{builder}"), root, builder)


def warnings_of(app: Any) -> list[helpers.Warning]:
    """Deprecated: ``helpers.warnings_of`` (records), or ``helpers.console_warnings``
    for the text of another process (what an object with only ``.warning`` stands for)."""
    if isinstance(app, Sphinx):
        return helpers.warnings_of(app)
    return helpers.console_warnings(app.warning.getvalue())


def caselog_warnings(app: Any) -> list[helpers.Warning]:
    """Deprecated: ``helpers.caselog_warnings``."""
    return [w for w in warnings_of(app) if w.category == "caselog"]
