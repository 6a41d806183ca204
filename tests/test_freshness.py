"""What is generated from all cases is rendered and written only when it changed, and
rendered as Sphinx would (issue 17).

A copied ``test-domain-incremental`` (see ``test_incremental.py``) with feeds on: a
rebuild with no change leaves ``caselog.json``, the feeds, the tag pages and the
domain indices alone (their mtimes stay); an edit re-writes exactly those whose
content it changed, and a file that went missing comes back.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sphinx
from conftest import caselog_warnings, counts, edit, html_of, read_docs, status_of
from sphinx.util.i18n import format_date

from sphinx_caselog.config import _ONE_FIELD, CaselogConfig, _english_field
from sphinx_caselog.model import PartialDate

try:
    from sphinx.builders.html._assets import _file_checksum_inner
except ImportError:  # other Sphinx versions: no per-process checksum cache to clear
    _file_checksum_inner = None

GENERATED = [
    "caselog.json",
    "cases.atom",
    "tags/oldtag.atom",
    "tags/oldtag.html",
    "tags/keep.html",
    "case-tags.html",
    "case-sources.html",
    "case-timeline.html",
]


@pytest.fixture
def project(copy_root, make_app):
    """(srcdir, build): each build() is a new app on the same folder."""
    srcdir = copy_root("domain-incremental")

    def build():
        getattr(_file_checksum_inner, "cache_clear", lambda: None)()
        overrides = {"html_baseurl": "https://log.example.org/"}
        app = make_app("html", srcdir=srcdir, confoverrides=overrides)
        app.build()
        return app

    return srcdir, build


def export(outdir: Path) -> dict:
    return json.loads((outdir / "caselog.json").read_text(encoding="utf-8"))


def mtimes(outdir: Path) -> dict[str, int]:
    return {name: (outdir / name).stat().st_mtime_ns for name in GENERATED}


def test_a_rebuild_without_changes_renders_and_writes_nothing_generated(project) -> None:
    _, build = project
    first = build()
    outdir = Path(first.outdir)
    before = mtimes(outdir)
    # the keys live beside the environment: the output stays byte-identical
    (state_file,) = Path(first.doctreedir).glob("caselog-state-*.json")
    assert not (outdir / ".caselog-state.json").exists()
    state = state_file.stat().st_mtime_ns
    second = build()
    assert counts(second) == (0, 0, 0)
    assert mtimes(outdir) == before
    assert state_file.stat().st_mtime_ns == state
    assert "wrote caselog.json" in status_of(first)
    assert "wrote caselog.json" not in status_of(second)
    assert "Atom feeds" not in status_of(second)
    assert not caselog_warnings(second)
    # and what stayed is whole
    assert [c["id"] for c in export(outdir)["cases"]] == ["memo", "unrelated"]
    assert html_of(second, "case-timeline").select("section.caselog-index-group a")


def rebuild_after_edit(project, old: str, new: str):
    """Build, edit memo_page.md, build again: (second app, output folder, files re-written)."""
    srcdir, build = project
    outdir = Path(build().outdir)
    before = mtimes(outdir)
    edit(srcdir / "memo_page.md", old, new)
    second = build()
    assert read_docs(second) == {"memo_page"}
    after = mtimes(outdir)
    return second, outdir, {name for name in GENERATED if after[name] != before[name]}


def test_an_edit_rewrites_only_the_generated_files_it_changed(project) -> None:
    second, outdir, changed = rebuild_after_edit(
        project, "tags: oldtag, keep", "tags: oldtag, kept"
    )
    # the tag index, the export, the feeds (their entries' categories) and the pages of
    # the tags the case now shows; the Timeline and Source index show nothing new
    assert {"caselog.json", "case-tags.html", "cases.atom"} <= changed
    assert not {"case-timeline.html", "case-sources.html"} & changed
    assert export(outdir)["cases"][0]["tags"] == ["oldtag", "kept"]
    assert "kept" in html_of(second, "case-tags").get_text()


def test_a_reread_that_changes_nothing_leaves_the_files_alone(project) -> None:
    """A touched document is read again, so everything is derived again; what comes
    out the same is not written."""
    _, _, changed = rebuild_after_edit(project, "Body of the memo.", "Body of the memo.\n")
    assert not changed


@pytest.mark.skipif(
    sphinx.version_info < (8, 2),
    reason="Sphinx 8.1 writes nothing when no document is outdated: a missing generated "
    "file comes back with the next build that writes",
)
def test_a_generated_file_that_went_missing_comes_back(project) -> None:
    _, build = project
    first = build()
    outdir = Path(first.outdir)
    for name in ("caselog.json", "cases.atom", "tags/keep.html", "case-timeline.html"):
        (outdir / name).unlink()
    second = build()
    assert counts(second) == (0, 0, 0)
    for name in ("caselog.json", "cases.atom", "tags/keep.html", "case-timeline.html"):
        assert (outdir / name).exists(), name
    assert html_of(second, "case-timeline").select("section.caselog-index-group a")
    assert html_of(second, "tags/keep").select("section.caselog-tag-page")


def test_a_changed_setting_renders_again(project, make_app) -> None:
    srcdir, build = project
    first = build()
    outdir = Path(first.outdir)
    getattr(_file_checksum_inner, "cache_clear", lambda: None)()
    overrides = {"html_baseurl": "https://elsewhere.example.org/"}
    second = make_app("html", srcdir=srcdir, confoverrides=overrides)
    second.build()
    assert "https://elsewhere.example.org/" in (outdir / "cases.atom").read_text()


@pytest.mark.parametrize("language", ["en", "de", "fr", "ru", "pl", "ja", "ar", "fa"])
@pytest.mark.parametrize("fmt", ["%B %-d, %Y", "%B %Y", "%d. %B %Y", "%Y-%m-%d", "%b %d", "%A %d"])
def test_dates_formatted_a_field_at_a_time_are_what_sphinx_formats(language, fmt) -> None:
    """Listings format a date per case; the shortcut (a token showing one field is
    formatted once per value of it) must give Sphinx's own text for every day."""
    config = CaselogConfig(date_format=fmt)
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        expected = format_date(fmt, date=dt.datetime.combine(day, dt.time()), language=language)
        assert config.human_date(PartialDate(day.year, day.month, day.day), language) == expected
        day += dt.timedelta(days=3 if day.day > 3 else 1)


