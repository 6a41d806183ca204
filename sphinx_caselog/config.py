"""The ``caselog_*`` configuration values, declared once.

Each field of :class:`CaselogConfig` becomes a flat ``caselog_<name>`` value in
``conf.py``; its metadata gives the help text (which the docs' configuration table
is generated from) and what a change to it rebuilds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.i18n import date_format_mappings, date_format_re, format_date

from .archive import DEFAULT_ENDPOINT
from .i18n import _
from .slugs import slugify
from .urls import is_safe_url
from .warnings_ import CaselogWarning, file_location

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from .model import PartialDate

PREFIX = "caselog_"

DEFAULT_KINDS = {
    "position": "Position",
    "ruling": "Ruling",
    "law": "Law",
    "incident": "Incident",
    "statement": "Statement",
    "report": "Report",
}


def _is_str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_vocabulary(value: Any) -> bool:
    return isinstance(value, (dict, str))


def _is_slug_path(value: Any) -> bool:
    """A relative folder of slugs: it cannot leave the output directory."""
    return isinstance(value, str) and all(
        part and slugify(part) == part for part in value.split("/")
    )


def _is_seconds(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _is_positive(value: Any) -> bool:
    return _is_seconds(value) and value > 0


def _is_score(value: Any) -> bool:
    return _is_seconds(value) and value <= 100


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and is_safe_url(value)


def _is_patterns(value: Any) -> bool:
    """A list of regular expressions that compile."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return False
    try:
        for pattern in value:
            re.compile(pattern)
    except re.error:
        return False
    return True


def _limit(default: int, text: str, rebuild: str = "env") -> Any:
    """A ``caselog_max_*`` field: a count, its help, and its place in docs/security.md."""
    return field(default=default, metadata=_help(text, rebuild, check=_is_count))


def _help(
    text: str,
    rebuild: str = "env",
    types: tuple[type, ...] = (),
    check: Callable[[Any], bool] | None = None,
) -> dict[str, Any]:
    """A field's metadata: its help (the docs' table), what a change rebuilds, the
    types Sphinx accepts, and the check a value must pass (by default: the default's
    type exactly, so that ``True`` is no number)."""
    return {"help": text, "rebuild": rebuild, "types": types, "check": check}


