"""A whole generated blog (``importer_shapes.generate``), imported and built as a user would.

Every post Jekyll builds is converted; the result builds without a single warning
(what ``sphinx-build -W`` asks); no Liquid Jekyll would have run is left in a page;
every link between posts, fragment links included, lands on an element that exists;
and no post smuggled in a directive (the secret file is never shown). The 60-post
blog runs in the normal suite; the 500-post one is marked slow.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from bs4 import BeautifulSoup
from helpers import ROOTS, warnings_of
from importer_shapes import SITE, generate
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.cli import main

#: Liquid Jekyll runs: none of it may be left in a page (what ``raw`` shows is text).
LIQUID_RUN = ("{% raw", "{% endraw", "{% post_url", "{% link", "{{ site.", "relative_url")


class Blog(NamedTuple):
    count: int
    status: int
    summary: str
    app: SphinxTestApp
    secret: str
    pages: dict[str, BeautifulSoup]  # every HTML page, parsed once


@pytest.fixture(
    scope="module", params=[60, pytest.param(500, marks=pytest.mark.slow)], ids=lambda n: f"{n}"
)
def blog(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Blog]:
    count: int = request.param
    root = tmp_path_factory.mktemp(f"blog{count}")
    secret = root / "secret.txt"
    secret.write_text("SECRET-NEVER-SHOWN\n", encoding="utf-8")
    posts = root / "_posts"
    generate(posts, count, secret)
    # Beside the posts, what a careless folder holds: a symlink out of it.
    (root / "elsewhere.md").write_text("---\ntitle: Elsewhere\n---\n\n> Q.\n", encoding="utf-8")
    (posts / "2014-01-01-elsewhere.md").symlink_to(root / "elsewhere.md")
    srcdir = root / "src"
    shutil.copytree(ROOTS / "test-importer-roundtrip", srcdir)
    summary = root / "summary.txt"
    with summary.open("w", encoding="utf-8") as stream, contextlib.redirect_stdout(stream):
        status = main(["import-jekyll", str(posts), "--out", str(srcdir), "--site-url", SITE])
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        pages = {
            p.name: BeautifulSoup(p.read_text(encoding="utf-8"), "lxml")
            for p in Path(app.outdir).glob("*.html")
        }
        text = summary.read_text(encoding="utf-8")
        yield Blog(count, status, text, app, "SECRET-NEVER-SHOWN", pages)
    finally:
        app.cleanup()


def test_every_post_is_converted(blog: Blog) -> None:
    assert blog.status == 1  # only the symlink out of the folder is refused
    assert f"converted: {blog.count}\n" in blog.summary
    assert "skipped: 1\n" in blog.summary
    assert "2014-01-01-elsewhere.md: is a symlink to " in blog.summary
    cases = [p for p in Path(blog.app.srcdir).glob("*.md") if p.name != "index.md"]
    assert len(cases) == blog.count


def test_the_build_has_no_warning(blog: Blog) -> None:
    assert warnings_of(blog.app) == []


def test_no_liquid_jekyll_would_run_and_no_included_file_is_left(blog: Blog) -> None:
    texts = {name: soup.get_text() for name, soup in blog.pages.items()}
    for name, text in texts.items():
        for tag in LIQUID_RUN:
            assert tag not in text, (name, tag)
        assert blog.secret not in text, name  # no post smuggled in a directive
    # What raw shows is shown: the template in a code block, as on the Jekyll site.
    award = texts["award.html"]
    assert "{{ page.title }}" in award
    assert "{% for post in site.posts %}" in award


def test_every_link_between_posts_lands_on_an_element(blog: Blog) -> None:
    soups = blog.pages
    ids = {name: {e["id"] for e in soup.find_all(id=True)} for name, soup in soups.items()}
    checked = 0
    for name, soup in soups.items():
        for link in soup.select("div.body a[href], article a[href], main a[href]"):
            href = str(link["href"])
            if "://" in href or href.startswith("mailto:"):
                continue
            page, _, fragment = href.partition("#")
            target = page or name
            if not target.endswith(".html") or target not in soups:
                continue
            if fragment:
                assert fragment in ids[target], (name, href)
                checked += 1
    assert checked >= blog.count  # each post links to its headings; a third across posts
