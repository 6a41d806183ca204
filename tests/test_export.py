"""``caselog.json``: the catalogue as data, from html, dirhtml and the ``caselog`` builder.

Most tests read one html build of ``test-export-log`` made once per module
(``log_html``). The root holds, besides the usual cases:

* cases.md (MyST): ``full-case`` with every option (inline markup in its title, a
  two-paragraph quote, an alias tag, a see-also tag written through an alias),
  cases with a partial date, a ``:published:`` day, a naive time, a time in UTC,
  and ``bare``, a case with no optional field;
* specials.rst: a case whose title, quote, attribution and context contain
  ``</script>``, ``&``, ``<b>``, quotes and non-ASCII letters;
* sub/page.md: a case titled by its section, in a subfolder;
* unsafe.md (an orphan): a case with a ``javascript:`` source, the root's only
  warning (builds that must be warning-free exclude it);
* tags/about.md (an orphan): a document of the project's own in the folder of
  the tag pages.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    DOCS,
    ROOTS,
    SPECIAL_QUOTE,
    SPECIAL_TITLE,
    cases_of,
    edit,
    export_of,
    ids_in,
    line_of,
    page_file,
    raw_export,
    status_of,
)
from jsonschema import Draft202012Validator
from sphinx.testing.util import SphinxTestApp

import sphinx_caselog
import sphinx_caselog.export

ROOT = ROOTS / "test-export-log"
SCHEMA = sphinx_caselog.export.SCHEMA
BASEURL = "https://example.org/log/"

CASE_KEYS = {
    "id", "title", "kind", "date", "published", "tags", "sources", "attribution",
    "quote", "context", "see_also", "docname", "url", "location",
}  # fmt: skip
CASE_IDS = [
    "bare",
    "dated-only",
    "full-case",
    "index-case",
    "month-only",
    "naive-time",
    "published-day",
    "specials",
    "sub-case",
    "unsafe-case",
    "utc-later",
    "year-only",
]
#: What a source without an archived copy or access date exports besides title, url, publisher.
NO_ARCHIVE = {"archive_url": None, "archive_date": None, "accessed": None}


#: Not the caselog builder's: sphinx-design 0.6 copies its assets into the output
#: folder of every builder (at builder-inited); 0.8 does so only for HTML builders.
NOT_OURS = {".doctrees", "_sphinx_design_static"}


def written_files(outdir: Path) -> set[str]:
    """Every file in *outdir*, but Sphinx's doctrees and sphinx-design's assets."""
    return {
        p.relative_to(outdir).as_posix()
        for p in outdir.rglob("*")
        if p.is_file() and not NOT_OURS & set(p.relative_to(outdir).parts)
    }


def sphinx_build(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """``python -m sphinx ARGS`` in a process of its own; fails the test on an error."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", *map(str, args)],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def log_html(module_build) -> SphinxTestApp:
    return module_build("export-log")


@pytest.fixture(scope="module")
def data(log_html: SphinxTestApp) -> dict[str, Any]:
    return export_of(log_html.outdir)


# -- where and when it is written ------------------------------------------------------


def test_an_html_build_writes_the_export_at_the_root_of_the_output(log_html) -> None:
    outdir = Path(log_html.outdir)
    assert (outdir / "caselog.json").is_file()
    assert not list(outdir.glob("*/**/caselog.json"))
    # written through a temporary file, renamed: none is left, and the file is readable
    assert not list(outdir.rglob("*.tmp"))
    assert (outdir / "caselog.json").stat().st_mode & 0o777 == 0o644
    assert "caselog: wrote caselog.json" in status_of(log_html)


@pytest.mark.sphinx(
    "html",
    testroot="export-log",
    srcdir="export-log-nojson",
    confoverrides={"caselog_json": False},
    freshenv=True,
)
def test_caselog_json_false_turns_the_export_off(app) -> None:
    app.build()
    assert (Path(app.outdir) / "index.html").is_file()  # the build itself did happen
    assert not (Path(app.outdir) / "caselog.json").exists()


