"""The tag vocabulary ``caselog_tags``: aliases, titles, descriptions, unknown tags, bad files.

``test-vocab-yaml`` reads tags.yml: "mass surveillance" (aliases mass-surveillance and
bulk collection), privacy, ``no`` (title Norway, description ``1.10``: YAML 1.1 would
make them false and 1.1) and encryption (no details). cases.md tags cases with
aliases and one unknown tag, cases_rst.rst another; lists.md and lists_rst.rst filter
by canonical tags, aliases and unknown tags.

``test-vocab-broken`` is one case (privacy, whatever) and a ``:tags: whatever``
listing; each test writes its own tags.yml.
"""

from __future__ import annotations

import itertools
import shutil
from io import StringIO
from pathlib import Path

import pytest
from helpers import (
    ROOTS,
    Warning,
    caselog_warnings,
    clear_asset_cache,
    edit,
    html_of,
    line_of,
    no_traceback,
    read_docs,
    status_of,
    tag_page_parts,
    warnings_of,
)
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.testing.util import SphinxTestApp
from sphinx.util.docutils import docutils_namespace, patch_docutils

ROOT = ROOTS / "test-vocab-yaml"
#: the same vocabulary as tags.yml, as a dict in conf.py
AS_DICT = {
    "mass surveillance": {
        "title": "Mass surveillance",
        "description": "Indiscriminate collection, at scale.",
        "aliases": ["mass-surveillance", "bulk collection"],
    },
    "privacy": {"title": "Privacy", "description": "The right to respect for private life."},
    "no": {"title": "Norway", "description": "1.10"},
    "encryption": None,
}


@pytest.fixture(scope="module")
def vocab_html(module_build) -> SphinxTestApp:
    return module_build("vocab-yaml")


@pytest.fixture(scope="module")
def vocab_dict_html(module_build) -> SphinxTestApp:
    return module_build("vocab-yaml", caselog_tags=AS_DICT)