@dataclass(frozen=True)
class CaselogConfig:
    """The extension's configuration, read from ``conf.py``."""

    kinds: dict[str, str] = field(
        default_factory=lambda: dict(DEFAULT_KINDS),
        metadata=_help(
            "Maps each allowed ``:kind:`` to its label (labels are translated).", check=_is_str_map
        ),
    )
    default_kind: str = field(
        default="position", metadata=_help("The kind of a case that gives no ``:kind:``.")
    )
    date_format: str = field(
        default="%B %-d, %Y",
        metadata=_help("How a full ``:date:`` is shown (Sphinx ``format_date``, localised)."),
    )
    month_format: str = field(default="%B %Y", metadata=_help("How a ``YYYY-MM`` date is shown."))
    publishers: dict[str, str] = field(
        default_factory=dict,
        metadata=_help(
            "Maps a host suffix to a publisher name, e.g. ``{'rfc-editor.org': 'IETF'}``. "
            "The longest matching suffix wins; a leading ``www.`` is ignored. "
            "Unmapped hosts are their own publisher.",
            rebuild="html",
            check=_is_str_map,
        ),
    )
    tags: dict[str, Any] | str = field(
        # "" rather than {}: Sphinx refuses a string for a dict-valued setting
        # from ``-D``, and a path is what one passes on the command line.
        default="",
        metadata=_help(
            "The tag vocabulary: a dict, or the path of a YAML file relative to the "
            "configuration directory, mapping each tag to ``title``, ``description`` and "
            "``aliases``. When set, tags outside it warn ``caselog.unknown_tag``.",
            types=(dict, str),
            check=_is_vocabulary,
        ),
    )
    tag_pages: bool = field(
        default=True,
        metadata=_help(
            "Write a page per tag, and an overview, for the html and dirhtml builders.", "html"
        ),
    )
    tag_pages_dir: str = field(
        default="tags",
        metadata=_help(
            "The output folder of the tag pages (a relative path of slugs).",
            "html",
            check=_is_slug_path,
        ),
    )

    json: bool = field(
        default=True,
        metadata=_help("Write ``caselog.json``, the catalogue as data, with every HTML build.", ""),
    )
    feed_length: int = field(
        default=30,
        metadata=_help(
            "How many cases ``cases.atom`` and the per-tag feeds hold, newest first "
            "(feeds need ``html_baseurl``).",
            "",
            check=_is_count,
        ),
    )

    max_title_length: int = _limit(
        300,
        "Longer titles are cut (with ``…``) and warn ``caselog.limit``.",
    )
    max_tags: int = _limit(
        30,
        "Tags past this many on one case are dropped, with a warning.",
    )
    max_sources: int = _limit(
        30,
        "Sources past this many on one case are dropped, with a warning.",
    )
    max_source_length: int = _limit(
        2000,
        "A source line longer than this many characters is cut and shown as text, with a warning.",
    )
    max_quote_length: int = _limit(
        10000,
        "A quote longer than this many characters is cut, with a warning.",
    )
    max_list_items: int = _limit(
        1000,
        "A ``caselist`` shows at most this many cases and links the Timeline for the rest.",
        rebuild="",
    )

    require_archive: bool = field(
        default=False,
        metadata=_help(
            "Warn ``caselog.no_archive`` for each source line without an archived copy."
        ),
    )
    archive_endpoint: str = field(
        default=DEFAULT_ENDPOINT,
        metadata=_help(
            "The Wayback-compatible availability API that ``sphinx-caselog archive`` asks "
            "for snapshots.",
            "",
            check=_is_url,
        ),
    )
    quotecheck_timeout: float = field(
        default=30.0,
        metadata=_help(
            "``quotecheck``: seconds to wait for a source (for its whole body).",
            "",
            (int, float),
            check=_is_positive,
        ),
    )
    quotecheck_retries: int = field(
        default=2,
        metadata=_help(
            "``quotecheck``: how often a timed-out or failing source is asked again.",
            "",
            check=_is_count,
        ),
    )
    quotecheck_workers: int = field(
        default=5,
        metadata=_help(
            "``quotecheck``: how many sources are fetched at once.",
            "",
            check=lambda v: _is_count(v) and v > 0,
        ),
    )
    quotecheck_rate_limit: float = field(
        default=1.0,
        metadata=_help(
            "``quotecheck`` and ``archive``: seconds between two requests to one host.",
            "",
            (int, float),
            check=_is_seconds,
        ),
    )
    quotecheck_rate_limit_timeout: float = field(
        default=300.0,
        metadata=_help(
            "The longest ``Retry-After`` (of a 429 or 503) that is waited for; a host "
            "asking for longer makes its sources unreachable.",
            "",
            (int, float),
            check=_is_seconds,
        ),
    )
    quotecheck_ignore: list[str] = field(
        default_factory=list,
        metadata=_help(
            "Regular expressions; a source URL (or archived copy) that one matches from its "
            "start is not fetched.",
            "",
            check=_is_patterns,
        ),
    )
    quotecheck_cache_ttl: float = field(
        default=86400.0,
        metadata=_help(
            "Seconds a fetched source stays in the cache under the output folder; 0 turns "
            "the cache off.",
            "",
            (int, float),
            check=_is_seconds,
        ),
    )
    quotecheck_threshold: float = field(
        default=85.0,
        metadata=_help(
            "The fuzzy score (0-100) from which a quote not found word for word counts "
            "as ``drifted`` rather than ``not found``.",
            "",
            (int, float),
            check=_is_score,
        ),
    )
    quotecheck_results: str = field(
        default="",
        metadata=_help(
            "The ``output.json`` of the last ``quotecheck`` run, from which HTML builds add a "
            "link to each verified quote in its source (relative to the configuration "
            "directory). Empty: ``quotecheck/output.json`` beside the HTML output folder.",
            "html",
        ),
    )

    @classmethod
    def from_sphinx(cls, config: Config) -> CaselogConfig:
        return cls(**{f.name: getattr(config, PREFIX + f.name) for f in dataclasses.fields(cls)})

    def kind_label(self, kind: str) -> str:
        """The kind's label, through the message catalog."""
        return _(self.kinds.get(kind, kind))

    def human_date(self, date: PartialDate, language: str | None) -> str:
        """A date as readers see it: partial stays partial, localised with *language*."""
        if date.month is None:
            return str(date.year)
        fmt = self.month_format if date.day is None else self.date_format
        return _format_date(fmt, date.first_day, language or "en")


