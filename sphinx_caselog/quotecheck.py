"""``quotecheck``: is each case's quote really in its sources? Checking, results, deep links.

:func:`check` takes one :class:`QuoteJob` per case with a quote. Every source URL
is fetched once (on the fetcher's worker pool, politely), read as text, and
every quote citing it is matched there; a source whose original does not hold
the quote (or can't be reached) is then read from its archived copy. Each case
gets one :class:`CaseResult`: ``found`` (with the source that holds it),
``drifted`` (the best score and the snippet), ``not found``, ``unreachable``
(the HTTP status or error), or ``ignored`` (every source matched
``caselog_quotecheck_ignore``).

Results are written to ``output.txt`` and ``output.json``; later HTML builds
read the JSON (:func:`load_deep_links`) for text-fragment links to verified quotes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__
from .domain import case_domain
from .fetch import Fetcher
from .quotes import ExtractionError, Match, extract_text, match_quote, normalise

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .domain import CaseDomain

OUTPUT_TXT = "output.txt"
OUTPUT_JSON = "output.json"
#: Best first: a case's result is the best of its sources'.
RANK = {"found": 0, "drifted": 1, "not found": 2, "unreachable": 3, "ignored": 4}


class QuoteJob(NamedTuple):
    """A case to check: where it is, its quote, its sources as (URL, archived copy)."""

    case: str
    docname: str
    file: str
    line: int
    quote: str
    sources: tuple[tuple[str, str | None], ...]


class Reading(NamedTuple):
    """One URL read, and the match of every quote that cites it (by case id)."""

    url: str
    http_status: int | None
    error: str | None
    matches: dict[str, Match]


class SourceResult(NamedTuple):
    url: str
    archive_url: str | None
    checked: str | None  # the URL this result was read from: the original or its archived copy
    status: str
    score: float | None
    snippet: str | None
    fragment: str | None
    error: str | None
    http_status: int | None


class CaseResult(NamedTuple):
    case: str
    docname: str
    file: str
    line: int
    status: str
    source: SourceResult | None  # the best source (None when the case has none)

    @property
    def message(self) -> str:
        """One line for people: what was found where, or why not."""
        source = self.source
        if source is None:
            return f"{self.status}: the case has no http(s) source"
        where = source.checked or source.url
        if self.status == "found":
            return f"found in {where}"
        if self.status in {"drifted", "not found"}:
            return f"{self.status} (best match {source.score:g}%) in {where}: {source.snippet!r}"
        if self.status == "unreachable":
            return f"unreachable: {source.error} ({where})"
        return f"ignored: {source.url} matches caselog_quotecheck_ignore"


def quote_jobs(domain: CaseDomain) -> list[QuoteJob]:
    """One job per case with a quote, by id, with its http(s) sources."""
    jobs = []
    for case_id, record in sorted(domain.catalogue.by_id.items()):
        if not record.quote:
            continue
        sources = tuple((source.url, source.archive_url) for source in record.sources if source.url)
        jobs.append(
            QuoteJob(case_id, record.docname, record.source, record.lineno, record.quote, sources)
        )
    return jobs


def read(fetcher: Fetcher, url: str, quotes: dict[str, str], threshold: float) -> Reading:
    """Fetch *url*, read its text, and match every quote (case id → quote) citing it."""
    fetched = fetcher.get(url)
    if not fetched.ok:
        return Reading(url, fetched.status, fetched.error, {})
    try:
        text = normalise(extract_text(fetched.body, fetched.content_type))
    except ExtractionError as err:
        return Reading(url, fetched.status, str(err), {})
    matches = {case: match_quote(quote, text, threshold) for case, quote in quotes.items()}
    return Reading(url, fetched.status, None, matches)


def check(
    jobs: Sequence[QuoteJob],
    fetcher: Fetcher,
    threshold: float,
    ignore: Sequence[re.Pattern[str]] = (),
    progress: Callable[[int, int, str], None] | None = None,
) -> list[CaseResult]:
    """The result of every job, in the jobs' order."""

    def ignored(url: str) -> bool:
        return any(pattern.match(url) for pattern in ignore)

    def read_all(wanted: Iterable[tuple[str, str, str]]) -> dict[str, Reading]:
        """Each (URL, case, quote) wanted: every URL read once, on the worker pool."""
        quotes: dict[str, dict[str, str]] = {}
        for url, case, quote in wanted:
            if not ignored(url):
                quotes.setdefault(url, {})[case] = quote
        return fetcher.map(quotes, lambda url: read(fetcher, url, quotes[url], threshold), progress)

    originals = read_all((url, job.case, job.quote) for job in jobs for url, _ in job.sources)
    first = {
        job.case: [
            _result(url, archive, originals.get(url), job.case) for url, archive in job.sources
        ]
        for job in jobs
    }
    # An archived copy is read only where the original did not hold the quote.
    archives = read_all(
        (result.archive_url, job.case, job.quote)
        for job in jobs
        for result in first[job.case]
        if result.archive_url and result.status not in {"found", "ignored"}
    )
    results = []
    for job in jobs:
        sources = []
        for original in first[job.case]:
            copy = archives.get(original.archive_url or "")
            if copy is None:
                sources.append(original)
                continue
            archived = _result(original.url, original.archive_url, copy, job.case,
                               checked=original.archive_url)  # fmt: skip
            sources.append(min(original, archived, key=_rank))
        best = min(sources, key=_rank, default=None)
        status = best.status if best is not None else "unreachable"
        results.append(CaseResult(job.case, job.docname, job.file, job.line, status, best))
    return results


