"""The round trip: import ``tests/fixtures/jekyll/_posts``, build with ``-W``, read the HTML.

What each built case must carry is read from the posts themselves by an independent
oracle (PyYAML's BaseLoader, which keeps every scalar as the text written, and a few
regular expressions over the post's Markdown), never from the importer's output.
One import and one build serve the whole module.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from helpers import ROOTS, html_of, warnings_of
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.cli import main
from sphinx_caselog.slugs import tag_key

POSTS = Path(__file__).parent / "fixtures" / "jekyll" / "_posts"
SITE = "https://caselog.example.org"
KINDS = ["position", "ruling", "law", "report", "statement", "incident"]


class Expected(NamedTuple):
    slug: str
    title: str
    case_date: str | None
    published: str  # as written in the post (or its file name)
    tags: list[str]
    quote: list[str]  # the quote's paragraphs, as plain text
    sources: list[tuple[str, str]]  # (title, URL)
    see_also: list[str]  # URLs as written


def _plain(markdown: str) -> str:
    return re.sub(r"\[([^\[\]]*)\]\([^()]*\)", r"\1", markdown).strip()


def _section(body: str, *names: str) -> list[str]:
    lines: list[str] = []
    inside = False
    for line in body.splitlines():
        if line.startswith("## "):
            inside = line[3:].strip().lower() in names
        elif inside:
            lines.append(line)
    return lines


def expected(path: Path) -> Expected:
    """What the post says, read without the importer."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    _, front, body = text.split("---\n", 2)
    data = yaml.load(front, Loader=yaml.BaseLoader)  # every scalar a string, as written
    raw_tags = data.get("tag") or data.get("tags") or []
    tags = raw_tags.split() if isinstance(raw_tags, str) and "tag" not in data else raw_tags
    tags = [tags] if isinstance(tags, str) else tags
    quote_lines = []
    for line in body.strip().splitlines():
        if not line.startswith(">"):
            break
        quote_lines.append(line[1:].strip())
    paragraphs = [_plain(p) for p in "\n".join(quote_lines).split("\n\n")]
    paragraphs = [p for p in paragraphs if p and not p.startswith("--")]
    sources = []
    for line in _section(body, "source", "sources"):
        if match := re.fullmatch(r"\* \[(.*)\]\((.*)\)", line.strip()):
            sources.append((match[1], match[2]))
        elif match := re.fullmatch(r"\* <(.*)>", line.strip()):
            sources.append((match[1], match[1]))
    see_also = [
        match[1]
        for line in _section(body, "see also")
        if (match := re.fullmatch(r"\* \[.*\]\((.*)\)", line.strip()))
    ]
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-|\.md$", "", path.name)
    return Expected(
        slug,
        data["title"],
        data.get("case_date"),
        data.get("date", path.name[:10]),
        tags,
        paragraphs,
        sources,
        see_also,
    )


GOOD = sorted(p for p in POSTS.glob("20*.md") if not p.name.startswith(("2014-", "2023-")))


def instant(text: str) -> dt.datetime | dt.date:
    """A post's ``date`` the way Ruby reads it, with Python's own parser."""
    text = re.sub(r"\s*([+-]\d{2}):?(\d{2})$", r"\1:\2", text.strip())
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    srcdir = tmp_path_factory.mktemp("importer-roundtrip") / "src"
    shutil.copytree(ROOTS / "test-importer-roundtrip", srcdir)
    kind_tags = [arg for kind in KINDS for arg in ("--kind-tag", f"{kind}={kind}")]
    status = main(
        [
            "import-jekyll",
            str(POSTS),
            "--out",
            str(srcdir),
            "--site-url",
            SITE,
            "--quiet",
            *kind_tags,
        ]
    )
    assert status == 1  # the bad fixtures are refused; the others are converted
    app = SphinxTestApp("html", srcdir=srcdir, warningiserror=True)
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def test_the_fixtures_are_enough() -> None:
    assert len(GOOD) >= 10
    posts = [expected(p) for p in GOOD]
    assert any(len(p.quote) > 1 for p in posts)
    assert any(len(p.sources) > 1 for p in posts)
    assert any(p.case_date is None for p in posts)
    assert any("/tag/" in url for p in posts for url in p.see_also)
    assert any("/tag/" not in url for p in posts for url in p.see_also)


def test_build_has_no_warnings(built: SphinxTestApp) -> None:
    assert warnings_of(built) == []
    assert built.warning.getvalue() == ""


def test_only_the_good_posts_became_pages(built: SphinxTestApp) -> None:
    pages = {p.stem for p in Path(built.srcdir).glob("*.md")} - {"index"}
    assert pages == {expected(p).slug for p in GOOD}
    assert not (Path(built.srcdir) / "draft-not-published.md").exists()