@pytest.mark.sphinx("caselog", testroot="export-log", srcdir="export-log-caselog", freshenv=True)
def test_the_caselog_builder_writes_only_the_export(app, log_html) -> None:
    app.build()
    outdir = Path(app.outdir)
    assert written_files(outdir) == {"caselog.json"}
    assert not list(outdir.rglob("*.html"))
    # it resolves and writes no page (that is what makes it quick)
    assert not re.search(r"writing output\.\.\. \[", status_of(app))
    assert "caselog: wrote caselog.json (12 cases)" in status_of(app)
    # the same catalogue, with the URLs of the html builder
    assert raw_export(outdir) == raw_export(log_html.outdir)


def test_the_caselog_builder_uses_the_html_builders_urls(module_build) -> None:
    """With ``html_link_suffix`` (clean URLs), the html pages link ``cases#…``; an export
    made by ``-b caselog`` must give the same URLs as the html build's."""
    conf = {"html_link_suffix": ""}
    html = module_build("export-log", "html", **conf)
    caselog = module_build("export-log", "caselog", **conf)
    html_urls = {c["id"]: c["url"] for c in export_of(html.outdir)["cases"]}
    assert html_urls["full-case"] == "cases#full-case"  # what the html pages link
    caselog_urls = {c["id"]: c["url"] for c in export_of(caselog.outdir)["cases"]}
    assert caselog_urls["full-case"] == "cases#full-case"
    assert caselog_urls == html_urls


# -- the document ----------------------------------------------------------------------


def test_top_level(data) -> None:
    assert set(data) == {"schema_version", "generator", "project", "cases", "tags", "sources"}
    assert data["schema_version"] == 1
    assert data["generator"] == {"name": "sphinx-caselog", "version": sphinx_caselog.__version__}
    assert data["project"] == "Export café"


def test_cases_tags_and_publishers_are_sorted(data) -> None:
    assert [c["id"] for c in data["cases"]] == CASE_IDS  # sorted, and every winning case
    names = [t["name"] for t in data["tags"]]
    assert names == sorted(names) == ["café", "encryption", "mass surveillance", "privacy"]
    publishers = [p["name"] for p in data["sources"]]
    assert publishers == sorted(publishers) == ["Example", "IETF", "curia.europa.eu"]


def test_every_case_has_every_field(data) -> None:
    for case in data["cases"]:
        assert set(case) == CASE_KEYS, case["id"]


def test_a_fully_specified_case(data) -> None:
    assert cases_of(data)["full-case"] == {
        "id": "full-case",
        "title": "Court strikes down bulk retention",  # *bulk*: markup stripped
        "kind": "ruling",
        "date": "2014-04",
        "published": "2018-04-05T23:30:00+01:00",
        # "bulk-spying" is an alias of "mass surveillance": resolved, and only once
        "tags": ["mass surveillance", "privacy"],
        "sources": [
            {
                "title": "Judgment C-293/12",
                "url": "https://curia.europa.eu/juris/liste.jsf?num=C-293/12",
                "publisher": "curia.europa.eu",
                **NO_ARCHIVE,
            },
            {
                "title": None,  # the line gave only the URL
                "url": "https://www.rfc-editor.org/rfc/rfc7258",
                "publisher": "IETF",
                **NO_ARCHIVE,
            },
        ],
        "attribution": "Court of Justice of the EU",
        "quote": "First paragraph of the quote.\n\nSecond paragraph of the quote.",
        "context": "The context, with emphasis.",
        "see_also": [
            {"type": "case", "target": "dated-only"},
            {"type": "tag", "target": "mass surveillance"},  # written tag:Bulk-Spying
        ],
        "docname": "cases",
        "url": "cases.html#full-case",
        "location": {"file": "cases.md", "line": line_of(ROOT, "cases.md", "{case} Court strikes")},
    }


def test_an_unset_optional_field_is_null(data) -> None:
    bare = cases_of(data)["bare"]
    assert {key: bare[key] for key in CASE_KEYS - {"id", "title", "docname", "url"}} == {
        "kind": "position",  # the default kind
        "date": None,
        "published": None,
        "tags": [],
        "sources": [],
        "attribution": None,
        "quote": None,
        "context": None,
        "see_also": [],
        "location": {
            "file": "cases.md",
            "line": line_of(ROOT, "cases.md", "{case} Nothing optional"),
        },
    }