@functools.lru_cache(maxsize=4096)
def _format_date(fmt: str, day: dt.date, language: str) -> str:
    # Memoised: Babel is slow, and listings show the same dates over and over.
    tokens = date_format_re.split(fmt)
    if all(token in _ONE_FIELD or token not in date_format_mappings for token in tokens):
        # Sphinx formats each token alone: one that shows a single field of the date
        # is formatted once per value of it (12 months, 31 days), not once per date.
        return "".join(
            _format_field(token, getattr(day, _ONE_FIELD[token]), language)
            if token in _ONE_FIELD
            else token
            for token in tokens
        )
    return format_date(fmt, date=dt.datetime.combine(day, dt.time()), language=language)


#: ``format_date`` tokens whose text depends on one field of the date only
_ONE_FIELD = {
    "%B": "month", "%b": "month", "%m": "month", "%-m": "month",
    "%d": "day", "%-d": "day", "%Y": "year",
}  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _format_field(token: str, value: int, language: str) -> str:
    if language == "en":
        return _english_field(token, value)
    field = _ONE_FIELD[token]
    day = dt.datetime(
        value if field == "year" else 2000,
        value if field == "month" else 1,
        value if field == "day" else 1,
    )
    return format_date(token, date=day, language=language)


#: CLDR's English month names, as Babel gives them for ``en``
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _english_field(token: str, value: int) -> str:
    """A field of a date in Sphinx's default language, without Babel: its first use
    loads the language's CLDR data (70 ms and 4 MB, in every build that shows a
    date). ``tests/test_freshness.py`` checks every value against Babel's."""
    if token in ("%B", "%b"):
        name = _EN_MONTHS[value - 1]
        return name if token == "%B" else name[:3]
    if token == "%Y":
        return f"{value:04d}"
    return f"{value:02d}" if token in ("%m", "%d") else str(value)


def config_rows() -> list[tuple[str, str, str, str]]:
    """(name, type, default, help) for each value: the docs' configuration table."""
    defaults = CaselogConfig()
    return [
        (PREFIX + f.name, str(f.type), repr(getattr(defaults, f.name)), f.metadata["help"])
        for f in dataclasses.fields(CaselogConfig)
    ]


def _same_type(default: Any) -> Callable[[Any], bool]:
    return lambda value: type(value) is type(default)


def check_config(app: Sphinx, config: Config) -> None:
    """Reset a value of the wrong shape to its default, with a ``caselog.config`` warning.

    Logging instead of raising keeps the message free of a traceback.
    """
    defaults = CaselogConfig()
    location = file_location(Path(app.confdir) / "conf.py")
    for f in dataclasses.fields(CaselogConfig):
        name = PREFIX + f.name
        value = getattr(config, name)
        check = f.metadata["check"] or _same_type(getattr(defaults, f.name))
        ok = check(value)
        if not ok:
            CaselogWarning.CONFIG(
                f"{name} must be a {f.type}, not {value!r}; using the default", location=location
            )
            setattr(config, name, getattr(defaults, f.name))
    if not config.caselog_kinds:
        CaselogWarning.CONFIG("caselog_kinds is empty; using the default kinds", location=location)
        config.caselog_kinds = defaults.kinds
    if config.caselog_default_kind not in config.caselog_kinds:
        first = next(iter(config.caselog_kinds))
        CaselogWarning.CONFIG(
            f"caselog_default_kind {config.caselog_default_kind!r} is not in caselog_kinds; "
            f"using {first!r}",
            location=location,
        )
        config.caselog_default_kind = first


def setup_config(app: Sphinx) -> None:
    defaults = CaselogConfig()
    for f in dataclasses.fields(CaselogConfig):
        app.add_config_value(
            PREFIX + f.name,
            getattr(defaults, f.name),
            f.metadata["rebuild"],
            types=f.metadata["types"] or (type(getattr(defaults, f.name)),),
            description=f.metadata["help"],
        )
    app.connect("config-inited", check_config, priority=400)