@pytest.mark.parametrize("post", GOOD, ids=lambda p: p.stem[11:])
def test_built_case_carries_the_post(built: SphinxTestApp, post: Path) -> None:
    want = expected(post)
    soup = html_of(built, want.slug)
    heading = soup.find("h1")
    assert heading.get_text().rstrip("¶") == want.title
    article = soup.select_one("article.caselog-case")
    assert article is not None

    time = article.select_one("time.caselog-date")
    if want.case_date is None:
        assert time is None
    else:
        assert time["datetime"] == want.case_date

    shown_tags = [t.get_text() for t in article.select(".caselog-tags .caselog-tag")]
    assert [tag_key(t) for t in shown_tags] == list(dict.fromkeys(tag_key(t) for t in want.tags))

    quote = article.select_one("blockquote.caselog-quote")
    paragraphs = [
        p.get_text() for p in quote.find_all("p") if "attribution" not in p.get("class", [])
    ]
    assert paragraphs == want.quote

    sources = article.select(".caselog-sources li a")
    assert [(a.get_text(), a["href"]) for a in sources] == want.sources

    see_also = article.select(".caselog-see-also li a")
    assert len(see_also) == len(want.see_also)
    for link, url in zip(see_also, want.see_also, strict=True):
        if "/tag/" in url:
            assert tag_key(link.get_text()).replace(" ", "-") == url.strip("/").split("/")[-1]
            assert (
                not link["href"]
                .split("#")[0]
                .endswith(tuple(f"{p.slug}.html" for p in map(expected, GOOD)))
            )
        else:
            target = re.search(
                r"(?:\d{4}/\d{2}/\d{2}/|post_url \d{4}-\d{2}-\d{2}-)([a-z0-9-]+)", url
            )
            assert target is not None
            assert link["href"].startswith(f"{target[1]}.html")


@pytest.mark.parametrize("post", GOOD, ids=lambda p: p.stem[11:])
def test_published_is_the_same_instant(built: SphinxTestApp, post: Path) -> None:
    want = expected(post)
    records = {r.id: r for recs in built.env.domains["case"].cases.values() for r in recs}
    published = records[want.slug].published
    assert published is not None
    parse = dt.date.fromisoformat if len(published) == 10 else dt.datetime.fromisoformat
    assert parse(published) == instant(want.published)
    if isinstance(parse(published), dt.datetime):
        assert parse(published).utcoffset() == instant(want.published).utcoffset()  # type: ignore[union-attr]


def test_index_groups_cases_by_year(built: SphinxTestApp) -> None:
    index = html_of(built, "index")
    body = index.select_one("div.body, div[role=main]") or index
    toctree = body.select(".toctree-wrapper a")
    hrefs = [a["href"] for a in toctree]
    assert hrefs[0] == "years/2022.html"
    assert hrefs[-1] == "years/undated.html"
    assert all(h.startswith("years/") for h in hrefs)  # years only, no case pages
    year = html_of(built, "years/2020")
    links = [a["href"] for a in year.select(".toctree-wrapper a")]
    assert links == ["../whistleblower-hotline.html", "../guideline-revision.html"]
    undated = html_of(built, "years/undated")
    assert [a["href"] for a in undated.select(".toctree-wrapper a")] == [
        "../undated-advocacy-letter.html"
    ]


def test_a_dash_paragraph_ends_the_quote_as_its_attribution(built: SphinxTestApp) -> None:
    quote = html_of(built, "regional-court-bulk-retention").select_one("blockquote")
    assert quote.select_one("p.attribution").get_text().lstrip("—") == (
        "Regional Administrative Court, Second Chamber"
    )
    # An inner link of the quote stays a link; [...] elisions stay text.
    assert quote.find("a", href="https://dpa.example.org/opinions/2015-2")
    assert "strictly necessary. [...]" in quote.get_text()


def test_liquid_conversions_in_the_built_page(built: SphinxTestApp) -> None:
    article = html_of(built, "liquid-heavy-report").select_one("article.caselog-case")
    code = [pre.get_text() for pre in article.find_all("pre")]
    assert any("def incomplete(warrants):" in c for c in code)  # {% highlight %}
    assert any("{% include figure.html" in c for c in code)  # kept verbatim
    assert "placeholders such as {{ warrant_id }} mark" in article.get_text()  # {% raw %}
    context = article.select_one(".caselog-context")
    assert context.find("a", href=re.compile(r"^telecom-act-amendment\.html"))
    assert "Printed edition, page 12" in context.get_text()  # an unlinked source stays


def test_myst_active_text_stays_text(built: SphinxTestApp) -> None:
    article = html_of(built, "ombudsman-myst-traps").select_one("article.caselog-case")
    text = article.get_text()
    assert "{raw}" in text
    assert "(not-a-label)=" in text
    assert "% of searched devices: 3 in 100" in text
    assert ".. this was shown as code in Jekyll" in " ".join(p.get_text() for p in article("pre"))
    assert "{: .lead}" in article.select_one("blockquote").get_text()
    rubrics = [r.get_text() for r in article.select(".caselog-context p.rubric")]
    assert rubrics[1:] == ["Follow-up", "Reactions"]  # [0] is the context's own label