@pytest.mark.parametrize(
    ("case_id", "date", "published"),
    [
        ("year-only", "2013", None),
        ("month-only", "2010-09", None),
        ("dated-only", "2018-04-06", None),
        ("published-day", None, "2017-01-01"),
        ("naive-time", None, "2016-06-01T12:00:00"),
        ("full-case", "2014-04", "2018-04-05T23:30:00+01:00"),
        ("utc-later", "2018-04", "2018-04-05T23:00:00+00:00"),
    ],
)
def test_dates_as_written_and_published_with_its_offset(data, case_id, date, published) -> None:
    case = cases_of(data)[case_id]
    assert (case["date"], case["published"]) == (date, published)


def test_an_unsafe_source_has_no_url_and_keeps_its_text(data) -> None:
    assert cases_of(data)["unsafe-case"]["sources"] == [
        {"title": "Click me <javascript:alert(document.cookie)>", "url": None, "publisher": None, **NO_ARCHIVE},
        {"title": None, "url": "https://example.org/safe", "publisher": "Example", **NO_ARCHIVE},
    ]  # fmt: skip


def test_special_characters_are_exported_as_plain_text(data) -> None:
    special = cases_of(data)["specials"]
    assert special["title"] == SPECIAL_TITLE
    assert special["quote"] == SPECIAL_QUOTE
    assert special["attribution"] == "Zoë & <i>co</i>"
    assert special["context"] == "Context with é & <tag>."
    assert special["location"] == {
        "file": "specials.rst",
        "line": line_of(ROOT, "specials.rst", "case:: Title with"),
    }
    cafe = next(t for t in data["tags"] if t["name"] == "café")
    assert (cafe["title"], cafe["description"]) == ("Café & <Bar>", 'Tea & "coffee" </script>')


def test_a_case_titled_by_its_section_in_a_subfolder(data) -> None:
    sub = cases_of(data)["sub-case"]
    assert sub["title"] == "A case in a subfolder"
    assert sub["quote"] == "The heading is the title."
    assert sub["docname"] == "sub/page"
    assert sub["url"] == "sub/page.html#sub-case"
    assert sub["location"] == {
        "file": "sub/page.md",
        "line": line_of(ROOT, "sub/page.md", "{case}"),
    }
    assert sub["tags"] == ["café"]  # written "Café"


def test_tags(data) -> None:
    assert data["tags"] == [
        {
            "name": "café",
            "slug": "cafe",
            "title": "Café & <Bar>",
            "description": 'Tea & "coffee" </script>',
            "cases": ["specials", "sub-case"],
        },
        {
            "name": "encryption",
            "slug": "encryption",
            "title": "encryption",
            "description": None,
            "cases": ["index-case", "month-only"],
        },
        {
            "name": "mass surveillance",
            "slug": "mass-surveillance",
            "title": "Mass surveillance",
            "description": "Collection at scale.",
            "cases": ["full-case", "utc-later"],
        },
        {
            "name": "privacy",
            "slug": "privacy",
            "title": "Privacy",
            "description": None,
            "cases": ["dated-only", "full-case", "specials"],
        },
    ]


def test_publishers(data) -> None:
    assert data["sources"] == [
        {
            "name": "Example",
            "hosts": ["example.org", "news.example.org"],
            "cases": ["unsafe-case", "year-only"],
        },
        {"name": "IETF", "hosts": ["rfc-editor.org"], "cases": ["full-case"]},
        {"name": "curia.europa.eu", "hosts": ["curia.europa.eu"], "cases": ["full-case"]},
    ]


def test_tag_and_publisher_cases_are_cases_of_the_export(data) -> None:
    cases = cases_of(data)
    for tag in data["tags"]:
        assert tag["cases"] == sorted(tag["cases"])
        assert tag["cases"] == sorted(i for i, c in cases.items() if tag["name"] in c["tags"])
    for publisher in data["sources"]:
        assert publisher["cases"] == sorted(
            i
            for i, c in cases.items()
            if any(s["publisher"] == publisher["name"] for s in c["sources"])
        )


