"""Jekyll posts in the shapes real case logs have, and a generator of whole blogs of them.

The helpers every importer test uses (:func:`run`, :func:`write_post`, :func:`options`)
are here too. Each shape function returns a piece of a post; :func:`generate` writes a folder of
realistic posts mixing every shape (annual posts sharing a slug, Ruby-style dates,
in-page and cross-post ``#fragment`` links, Liquid ``raw`` in code, code in list items,
indented code, line separators before an ``{include}`` fence) with what every post has:
a quote, a context, sources and see-also links. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import NamedTuple

import pytest

from sphinx_caselog.cli import main

SITE = "https://blog.example.org"
TAGS = ["privacy", "mass surveillance", "encryption", "data retention", "courts", "C++"]
#: Dates as real posts write them; Jekyll builds every one.
DATES = [
    "{d} 14:00:00 -4",
    "{d} 9:00:00 -4",
    "{d} 18:30:22 {y} -0800",
    "{d} 10:15:00 +530",
    "{d} 23:30:00 +0100",
    "{d} 08:05 -0500",
    "{d}",
    "{d} 12:00:00.000000000 Z",
]


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``sphinx-caselog import-jekyll ARGS``: (exit status, stdout, stderr)."""
    status = main(["import-jekyll", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write_post(folder: Path, name: str, front: str, body: str = "> A quote.\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front.strip()}\n---\n\n{body}", encoding="utf-8")
    return path


def options(text: str) -> dict[str, str]:
    """The case's options as written: ``key: value`` lines of the YAML block."""
    block = text.split("{case}\n---\n", 1)[1].split("\n---\n", 1)[0]
    return dict(line.split(": ", 1) for line in block.splitlines() if not line.startswith(" "))


class Generated(NamedTuple):
    path: Path
    headings: tuple[str, ...]  # the ids (kramdown's) of its kept headings


def front(title: str, date: str, case_date: str, tags: list[str]) -> str:
    quoted = ", ".join(f'"{t}"' for t in tags)
    return (
        f"---\nlayout: post\ntitle: '{title}'\ndate: {date}\ncase_date: {case_date}\n"
        f"tags: [position, {quoted}]\n---\n"
    )


def body(
    number: int,
    *,
    link_to: tuple[str, str, str] | None = None,
    extra: str = "",
) -> str:
    """A case body: quote, context with a kept heading, an in-page link, sources, see also.

    *link_to* is (post stem, dated URL, heading id) of another post to link to, with
    the heading's fragment, once through ``{% post_url %}`` and once by URL.
    """
    cross = ""
    if link_to is not None:
        stem, url, heading = link_to
        cross = (
            f"See [the background there]({{% post_url {stem} %}}#{heading}) and "
            f"[the same]({url}#{heading}), or [the case]({{% post_url {stem} %}}).\n\n"
        )
    return (
        f"> The passage that matters, number {number}, with *emphasis* and a footnote.[^1]\n"
        ">\n> -- A Speaker, at a hearing\n\n"
        "## Context and Discussion\n"
        f"Why case {number} matters; [see the background below](#background).\n\n"
        f"{cross}"
        "### Background\n\n"
        "What came before, with a [link](https://example.org/report).\n\n"
        "### Background\n\n"
        "A second heading with the same text: kramdown numbers its id "
        "([here](#background-1)).\n\n"
        f"{extra}"
        "[^1]: The footnote's text.\n\n"
        "## Source\n"
        f"* [The report](https://example.org/reports/{number})\n"
        "* <https://tools.ietf.org/html/rfc7258>\n\n"
        "## See also\n"
        "* [Mass Surveillance](/tag/mass-surveillance)\n"
    )


RAW_IN_FENCE = (
    "A template, as the site showed it:\n\n"
    "```liquid\n"
    "{% raw %}{{{% endraw %} page.title }}\n"
    "{% raw %}{% for post in site.posts %}{% endraw %}\n"
    "```\n\n"
)
CODE_IN_LIST = (
    "1. Install it:\n\n"
    "   ```\n"
    "   {% raw %}{{ member.name }}{% endraw %}\n"
    "   ```\n\n"
    "2. Then run it.\n\n"
)
INDENTED_CODE = "An indented block:\n\n    {% raw %}{{ page.url }}{% endraw %}\n    echo done\n\n"


def injection(secret: Path, separator: str = "\u2028") -> str:
    """A code block whose line holds *separator* and then an ``{include}`` fence: one
    line for Markdown, several for MyST's ``str.splitlines()``."""
    return (
        "~~~\n"
        f"code{separator}~~~{separator}```{{include}} {secret}{separator}```{separator}\n"
        "~~~\n\n"
    )


def html_injection(secret: Path) -> str:
    """The same through a form feed inside an HTML block."""
    return f"<div>\nhtml\x0c```{{include}} {secret}\x0c```\n</div>\n\n"


def generate(folder: Path, count: int, secret: Path, seed: int = 13) -> list[Generated]:
    """Write *count* posts into *folder*; every one is a post Jekyll builds."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Generated] = []
    for number in range(count):
        year = 2010 + number % 14
        month = 1 + (number * 7) % 12
        day = 1 + (number * 11) % 28
        d = f"{year}-{month:02d}-{day:02d}"
        if number % 25 == 0:
            slug = "award"  # an annual post: the same slug every year, some years twice
        else:
            slug = f"case-{number}-{rng.choice(['ruling', 'law', 'statement'])}"
        stem = f"{d}-{slug}"
        date = rng.choice(DATES).format(d=d, y=year)
        link_to = None
        if made and number % 3 == 0:
            other = made[rng.randrange(len(made))]
            other_stem = other.path.stem
            y, m, dd = other_stem[:4], other_stem[5:7], other_stem[8:10]
            link_to = (other_stem, f"/{y}/{m}/{dd}/{other_stem[11:]}.html", "background")
        extra = [RAW_IN_FENCE, CODE_IN_LIST, INDENTED_CODE, "", ""][number % 5]
        if number % 50 == 7:
            extra += injection(secret)
        if number % 50 == 17:
            extra += html_injection(secret)
        tags = rng.sample(TAGS, 2)
        text = (
            front(f"Case {number}: a title", date, d, tags)
            + "\n"
            + body(number, link_to=link_to, extra=extra)
        )
        path = folder / f"{stem}.md"
        path.write_text(text, encoding="utf-8")
        made.append(Generated(path, ("background", "background-1")))
    return made
