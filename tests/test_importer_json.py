"""Importer round trip, end to end (issue 9): front matter → import → build → caselog.json.

Whatever a well-formed post's front matter says — any text in its title and tags,
Markdown and YAML specials included — the catalogue built from the imported page gives
the same fields back; and so do its quote and sources.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import ROOTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.importer import ImportOptions, import_jekyll
from sphinx_caselog.slugs import tag_key

pytestmark = pytest.mark.slow

# Text a human would put in a post: letters (any script), digits, spaces and the
# punctuation that Markdown, YAML or HTML treat specially.
WORDS = (
    st.text(
        alphabet=st.one_of(
            st.characters(categories=["L", "N"]),
            st.sampled_from(list(" .,;!?-'\"()&<>[]*_`#:/%+=@$~^{}|\\")),
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: any(c.isalnum() for c in s))
)
TAGS = st.lists(
    st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12),
    min_size=1,
    max_size=4,
)
# The quote and the link text are Markdown in a post (``_x_`` is emphasis there, whose
# text is ``x``): plain words, so that the text written is the text read.
PLAIN = (
    st.text(
        alphabet=st.one_of(
            st.characters(categories=["L", "N"]), st.sampled_from(list(" .,;!?-'\"()"))
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: any(c.isalnum() for c in s))
)
DAYS = st.dates(min_value=__import__("datetime").date(1990, 1, 1))

#: the archive fields of a source that has no archived copy (issue 16)
NO_ARCHIVE = {"archive_url": None, "archive_date": None, "accessed": None}


def yaml_double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def post(title: str, day, tags: list[str], quote: list[str], source: str) -> str:
    paragraphs = "\n>\n".join(f"> {p}" for p in quote)
    return (
        "---\n"
        f"title: {yaml_double(title)}\n"
        "date: 2020-02-03 10:30:00 +0100\n"
        f"case_date: {day.isoformat()}\n"
        "tags:\n" + "".join(f"  - {yaml_double(t)}\n" for t in tags) + "---\n\n"
        f"{paragraphs}\n\n"
        "## Context and Discussion\n\nSome context.\n\n"
        f"## Source\n\n* [{source}](https://example.org/a/b)\n"
    )


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=WORDS,
    day=DAYS,
    tags=TAGS,
    quote=st.lists(PLAIN, min_size=1, max_size=2),
    source=PLAIN,
)
def test_front_matter_comes_back_in_caselog_json(title, day, tags, quote, source) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        posts = base / "_posts"
        posts.mkdir()
        (posts / "2020-02-03-the-case.md").write_text(
            post(title, day, tags, quote, source), encoding="utf-8"
        )
        src = base / "src"
        shutil.copytree(ROOTS / "test-importer-roundtrip", src)
        result = import_jekyll([posts], ImportOptions(out=src, force=True))
        assert not [m for m in result.messages if m.level == "error"], result.messages
        app = SphinxTestApp("caselog", srcdir=src)
        try:
            app.build()
        finally:
            app.cleanup()
        (case,) = json.loads((Path(app.outdir) / "caselog.json").read_text("utf-8"))["cases"]
    assert case["id"] == "the-case"
    assert case["title"] == title
    assert case["date"] == day.isoformat()
    assert case["published"] == "2020-02-03T10:30:00+01:00"
    assert case["tags"] == list(dict.fromkeys(tag_key(t) for t in tags))
    assert case["quote"] == "\n\n".join(quote)
    assert case["sources"] == [
        {
            "title": source,
            "url": "https://example.org/a/b",
            "publisher": "example.org",
            **NO_ARCHIVE,
        }
    ]