def test_locations_point_at_the_directive(data) -> None:
    for case in data["cases"]:
        file, line = case["location"]["file"], case["location"]["line"]
        assert not Path(file).is_absolute()
        lines = (ROOT / file).read_text(encoding="utf-8").splitlines()
        assert re.search(r"(\{case\}|case::)", lines[line - 1]), (case["id"], lines[line - 1])


def test_urls_point_at_the_case_in_the_html_output(log_html, data) -> None:
    for case in data["cases"]:
        path, _, anchor = case["url"].partition("#")
        assert anchor, case["url"]
        assert path == f"{case['docname']}.html"
        file = page_file(log_html.outdir, path)
        assert file.is_file(), case["url"]
        assert anchor in ids_in(file), case["url"]


@pytest.mark.sphinx("dirhtml", testroot="export-log", srcdir="export-log-dirhtml", freshenv=True)
def test_dirhtml_urls_point_at_the_case(app) -> None:
    app.build()
    cases = cases_of(export_of(app.outdir))
    assert cases["sub-case"]["url"] == "sub/page/#sub-case"
    assert cases["full-case"]["url"] == "cases/#full-case"
    for case in cases.values():
        path, _, anchor = case["url"].partition("#")
        file = page_file(app.outdir, path)
        assert file.is_file(), case["url"]
        assert anchor in ids_in(file), case["url"]


@pytest.mark.sphinx(
    "singlehtml", testroot="export-log", srcdir="export-log-singlehtml", freshenv=True
)
def test_singlehtml_urls_point_at_the_case(app) -> None:
    """singlehtml is an HTML build too: its export's URLs must lead to the case."""
    app.build()
    for case in export_of(app.outdir)["cases"]:
        assert case["url"].count("#") == 1, case["url"]
        if "orphan" in app.env.metadata[case["docname"]]:
            continue  # singlehtml leaves orphan documents out of its one page
        path, _, anchor = case["url"].partition("#")
        file = page_file(app.outdir, path or "index.html")
        assert file.is_file(), case["url"]
        assert anchor in ids_in(file), case["url"]


# -- JSON, deterministically -----------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise AssertionError(f"{name} in the export")


def test_only_json_values(log_html) -> None:
    """NaN, Infinity or anything a default= would have stringified never get in."""

    def check(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str), where
                check(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                check(item, f"{where}[{index}]")
        else:
            assert value is None or isinstance(value, (str, int, bool)), (where, value)
            assert not isinstance(value, float) or math.isfinite(value), where

    text = raw_export(log_html.outdir).decode("utf-8")
    check(json.loads(text, parse_constant=_reject_constant), "$")


def test_the_file_is_sorted_indented_utf8_with_a_final_newline(log_html) -> None:
    raw = raw_export(log_html.outdir)
    assert "é".encode() in raw
    assert b"\\u00e9" not in raw
    assert b"\\u" not in raw
    assert raw.endswith(b"}\n")
    assert not raw.endswith(b"\n\n")
    assert b"\r" not in raw
    text = raw.decode("utf-8")
    orders: list[list[str]] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        orders.append([key for key, _ in pairs])
        return dict(pairs)

    json.loads(text, object_pairs_hook=hook)
    assert len(orders) > 20
    for keys in orders:
        assert keys == sorted(keys)
    lines = text.splitlines()
    assert lines[0] == "{"
    assert '  "cases": [' in lines  # a fixed indent of two spaces
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, line
        assert "\t" not in line[:indent]


@pytest.mark.slow
def test_builds_are_byte_identical_whatever_the_hash_seed_timezone_or_jobs(copy_root, tmp_path):
    """Three sphinx-build processes of the same sources: the export and every feed agree."""
    srcdir = copy_root("export-log")
    runs = {
        "a": ({"PYTHONHASHSEED": "1", "TZ": "UTC"}, []),
        "b": ({"PYTHONHASHSEED": "4242", "TZ": "Asia/Kathmandu"}, []),
        "c": ({"PYTHONHASHSEED": "77", "TZ": "America/St_Johns"}, ["-j", "2"]),
    }
    outputs = {}
    for name, (env, extra) in runs.items():
        outdir = tmp_path / name
        sphinx_build("-b", "html", "-D", f"html_baseurl={BASEURL}", *extra, srcdir, outdir, env=env)
        files = [outdir / "caselog.json", *sorted(outdir.rglob("*.atom"))]
        outputs[name] = {f.relative_to(outdir).as_posix(): f.read_bytes() for f in files}
    reference = outputs["a"]
    assert {"caselog.json", "cases.atom", "tags/privacy.atom", "tags/cafe.atom"} <= set(reference)
    for name in ("b", "c"):
        assert set(outputs[name]) == set(reference), name
        for path, content in reference.items():
            assert outputs[name][path] == content, (name, path)


# -- the schema ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_export_of_a_test_root_is_valid(validator, data) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["cases"][0].pop("location"),
        lambda d: d["cases"][0].update(extra=1),
        lambda d: d["cases"][0].update(date="April 2014"),
        lambda d: d["cases"][0].update(published="2018-04-05 23:30"),
        lambda d: d["cases"][0]["sources"].append({"title": "x", "url": "javascript:x", "publisher": None, **NO_ARCHIVE}),
        lambda d: d["cases"][0]["sources"].append({"title": "x", "url": None, "publisher": None, **NO_ARCHIVE, "accessed": "March 2024"}),
        lambda d: d["tags"][0].update(slug="Not A Slug"),
        lambda d: d.update(schema_version=2),
    ],
    ids=["missing-field", "extra-field", "bad-date", "bad-published", "unsafe-url", "bad-accessed", "bad-slug", "version"],
)  # fmt: skip
def test_the_schema_rejects_what_the_contract_forbids(validator, data, spoil) -> None:
    spoilt = json.loads(json.dumps(data))
    spoil(spoilt)
    assert not validator.is_valid(spoilt)