def _rank(result: SourceResult) -> tuple[int, float]:
    return RANK[result.status], -(result.score or 0.0)


def _result(
    url: str,
    archive: str | None,
    reading: Reading | None,
    case: str,
    checked: str | None = None,
) -> SourceResult:
    """How one source (original or archived copy) fared; not read at all means ignored."""
    checked = checked or url
    if reading is None:
        return SourceResult(url, archive, None, "ignored", None, None, None, None, None)
    match = reading.matches.get(case)
    if match is None:
        status = reading.http_status
        return SourceResult(
            url, archive, checked, "unreachable", None, None, None, reading.error, status
        )
    return SourceResult(
        url,
        archive,
        checked,
        match.status,
        match.score,
        match.snippet or None,
        match.fragment,
        None,
        reading.http_status,
    )


# -- output ----------------------------------------------------------------------------


def results_data(results: Sequence[CaseResult]) -> dict[str, Any]:
    return {
        "generator": {"name": "sphinx-caselog", "version": __version__},
        "cases": [
            {
                "id": r.case,
                "status": r.status,
                "docname": r.docname,
                "location": {"file": r.file, "line": r.line},
                "message": r.message,
                "source": r.source._asdict() if r.source else None,
            }
            for r in sorted(results, key=lambda r: r.case)
        ],
    }


def results_text(results: Sequence[CaseResult]) -> str:
    """``output.txt``: one line per case, ``file:line: [status] id: message``, by location."""
    ordered = sorted(results, key=lambda r: (r.file, r.line, r.case))
    return "".join(f"{r.file}:{r.line}: [{r.status}] {r.case}: {r.message}\n" for r in ordered)


def summary(results: Sequence[CaseResult]) -> str:
    counts = dict.fromkeys(RANK, 0)
    for result in results:
        counts[result.status] += 1
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no quotes"


def deep_link(url: str, fragment: str) -> str:
    """*url* with a text fragment; a fragment the URL already has is kept before it."""
    return f"{url}{'' if '#' in url else '#'}:~:text={fragment}"


def results_path(builder: Builder) -> Path:
    """Where HTML builds read quotecheck results: configured, else beside the output folder."""
    configured: str = builder.config.caselog_quotecheck_results
    if configured:
        return Path(builder.confdir) / configured
    return Path(builder.outdir).parent / "quotecheck" / OUTPUT_JSON


def deep_links(builder: Builder) -> dict[tuple[str, str], str]:
    """The deep links of the last quotecheck run, read once per version of the file."""
    path = results_path(builder)
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _deep_links(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _deep_links(path: Path, mtime: int, size: int) -> dict[tuple[str, str], str]:
    return load_deep_links(path)


def outdated_by_results(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: re-write the pages whose cases gained or lost a deep link.

    The links a build used are kept on the environment; a new quotecheck run that
    changes them makes exactly the documents of those cases outdated.
    """
    if app.builder.format != "html":
        return []
    links = deep_links(app.builder)
    previous: dict[tuple[str, str], str] | None = getattr(env, "caselog_quote_links", None)
    env.caselog_quote_links = links  # type: ignore[attr-defined]
    if previous is None or previous == links:
        return []
    cases = {key[0] for key, _ in links.items() ^ previous.items()}
    domain = case_domain(env)
    return sorted(
        docname
        for docname, records in domain.cases.items()
        if any(record.id in cases for record in records)
    )


def setup_quotecheck(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated_by_results)


def load_deep_links(path: Path) -> dict[tuple[str, str], str]:
    """From a previous ``output.json``: (case id, source URL) → a link to the quote in it.

    Anything unreadable gives no links: a stale or foreign file must never break a build.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        links = {}
        for case in data["cases"]:
            source = case["source"]
            if case["status"] == "found" and source and source["fragment"]:
                link = deep_link(source["checked"] or source["url"], source["fragment"])
                links[str(case["id"]), str(source["url"])] = link
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return links
