"""The run and its report: the stages in order, over the whole batch.

Find the posts, give each an id of its own, read them (regular files only, size-limited),
index the batch for links, convert each post, then write every page or none. The
:class:`ImportResult` says what happened and how the CLI reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..urls import is_safe_url
from .base import ImportOptions, Log, Message, Progress, UsageError
from .files import Planned, check_targets, write_atomic
from .frontmatter import Post, parse_post
from .pages import YEARS_DIR, Page, convert_post, render_index, render_year, year_pages
from .parsing import anchors, post_headings
from .posts import Found, PostName, Unreadable, find_posts, parse_post_name, read_post
from .site import assign_ids, build_site


@dataclass
class ImportResult:
    """What an import did (or, with ``--dry-run``, would do), and how to report it."""

    out: Path
    dry_run: bool
    converted: list[str] = field(default_factory=list)  # post files
    #: Why each post that isn't converted was skipped: the errors of a refused post, or
    #: a note for a post Jekyll doesn't publish either.
    skipped: list[Message] = field(default_factory=list)
    refused: int = 0
    messages: list[Message] = field(default_factory=list)  # warnings and notes
    planned: list[Planned] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    kept: list[Planned] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    renamed: list[Message] = field(default_factory=list)  # posts whose id isn't their slug
    unsafe: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """Whether the batch was refused as a whole: then nothing is written."""
        return bool(self.conflicts or self.unsafe)

    @property
    def exit_status(self) -> int:
        return 1 if self.refused or self.blocked or self.failures else 0

    def _blocking(self) -> list[str]:
        lines = []
        for title, items in (
            ("unsafe targets", self.unsafe),
            ("files that exist (--force replaces them)", self.conflicts),
        ):
            if items:
                lines.append(f"{title}: {len(items)}")
                lines.extend(f"  {item}" for item in items)
        return lines

    def problems(self) -> list[str]:
        """Why the exit status is 1: what ``--quiet`` still prints (to stderr)."""
        lines = [str(m) for m in self.skipped if m.level == "error"]
        if self.blocked:
            lines += [f"nothing was written to {self.out}:", *self._blocking()]
        return lines + self.failures

    def summary(self) -> list[str]:
        """The report: converted, skipped with reasons, warnings and notes, per file."""
        warnings = [m for m in self.messages if m.level == "warning"]
        notes = [m for m in self.messages if m.level == "note"]
        lines = [f"converted: {len(self.converted)}"]
        if self.blocked:
            lines.append(f"  nothing was written to {self.out}:")
            lines.extend(f"  {line}" for line in self._blocking())
        elif self.dry_run:
            lines.append(f"  would write {len(self.planned)} files (--dry-run):")
            lines.extend(f"    {self.out.joinpath(*p.path.parts)}" for p in self.planned)
        else:
            lines.append(f"  wrote {len(self.written)} files in {self.out}")
        lines.extend(
            f"  kept {self.out.joinpath(*k.path.parts)}: it exists (--force replaces it)"
            for k in self.kept
        )
        lines.extend(f"  {failure}" for failure in self.failures)
        if self.renamed:
            lines.append(f"  renamed (another post has the slug): {len(self.renamed)}")
            lines.extend(f"    {m}" for m in self.renamed)
        lines.append(f"skipped: {len({m.file for m in self.skipped})}")
        lines.extend(f"  {m}" for m in self.skipped)
        lines.append(f"warnings: {len(warnings)}")
        lines.extend(f"  {m}" for m in warnings)
        lines.append(f"notes: {len(notes)}")
        lines.extend(f"  {m}" for m in notes)
        return lines


def import_jekyll(
    sources: Sequence[Path], options: ImportOptions, progress: Progress | None = None
) -> ImportResult:
    """Convert the posts named by *sources* into pages in ``options.out``; *progress* is
    called as each post is converted, with the number done and the total.

    Raises :class:`UsageError` when the command can't start (exit status 2).
    """
    out = options.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    if options.site_url and not is_safe_url(options.site_url):
        raise UsageError(f"--site-url {options.site_url!r}: not an http(s) URL")
    found, messages = find_posts(sources)
    result = ImportResult(out=out, dry_run=options.dry_run, messages=list(messages))
    run_log = Log("")
    # Here, not at the top: config.py imports Sphinx, which the importer otherwise never needs.
    from ..config import DEFAULT_KINDS  # noqa: PLC0415

    for kind in sorted(set(options.kind_tags.values()) - set(DEFAULT_KINDS)):
        run_log.note(
            None, f"kind {kind!r} is not a default kind: add it to caselog_kinds in conf.py"
        )

    named: list[PostName] = []
    logs: dict[str, Log] = {}
    for item in found:
        log = logs[item.file] = Log(item.file)
        name = parse_post_name(item)
        if isinstance(name, Message):
            log.messages.append(name)
        else:
            named.append(name)
    names, renamed = assign_ids(named)
    result.renamed = renamed

    posts: list[Post] = []
    unpublished: set[str] = set()
    for name in names:
        log = logs[name.file]
        try:
            data = read_post(name.path, name.folder)
        except Unreadable as err:
            log.error(None, str(err))
            continue
        post = parse_post(data, name, log)
        if post is None:
            continue
        if post.unpublished:
            # Not an error: Jekyll doesn't publish it either, so nothing is lost by waiting.
            unpublished.add(name.file)
            continue
        posts.append(post)

    # A post Jekyll doesn't publish is no link target: a link to it was broken there too.
    targets = [name for name in names if name.file not in unpublished]
    headings = {p.name.slug: anchors(post_headings(p.body, p.name.slug)) for p in posts}
    site = build_site(targets, posts, options.site_url, headings)
    pages: list[Page] = []
    for done, post in enumerate(posts, 1):
        page = convert_post(post, site, options, logs[post.name.file])
        if page is not None:
            pages.append(page)
        if progress is not None:
            progress(done, len(posts))
    result.converted = [page.post.name.file for page in pages]

    for item in found:
        log = logs[item.file]
        log.messages.sort(key=lambda m: m.line or 0)  # stable: a line's messages keep their order
        if item.file in unpublished:
            result.skipped.append(
                Message("note", item.file, None, "not published in Jekyll (published: false)")
            )
        if log.failed:
            result.refused += 1
            result.skipped.extend(m for m in log.messages if m.level == "error")
        result.messages.extend(m for m in log.messages if m.level != "error")
    result.messages.extend(run_log.messages)

    planned = [Planned(PurePosixPath(f"{p.post.name.slug}.md"), p.text, "case") for p in pages]
    years = year_pages(pages)
    planned += [
        Planned(PurePosixPath(YEARS_DIR, f"{name}.md"), render_year(title, slugs), "year")
        for name, (title, slugs) in years.items()
    ]
    if pages:
        planned.append(Planned(PurePosixPath("index.md"), render_index(list(years)), "index"))
    result.planned = planned
    write, result.kept, result.conflicts, result.unsafe = check_targets(out, planned, options.force)
    if result.blocked or options.dry_run:
        result.planned = write
        return result
    for planned_file in write:
        target = out.joinpath(*planned_file.path.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, planned_file.text)
        except OSError as err:
            result.failures.append(f"{target}: can't be written: {err.strerror or err}")
            continue
        result.written.append(target)
    return result


def convert_one(
    data: bytes, file_name: str, options: ImportOptions | None = None
) -> tuple[str | None, list[Message]]:
    """One post, imported alone: its page's text (None when refused) and the messages.

    Pure: nothing is read or written. Links to other posts stay links, as no other
    post is known.
    """
    options = options or ImportOptions(out=Path())
    name = parse_post_name(Found(Path(file_name), file_name, Path()))
    if isinstance(name, Message):
        return None, [name]
    log = Log(file_name)
    post = parse_post(data, name, log)
    if post is None:
        return None, log.messages
    headings = {name.slug: anchors(post_headings(post.body, name.slug))}
    page = convert_post(post, build_site([name], [post], options.site_url, headings), options, log)
    return (page.text if page else None), log.messages