def section_listing(app, docname: str, section_id: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(case id, [(tag href, tag text)]) for each item of the listing under *section_id*."""
    section = html_of(app, docname).find("section", id=section_id)
    result = []
    for item in section.select("div.caselog-listing p.caselog-item"):
        tags = [(a["href"], a.get_text(strip=True)) for a in item.find_all("a")[1:]]
        result.append((item.a["href"].partition("#")[2], tags))
    return result


MASS = ("tags/mass-surveillance.html", "Mass surveillance")
PRIVACY = ("tags/privacy.html", "Privacy")


# -- aliases and titles -----------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["vocab_html", "vocab_dict_html"])
def test_aliases_list_cases_under_the_canonical_tag(request, fixture: str) -> None:
    app = request.getfixturevalue(fixture)
    expected = [("bulk", [MASS]), ("hyphen", [MASS, PRIVACY])]
    assert section_listing(app, "lists", "canonical") == expected
    # an alias in a filter is the canonical tag too
    assert section_listing(app, "lists", "by-alias") == expected
    # the case's own badges show the vocabulary's title
    bulk = html_of(app, "cases").find(id="bulk")
    assert [(a["href"], a.get_text(strip=True)) for a in bulk.select(".caselog-tags a")] == [MASS]
    # so does a role naming the alias
    para = next(p for p in html_of(app, "lists").find_all("p") if p.get_text().startswith("See"))
    assert [(a["href"], a.get_text(strip=True)) for a in para.find_all("a")] == [MASS]
    # one page for the tag and its aliases
    outdir = Path(app.outdir)
    assert not (outdir / "tags" / "bulk-collection.html").exists()
    title, _, groups = tag_page_parts(html_of(app, "tags/mass-surveillance"))
    assert (title, groups) == ("Mass surveillance", [("2014", ["bulk"]), ("2013", ["hyphen"])])


@pytest.mark.parametrize("fixture", ["vocab_html", "vocab_dict_html"])
def test_tag_pages_show_the_vocabulary_title_and_description(request, fixture: str) -> None:
    app = request.getfixturevalue(fixture)
    assert tag_page_parts(html_of(app, "tags/privacy"))[:2] == (
        "Privacy",
        "The right to respect for private life.",
    )
    assert tag_page_parts(html_of(app, "tags/mass-surveillance"))[:2] == (
        "Mass surveillance",
        "Indiscriminate collection, at scale.",
    )
    # an entry without details: its own name, no description
    assert tag_page_parts(html_of(app, "tags/encryption"))[:2] == ("encryption", None)
    # a tag outside the vocabulary keeps its spelling
    assert tag_page_parts(html_of(app, "tags/not-in-vocab"))[:2] == ("not in vocab", None)


def test_yaml_values_stay_text(vocab_html: SphinxTestApp) -> None:
    """Composed, not constructed: ``no`` is a tag, not False; ``1.10`` is not 1.1."""
    app = vocab_html
    assert tag_page_parts(html_of(app, "tags/no"))[:2] == ("Norway", "1.10")
    norway = html_of(app, "cases").find(id="norway")
    assert [a.get_text(strip=True) for a in norway.select(".caselog-tags a")] == [
        "Norway",
        "encryption",
    ]
    assert section_listing(app, "lists", "norway-and-privacy") == []
    assert not [w for w in caselog_warnings(app) if "'no'" in w.message]


def test_the_vocabulary_path_is_relative_to_the_configuration_folder(tmp_path: Path) -> None:
    """conf.py and tags.yml in one folder, the documents in another (``sphinx-build -c``)."""
    srcdir, confdir = tmp_path / "src", tmp_path / "conf"
    shutil.copytree(ROOT, srcdir, ignore=shutil.ignore_patterns("conf.py", "tags.yml"))
    confdir.mkdir()
    for name in ("conf.py", "tags.yml"):
        shutil.copy(ROOT / name, confdir / name)
    status, warning = StringIO(), StringIO()
    clear_asset_cache()
    with patch_docutils(confdir), docutils_namespace():
        app = Sphinx(
            srcdir, confdir, tmp_path / "out", tmp_path / "doctrees", "html",
            status=status, warning=warning,
        )  # fmt: skip
        app.build()
    assert not [w for w in caselog_warnings(app) if w.type == "caselog.vocabulary"]
    assert {w.file for w in caselog_warnings(app)} == {f for f, _, _ in _unknown_tag_warnings()}
    assert section_listing(app, "lists", "by-alias") == [
        ("bulk", [MASS]),
        ("hyphen", [MASS, PRIVACY]),
    ]


# -- unknown tags -----------------------------------------------------------------------------


def _unknown_tag_warnings() -> set[tuple[str, int, str]]:
    return {
        # at the :tags: option's line, like every option warning
        ("cases.md", line_of(ROOT, "cases.md", ":tags: privacy, not in vocab"), "not in vocab"),
        ("cases_rst.rst", line_of(ROOT, "cases_rst.rst", ":tags: Privacy, made up"), "made up"),
        ("lists.md", line_of(ROOT, "lists.md", ":tags: privacy, nonsense"), "nonsense"),
        ("lists_rst.rst", line_of(ROOT, "lists_rst.rst", ":all-tags:"), "invented"),
    }


@pytest.mark.parametrize("fixture", ["vocab_html", "vocab_dict_html"])
def test_tags_outside_the_vocabulary_warn_where_they_are_written(request, fixture: str) -> None:
    app = request.getfixturevalue(fixture)
    found = caselog_warnings(app)
    assert {w.type for w in found} == {"caselog.unknown_tag"}
    assert {w.level for w in found} == {"WARNING"}
    assert {(w.file, w.line) for w in found} == {(f, n) for f, n, _ in _unknown_tag_warnings()}
    for file, line, tag in _unknown_tag_warnings():
        (match,) = [w for w in found if (w.file, w.line) == (file, line)]
        assert repr(tag) in match.message, match
    assert len(found) == 4


def test_unknown_tags_are_still_tags(vocab_html: SphinxTestApp) -> None:
    app = vocab_html
    assert section_listing(app, "lists", "unknown-in-filter") == [
        ("hyphen", [MASS, PRIVACY]),
        ("stray", [PRIVACY, ("tags/not-in-vocab.html", "not in vocab")]),
        ("rst-stray", [PRIVACY, ("tags/made-up.html", "made up")]),
    ]


# -- broken or malformed vocabulary files ----------------------------------------------------

BROKEN = {
    "bad-yaml": ("privacy:\n  title: [unclosed\nother: 1\n", {2, 3}),
    "tab": ("privacy:\n\ttitle: Privacy\n", {2}),
    "two-documents": ("privacy:\n---\nother:\n", {2}),
    "top-level-list": ("- privacy\n- encryption\n", {1}),
    "tag-maps-to-list": ("privacy: [a, b]\n", {1}),
    "tag-maps-to-text": ("privacy: The right\n", {1}),
    "unknown-field": ("privacy:\n  title: Privacy\n  colour: red\n", {3}),
    "null-title": ("privacy:\n  title:\n", {2}),
    "nested-alias": ("privacy:\n  aliases: [[a]]\n", {2}),
    "duplicate-tag": ("privacy:\n  title: P\nencryption:\nprivacy:\n  title: Q\n", {4}),
    "duplicate-by-case": ("privacy:\n  title: P\nPrivacy:\n  title: Q\n", {3}),
    "alias-names-a-later-tag": (
        "privacy:\n  aliases: [secrecy, encryption]\nencryption:\n  title: E\n",
        {1, 2, 3},
    ),
    "alias-names-an-earlier-tag": (
        "encryption:\n  title: E\nprivacy:\n  title: P\n  aliases: [Encryption]\n",
        {3, 5},
    ),
    "alias-of-two-tags": (
        "privacy:\n  aliases: [secret]\nencryption:\n  aliases: [secret]\n",
        {3, 4},
    ),
}


@pytest.fixture
def broken(tmp_path: Path, make_app):
    """build(tags.yml text, **kwargs): a build of test-vocab-broken with that vocabulary."""
    builds = itertools.count()

    def build(text: str | None, **kwargs) -> SphinxTestApp:
        srcdir = tmp_path / f"vocab-broken-{next(builds)}"
        shutil.copytree(ROOTS / "test-vocab-broken", srcdir)
        if text is not None:
            (srcdir / "tags.yml").write_text(text, encoding="utf-8")
        clear_asset_cache()
        app = make_app("html", srcdir=srcdir, **kwargs)
        try:
            app.build()
        except SphinxError:  # a Sphinx that stops at the first error with -W
            app.statuscode = 1
        return app

    return build


def _assert_built_without_vocabulary(app: SphinxTestApp) -> None:
    no_traceback(app)
    assert not [w for w in caselog_warnings(app) if w.type == "caselog.unknown_tag"]
    soup = html_of(app, "index")
    listing = soup.find("div", class_="caselog-listing")
    assert [a["href"] for a in listing.select("p.caselog-item > a:first-child")] == ["#a-case"]
    assert (Path(app.outdir) / "tags" / "whatever.html").is_file()


def test_a_valid_vocabulary_is_used(broken) -> None:
    """The control for the tests below: with the file as shipped, ``whatever`` warns."""
    app = broken(None)
    found = [(w.file, w.type) for w in caselog_warnings(app)]
    assert found == [("index.md", "caselog.unknown_tag")] * 2
    assert app.statuscode == 0


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_vocabulary_is_one_located_error(broken, name: str) -> None:
    text, lines = BROKEN[name]
    app = broken(text)
    found = caselog_warnings(app)
    assert len(found) == 1, found
    (error,) = found
    assert (error.file, error.level, error.type) == ("tags.yml", "ERROR", "caselog.vocabulary")
    assert error.line in lines, error
    assert app.statuscode == 0
    _assert_built_without_vocabulary(app)


def test_a_vocabulary_error_names_the_tag_and_the_field(broken) -> None:
    (error,) = caselog_warnings(broken(BROKEN["unknown-field"][0]))
    assert "'privacy'" in error.message
    assert "'colour'" in error.message
    (error,) = caselog_warnings(broken(BROKEN["alias-names-an-earlier-tag"][0]))
    assert "'Encryption'" in error.message


@pytest.mark.parametrize(
    ("override", "file"),
    [
        pytest.param("missing.yml", "missing.yml", id="missing-file"),
        pytest.param({"privacy": {"colour": "red"}}, "conf.py", id="bad-dict"),
        pytest.param({"privacy": {}, "Privacy": {}}, "conf.py", id="duplicate-in-dict"),
    ],
)
def test_a_vocabulary_error_without_a_line_names_its_file(broken, override, file: str) -> None:
    app = broken(None, confoverrides={"caselog_tags": override})
    found = caselog_warnings(app)
    assert [(w.level, w.type) for w in found] == [("ERROR", "caselog.vocabulary")]
    assert found[0].file == file, found[0]
    _assert_built_without_vocabulary(app)


def test_a_broken_vocabulary_fails_a_build_with_warnings_as_errors(broken) -> None:
    """``-W``: the build goes on to the end (Sphinx ≥ 8.1), and fails."""
    app = broken(BROKEN["unknown-field"][0], warningiserror=True)
    assert app.statuscode != 0
    assert [w.type for w in caselog_warnings(app)] == ["caselog.vocabulary"]
    no_traceback(app)


def test_a_valid_vocabulary_passes_a_build_with_warnings_as_errors(broken) -> None:
    app = broken("privacy:\nwhatever:\n", warningiserror=True)
    assert app.statuscode == 0
    assert warnings_of(app) == []


# -- an edited vocabulary -------------------------------------------------------------------


def test_editing_the_vocabulary_file_rebuilds_what_depends_on_it(rebuilds) -> None:
    srcdir, build = rebuilds("vocab-yaml")
    first = build()
    assert tag_page_parts(html_of(first, "tags/privacy"))[0] == "Privacy"
    edit(srcdir / "tags.yml", "title: Privacy\n", "title: Private life\n")
    edit(srcdir / "tags.yml", "[mass-surveillance, bulk collection]", "[mass-surveillance]")
    edit(srcdir / "tags.yml", "encryption:\n", "encryption:\nbulk collection:\n")
    second = build()
    # every document with a case, a listing or a tag reference is read again; index is not
    assert read_docs(second) == {"cases", "cases_rst", "lists", "lists_rst"}, status_of(second)
    # the new title, on the tag page, the badges and the listings
    assert tag_page_parts(html_of(second, "tags/privacy"))[0] == "Private life"
    hyphen = html_of(second, "cases").find(id="hyphen")
    assert [a.get_text(strip=True) for a in hyphen.select(".caselog-tags a")] == [
        "Mass surveillance",
        "Private life",
    ]
    private = ("tags/privacy.html", "Private life")
    assert section_listing(second, "lists", "canonical") == [("hyphen", [MASS, private])]
    # "bulk collection" is a tag of its own now
    bulk = ("tags/bulk-collection.html", "bulk collection")
    assert section_listing(second, "lists", "by-alias") == [("bulk", [bulk])]
    assert tag_page_parts(html_of(second, "tags/bulk-collection"))[2] == [("2014", ["bulk"])]
    assert tag_page_parts(html_of(second, "tags/mass-surveillance"))[2] == [("2013", ["hyphen"])]
    # the warnings are those of a clean build: nothing new, nothing lost
    assert _located(caselog_warnings(second)) == _located(caselog_warnings(first))


def _located(found: list[Warning]) -> set[tuple[str, int | None, str | None]]:
    return {(w.file, w.line, w.type) for w in found}