def test_the_export_of_the_demo_log_is_valid(validator, tmp_path) -> None:
    """``sphinx-build -b caselog docs OUT``: only caselog.json (and .doctrees), valid."""
    outdir = tmp_path / "out"
    sphinx_build("-b", "caselog", DOCS, outdir, env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert written_files(outdir) == {"caselog.json"}
    assert not list(outdir.rglob("*.html"))
    demo = export_of(outdir)
    assert len(demo["cases"]) >= 5
    assert demo["tags"]
    assert demo["sources"]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(demo)]
    assert errors == []


# -- incremental builds ----------------------------------------------------------------


def test_the_export_follows_edits_additions_and_deletions(copy_root, make_app) -> None:
    srcdir = copy_root("export-log")
    first = make_app("html", srcdir=srcdir)
    first.build()
    before = cases_of(export_of(first.outdir))
    assert before["full-case"]["tags"] == ["mass surveillance", "privacy"]
    assert "unsafe-case" in before

    edit(srcdir / "cases.md", "Court strikes down *bulk* retention", "Court *rewrites* retention")
    edit(srcdir / "cases.md", "tags: Mass Surveillance, bulk-spying, Privacy", "tags: Encryption")
    (srcdir / "added.md").write_text(
        "---\norphan: true\n---\n# Added\n\n"
        ":::{case} A case added later\n:id: added-case\n:date: 2019-01-01\n:tags: privacy\n\n"
        "> Added.\n:::\n",
        encoding="utf-8",
    )
    (srcdir / "unsafe.md").unlink()
    second = make_app("html", srcdir=srcdir)
    second.build()

    after = export_of(second.outdir)
    cases = cases_of(after)
    assert sorted(cases) == sorted({*CASE_IDS, "added-case"} - {"unsafe-case"})
    assert cases["full-case"]["title"] == "Court rewrites retention"
    assert cases["full-case"]["tags"] == ["encryption"]
    assert cases["added-case"]["url"] == "added.html#added-case"
    assert cases["added-case"]["location"] == {"file": "added.md", "line": 6}
    tags = {t["name"]: t["cases"] for t in after["tags"]}
    assert tags["encryption"] == ["full-case", "index-case", "month-only"]
    assert tags["mass surveillance"] == ["utc-later"]
    assert tags["privacy"] == ["added-case", "dated-only", "specials"]
    publishers = {p["name"]: p for p in after["sources"]}
    assert publishers["Example"]["cases"] == ["year-only"]
    assert publishers["Example"]["hosts"] == ["news.example.org"]
