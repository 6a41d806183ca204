"""Writing what is generated from all cases: atomically, only when it changed, and
not even rendering what did not change (``caselog.json``, the Atom feeds, the tag
pages, the three domain indices).

Sphinx re-writes only the documents a change touches, but what is generated from all
cases would be rendered and written on every build. Each such output gets a *key*: a
digest of what it shows (or of the state of every document it is derived from) and
of the build settings that shape it. The last build's keys are kept beside Sphinx's
pickled environment, in the doctree folder (:func:`manifest_path`), not in the
output, which must stay byte-identical from build to build; an output whose key is unchanged and whose files are all
still there is neither rendered nor written, so its files (and their mtimes) stay as
they are. What is rendered is written only when its bytes differ
(:func:`write_if_changed`), through a temporary file (:func:`write_atomically`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .domain import case_domain, output_file

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

try:  # private to Sphinx (8.1 to 9 at least): without it, every output is made again
    from sphinx.builders.html._build_info import BuildInfo as _BuildInfo
except ImportError:  # pragma: no cover
    _BuildInfo = None  # type: ignore[assignment,misc]


#: The keys of what the last build generated, ``{output: key}``.
def manifest_path(builder: Builder) -> Path:
    """The keys of *builder*'s last build: one file per builder, as builders may
    share a doctree folder (``sphinx-build -M``)."""
    return Path(builder.doctreedir) / f"caselog-state-{builder.name}.json"


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(tmp).chmod(0o644)  # mkstemp makes it 0600; a written page is world-readable
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Write *text* atomically unless the file already holds exactly it (its mtime
    then stays); True when written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeError):
        pass
    write_atomically(path, text)
    return True


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def settings_of(builder: Builder) -> tuple[object, ...]:
    """What, besides the documents, shapes every generated output: this package's
    version, the builder, Sphinx's settings (those that re-read every document too:
    the language, the project's name…) and tags, and the templates."""
    templates = getattr(builder, "templates", None)
    return (
        __version__,
        builder.name,
        _config_hash(builder),
        templates.newest_template_mtime() if templates is not None else 0,
    )


def _config_hash(builder: Builder) -> str:
    """Sphinx's own stable hash of its settings and tags, as it decides a re-write; a
    Sphinx without it gets a fresh value, so nothing is ever taken as unchanged."""
    if _BuildInfo is None:
        return os.urandom(16).hex()
    info = _BuildInfo(builder.config, builder.tags, frozenset({"env", "html"}))
    return f"{info.config_hash}:{info.tags_hash}"


class Freshness:
    """One build's view of the manifest: which outputs are unchanged since the last build.

    ``documents`` is the state of every document as read (Sphinx stamps each read
    in ``env.all_docs``): it changes whenever a document is read again, added or
    removed, which is all that can change the catalogue between two builds with the
    same settings (the configuration is in :func:`settings_of` and, for the values
    that need a re-read, re-reads every document).
    """

    def __init__(self, builder: Builder, config: object) -> None:
        self.builder = builder
        self.outdir = Path(builder.outdir)
        # the output folder too: two outputs may share one doctree folder
        self.settings = digest((settings_of(builder), str(self.outdir), config))
        self.previous = _read(manifest_path(builder))
        self.current: dict[str, str] = {}
        self._documents: str | None = None

    @property
    def documents(self) -> str:
        if self._documents is None:  # once, after reading
            self._documents = digest(sorted(self.builder.env.all_docs.items()))
        return self._documents

    def fresh(self, output: str, key: object, files: Iterable[Path]) -> bool:
        """Record *output*'s key; True when the last build's was the same and every
        one of *files* is still there."""
        self.current[output] = digest((self.settings, key))
        return self.previous.get(output) == self.current[output] and all(
            path.exists() for path in files
        )

    def fresh_from_documents(self, output: str, files: Iterable[Path]) -> bool:
        """:meth:`fresh` for an output derived from every document's records."""
        return self.fresh(output, self.documents, files)

    def keep(self, prefix: str) -> None:
        """Carry the last build's keys of outputs named *prefix*… over, unchanged: an
        output skipped as a whole keeps the keys of its parts for the next build."""
        self.current.update((k, v) for k, v in self.previous.items() if k.startswith(prefix))

    def save(self) -> None:
        # an output not looked at in this build (Sphinx < 8.2 collects no pages when
        # nothing changed) keeps its last key
        text = json.dumps({**self.previous, **self.current}, indent=1, sort_keys=True) + "\n"
        write_if_changed(manifest_path(self.builder), text)


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def freshness(builder: Builder) -> Freshness:
    """This build's :class:`Freshness`, made on first use."""
    build = case_domain(builder.env).build
    assert build is not None
    if build.freshness is None:
        build.freshness = Freshness(builder, build.config)
    return build.freshness


def save_freshness(builder: Builder) -> None:
    """At the end of a build that succeeded: keep the keys for the next one."""
    build = case_domain(builder.env).build
    if build is not None and build.freshness is not None:
        build.freshness.save()


def skip_fresh_indices(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` of ``genindex``: take our unchanged indices off the list
    the builder is about to render.

    Sphinx renders every domain index on every build, right after the general index
    (``gen_indices``): this is the one moment between its ``generate()`` calls, in
    ``prepare_writing``, and its rendering. An index is unchanged when its content,
    its title and the toctrees of the site (the sidebar may show them) are. With
    ``html_use_index = False`` there is no general index, and every index is rendered.
    """
    domain = case_domain(app.env)
    indices = getattr(app.builder, "domain_indices", None)
    if not pagename.startswith("genindex") or domain.profile is None or not indices:
        return
    if not domain.profile.pages:
        return
    state = freshness(app.builder)
    prefix = f"{domain.name}-"
    if any(output.startswith(prefix) for output in state.current):
        return  # genindex-all and the split pages come after genindex
    toctrees = sorted(app.env.toctree_includes.items())
    kept = []
    for entry in indices:
        name, index, content, collapse = entry
        key = (content, collapse, str(index.localname), toctrees)
        if name.startswith(prefix) and state.fresh(name, key, [output_file(app.builder, name)]):
            continue
        kept.append(entry)
    indices[:] = kept


def _save(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        save_freshness(app.builder)


def setup_freshness(app: Sphinx) -> None:
    app.connect("html-page-context", skip_fresh_indices)
    # after every other handler of ours has said what it generated
    app.connect("build-finished", _save, priority=900)