@pytest.mark.parametrize("token", sorted(_ONE_FIELD))
def test_english_fields_are_babels(token) -> None:
    """The default language's fields are written out, not asked of Babel: each
    value must be Babel's own text (years padded as Babel pads them)."""
    field = _ONE_FIELD[token]
    values = {"year": [1, 5, 99, 999, 1970, 2024, 9999], "month": range(1, 13)}
    for value in values.get(field, range(1, 32)):
        day = dt.datetime(
            value if field == "year" else 2000,
            value if field == "month" else 1,
            value if field == "day" else 1,
        )
        assert _english_field(token, value) == format_date(token, date=day, language="en")


def test_english_dates_leave_babels_locale_data_unloaded() -> None:
    """Babel's first use loads the language's CLDR data (70 ms, 4 MB): a build in
    Sphinx's default language showing dates in the default formats doesn't pay it."""
    code = (
        "import babel.localedata as data\n"
        "from sphinx_caselog.config import CaselogConfig\n"
        "from sphinx_caselog.model import PartialDate\n"
        "config = CaselogConfig()\n"
        "texts = [config.human_date(PartialDate(2024, m, d), 'en') for m in (1, 9) for d in (1, 30)]\n"
        "texts.append(config.human_date(PartialDate(2024, 5, None), 'en'))\n"
        "import json; print(json.dumps([texts, sorted(data._cache)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    texts, loaded = json.loads(out.stdout)
    assert texts == [
        "January 1, 2024", "January 30, 2024", "September 1, 2024", "September 30, 2024",
        "May 2024",
    ]  # fmt: skip
    assert loaded == []
