"""Issue 13: real Jekyll posts, in the shapes real blogs have, all convert.

Each test writes posts of one shape (see ``importer_shapes.py``) and checks what a
user sees: the exit status and the summary, the page written, and for the injection
the built HTML. The whole-blog check (500 generated posts, built with ``-W``) is in
``test_importer_generated.py``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from importer_shapes import html_injection, injection, options, run, write_post
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.importer import convert_one, inline
from sphinx_caselog.importer.pages import myst_syntax

CONF = 'extensions = ["myst_parser", "sphinx_caselog"]\nmyst_enable_extensions = ["colon_fence"]\n'


def convert(front: str, body: str = "> Q.\n", name: str = "2014-05-01-a.md") -> tuple[str, str]:
    """A post converted alone: (page, every message as one text)."""
    text, messages = convert_one(f"---\n{front}\n---\n\n{body}".encode(), name)
    assert text is not None, messages
    return text, "\n".join(map(str, messages))


# -- slugs shared across years --------------------------------------------------------------


def test_posts_sharing_a_slug_all_convert_with_ids_of_their_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    for name in ("2023-05-08-award.md", "2024-01-12-award.md", "2024-06-01-award.md"):
        write_post(posts, name, f"title: Award {name[:10]}")
    write_post(posts, "2015-01-01-award-2024.md", "title: A post whose own slug is award-2024")
    links = [
        "[first]({% post_url 2023-05-08-award %})",
        "[second]({% post_url 2024-01-12-award %})",
        "[third](/2024/06/01/award.html)",
        "[fourth](/2015/01/01/award-2024/)",
    ]
    write_post(posts, "2025-01-01-linker.md", "title: Linker", "> Q.\n\n" + "\n\n".join(links))
    out = tmp_path / "out"
    status, summary, _ = run(capsys, posts, "--out", out)
    assert status == 0, summary
    pages = [p for p in out.glob("*.md") if p.name != "index.md"]
    ids = {p.stem: options(p.read_text(encoding="utf-8"))["id"] for p in pages}
    assert ids == {
        "award": "award",  # the oldest keeps the slug
        "award-2024-01-12": "award-2024-01-12",  # award-2024 is another post's slug
        "award-2024-06-01": "award-2024-06-01",
        "award-2024": "award-2024",
        "linker": "linker",
    }
    linker = (out / "linker.md").read_text(encoding="utf-8")
    assert "{case:ref}`first <award>`" in linker
    assert "{case:ref}`second <award-2024-01-12>`" in linker
    assert "{case:ref}`third <award-2024-06-01>`" in linker
    assert "{case:ref}`fourth <award-2024>`" in linker
    assert "renamed (another post has the slug): 2" in summary
    assert "2024-01-12-award.md:1: the slug 'award' is also 2023-05-08-award.md's" in summary
    # Stable: importing again gives the same pages.
    before = {p.name: p.read_bytes() for p in out.glob("*.md")}
    assert run(capsys, posts, "--out", out, "--force")[0] == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.md")} == before


def test_an_existing_user_file_still_stops_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2023-05-08-award.md", "title: One")
    write_post(posts, "2024-01-12-award.md", "title: Two")
    out = tmp_path / "out"
    out.mkdir()
    (out / "award-2024.md").write_text("mine\n", encoding="utf-8")
    status, summary, _ = run(capsys, posts, "--out", out)
    assert status == 1
    assert "files that exist (--force replaces them): 1" in summary
    assert sorted(p.name for p in out.iterdir()) == ["award-2024.md"]


# -- dates as Jekyll reads them --------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("2015-03-17 14:00:00 -4", "2015-03-17T14:00:00-04:00"),
        ("2016-03-23 9:00:00 -4", "2016-03-23T09:00:00-04:00"),
        ("2023-01-29 18:30:22 2023 -0800", "2023-01-29T18:30:22-08:00"),
        ("2019-11-02 10:15:00 +530", "2019-11-02T10:15:00+05:30"),
        ("2019-11-02 10:15 +05:30", "2019-11-02T10:15:00+05:30"),
        ("2019-11-02 10:15", "2019-11-02T10:15:00"),
        ("2019-11-02T10:15:00Z", "2019-11-02T10:15:00+00:00"),
        ("2019-11-02 10:15:00 GMT", "2019-11-02T10:15:00+00:00"),
        ("2019-3-7", "2019-03-07"),
    ],
)
def test_dates_jekyll_builds_are_read(written: str, published: str) -> None:
    text, _ = convert(f"title: T\ndate: {written}")
    assert options(text)["published"] == f'"{published}"'


@pytest.mark.parametrize(
    "written", ["yesterday", "2014-02-30", "2023-01-29 18:30:22 2022 -0800", "2014-05-01 +99"]
)
def test_an_unreadable_date_falls_back_to_the_file_name_with_a_note(written: str) -> None:
    text, messages = convert(f"title: T\ndate: {written}", name="2014-05-01-a.md")
    assert options(text)["published"] == '"2014-05-01"'
    assert f"2014-05-01-a.md:3: date {written!r}" in messages
    assert "the file name's date 2014-05-01 is used" in messages


# -- anchors ------------------------------------------------------------------------------------


ANCHORED = """> Q.

## Contents

[see below](#background), [the second](#background-1), [custom](#why), [gfm](#the-why-and-how)

### Background

One.

### Background

Two.

### The why, and how {#why}

[nowhere](#no-such-heading)
"""


def test_in_page_anchor_links_point_to_labels_of_their_headings() -> None:
    text, messages = convert("title: T", ANCHORED)
    for label, heading in [
        ("a--contents", "Contents"),
        ("a--background", "Background"),
        ("a--background-2", "Background"),
        ("a--why", "The why, and how"),
    ]:
        assert f"({label})=\n:::{{rubric}} {heading}\n" in text
    assert "[see below](#a--background)" in text
    assert "[the second](#a--background-2)" in text
    assert "[custom](#a--why)" in text
    assert "[gfm](#a--why)" in text  # GitHub-style ids name it too
    assert "{#why}" not in text
    # A fragment no heading has: the text stays, the link goes (it would fail the build).
    assert "\nnowhere\n" in text
    assert "in-page link to #no-such-heading names no heading of the post" in messages


def test_cross_post_fragment_links_point_to_the_other_posts_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2014-05-01-target.md", "title: Target", "> Q.\n\n## Background\n\nB.\n")
    write_post(
        posts,
        "2015-01-01-source.md",
        "title: Source",
        "> Q.\n\n[a]({% post_url 2014-05-01-target %}#background) "
        "[b](/2014/05/01/target.html#background) [c](/2014/05/01/target.html#nothing)\n",
    )
    status, summary, _ = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 0, summary
    source = (tmp_path / "out" / "source.md").read_text(encoding="utf-8")
    assert "[a](#target--background)" in source
    assert "[b](#target--background)" in source
    assert "{case:ref}`c <target>`" in source
    assert "the fragment #nothing names no heading of 'target'" in summary
    target = (tmp_path / "out" / "target.md").read_text(encoding="utf-8")
    assert "(target--background)=\n:::{rubric} Background" in target


# -- Liquid in code ----------------------------------------------------------------------------


def test_raw_in_a_fenced_block_is_unwrapped_as_jekyll_does() -> None:
    body = "> Q.\n\n```liquid\n{% raw %}{{{% endraw %} page.title }}\n```\n"
    text, _ = convert("title: T", body)
    assert "```liquid\n{{ page.title }}\n```" in text
    assert "raw %}" not in text


@pytest.mark.parametrize(
    "code",
    [
        "10. Step:\n\n    ```\n    {{ site.data.members }}\n    {% if x %}y{% endif %}\n    ```\n",
        "An indented block:\n\n    {{ site.data.members }}\n    {% if x %}y{% endif %}\n",
        "> ```\n> {{ site.data.members }}\n> {% if x %}y{% endif %}\n> ```\n",
    ],
    ids=["fence-in-list-item", "indented", "fence-in-quote"],
)
def test_liquid_in_any_code_block_is_kept_exactly_with_a_warning(code: str) -> None:
    text, messages = convert("title: T", "> Q.\n\nSome context.\n\n" + code)
    for line in code.splitlines():
        assert line in text.splitlines()  # the code unchanged: no backticks, no fence added
    assert "`{{" not in text
    assert "Liquid '{{ site.data.members }}' in a code block is kept verbatim" in messages


def test_raw_in_an_indented_block_and_a_list_item_is_unwrapped() -> None:
    body = (
        "> Q.\n\nIndented:\n\n    {% raw %}{{ page.url }}{% endraw %}\n\n"
        "* Item:\n\n  ```\n  {% raw %}{% for p in site.posts %}{% endraw %}\n  ```\n"
    )
    text, _ = convert("title: T", body)
    assert "\n    {{ page.url }}\n" in text
    assert "\n  {% for p in site.posts %}\n" in text


# -- MyST injection through line breaks only MyST sees ---------------------------------------


@pytest.mark.parametrize("shape", ["u2028", "form-feed-in-html"])
def test_a_line_break_only_myst_sees_never_smuggles_in_a_directive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n", encoding="utf-8")
    extra = injection(secret) if shape == "u2028" else html_injection(secret)
    post = write_post(tmp_path / "_posts", "2014-05-01-a.md", "title: T", f"> Q.\n\n{extra}")
    srcdir = tmp_path / "src"
    status, summary, _ = run(capsys, post, "--out", srcdir)
    assert status == 0, summary
    # Located on the line an editor shows, though the importer split it in several.
    line = 1 + post.read_text(encoding="utf-8").split("\n").index(extra.split("\n")[1])
    assert f"2014-05-01-a.md:{line}: a line break other than \\n (U+2028" in summary
    if shape == "u2028":  # MyST would have run it as a directive: it becomes code
        assert f"2014-05-01-a.md:{line}: code block marked '{{include}}" in summary
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        html = "".join(p.read_text(encoding="utf-8") for p in app.outdir.glob("*.html"))
    finally:
        app.cleanup()
    assert "TOP-SECRET-CONTENT" not in html


def test_the_check_reads_directives_as_myst_runs_them() -> None:
    hidden = "::::{case}\n---\nid: a\n---\n~~~\nx\u2028~~~\u2028```{include} /etc/passwd\u2028```\n~~~\n::::\n"
    assert myst_syntax(hidden).directives["include"] == 1
    assert myst_syntax("::::{case}\n---\nid: a\n---\n~~~\nx\n~~~\n::::\n").directives == {"case": 1}


# -- only regular files inside the posts folder ----------------------------------------------


def test_symlinks_out_of_the_folder_devices_and_big_files_are_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2014-05-01-good.md", "title: Good")
    outside = write_post(tmp_path / "elsewhere", "2014-05-01-private.md", "title: Private")
    (posts / "2014-05-02-outside.md").symlink_to(outside)
    (posts / "2014-05-04-inside.md").symlink_to(posts / "2014-05-01-good.md")
    big = posts / "2014-05-05-big.md"
    big.write_bytes(b"---\ntitle: Big\n---\n\n> " + b"x" * (1 << 20) + b"\n")
    status, summary, _ = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 1
    assert "2014-05-02-outside.md: is a symlink to " in summary
    assert "2014-05-05-big.md: is larger than 1048576 bytes: not read" in summary
    assert "converted: 2" in summary  # good, and inside (a symlink that stays inside)
    assert not (tmp_path / "out" / "private.md").exists()


def _limit_memory() -> None:
    """At most 2 GiB: a reader that tries to read /dev/zero whole fails, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_and_a_device_are_refused_without_blocking(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2014-05-01-good.md", "title: Good")
    os.mkfifo(posts / "2014-05-02-fifo.md")
    (posts / "2014-05-03-zero.md").symlink_to("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_caselog", "import-jekyll", str(posts), "--out",
         str(tmp_path / "out")],
        capture_output=True, text=True, timeout=60, check=False, preexec_fn=_limit_memory,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2014-05-02-fifo.md: is not a regular file" in done.stdout
    assert "2014-05-03-zero.md: is a symlink to /dev/zero, outside " in done.stdout
    assert (tmp_path / "out" / "good.md").exists()


# -- the command ------------------------------------------------------------------------------


def test_a_long_import_shows_its_progress_unless_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    for day in range(1, 61):
        write_post(posts, f"2014-{1 + day // 28:02d}-{1 + day % 28:02d}-p{day}.md", "title: T")
    status, _, err = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 0
    assert err.splitlines() == ["converted 60 of 60 posts"]  # not a terminal: the last line
    status, _, err = run(capsys, posts, "--out", tmp_path / "out2", "--quiet")
    assert (status, err) == (0, "")


def test_the_command_line_loads_no_sphinx_and_no_parser() -> None:
    code = (
        "import sys, sphinx_caselog.cli\n"
        "from sphinx_caselog.cli import build_parser\n"
        "build_parser().format_help()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sphinx', 'docutils', 'myst_parser', 'markdown_it', 'yaml'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- URLs urllib.parse rejects (issue 12's importer crashes) ------------------------------------

BAD_URLS = ["https://[foo]/x", "https://example.org]/x", "http://[::1/x"]


def import_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, *args: str
) -> tuple[str, str]:
    """One post with *body*, imported with *args*: (the summary, the page)."""
    post = write_post(tmp_path / "_posts", "2014-05-01-a.md", "title: T", body)
    status, summary, _ = run(capsys, post, "--out", tmp_path / "out", *args)
    assert status == 0, summary
    return summary, (tmp_path / "out" / "a.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_sources_item_urlsplit_rejects_stays_in_the_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    body = f"> Q.\n\n## Source\n* <{url}>\n* [Named]({url})\n* https://example.org/ok\n"
    summary, text = import_body(tmp_path, capsys, body)
    assert f"source item '<{url}>' is not an http(s) link: kept in the context" in summary
    assert "\nsource: |\n  https://example.org/ok\n---\n" in text
    assert f"[Named]({url})" in text  # nothing lost


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_body_link_urlsplit_rejects_is_kept_under_site_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    body = f"> Q.\n\nA [link]({url}) and <{url}>.\n\n## See also\n* [x]({url})\n"
    summary, text = import_body(tmp_path, capsys, body, "--site-url", "https://example.org")
    assert f"see-also item '[x]({url})' links to no imported post" in summary
    assert f"A [link]({url}) and <{url}>." in text


def test_a_target_line_a_code_span_runs_into_is_escaped() -> None:
    # Found by fuzzing the check: a code span across two lines hid the second line's
    # `(x)=` from the escaping, and MyST read a target, then a role, where the post had none.
    body = "> Q.\n\n```{include} /etc/passwd{ref}`a`\n(x)=```{include} /etc/passwd(x)=\n"
    text, messages = convert("title: T", body)
    assert "\n\\(x)=```{include}" in text
    assert "is MyST syntax at the start of a line: escaped" in messages


def test_a_heading_that_links_to_a_post_keeps_its_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by fuzzing: the check missed roles in a rubric's title and refused the post.
    posts = tmp_path / "_posts"
    write_post(posts, "2014-05-01-target.md", "title: Target")
    write_post(
        posts, "2015-01-01-a.md", "title: A", "> Q.\n\n## See [it](/2014/05/01/target.html)\n"
    )
    status, summary, _ = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 0, summary
    text = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    assert ":::{rubric} See {case:ref}`it <target>`\n" in text


@pytest.mark.parametrize(
    ("body", "written"),
    [
        # A lone backtick before a link to a post: the role's backticks paired with it.
        ("`[a](/2014/05/01/a.html)", "\\`{case:ref}`a <a>`"),
        # Liquid kept as code next to a backtick: the code span's fence grew.
        ("{% raw %}```[a](/2014/05/01/a.html)", "`{% raw %}` \\`\\`\\`{case:ref}`a <a>`"),
    ],
)
def test_backticks_next_to_what_the_importer_writes_stay_text(body: str, written: str) -> None:
    # Found by fuzzing the check: both pages were refused, as MyST read no role there.
    text, _ = convert("title: A", f"> Q.\n\n{body}\n")
    assert f"\n{written}\n" in text


def test_a_page_holding_syntax_the_importer_did_not_mean_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As if a conversion went wrong: the reference comes out as a role nobody wrote.
    monkeypatch.setattr(inline, "role", lambda name, target, text=None: "{eval-rst}`x`")
    body = "> Q.\n\nSee [it](/2014/05/01/a.html).\n"
    text, messages = convert_one(f"---\ntitle: A\n---\n\n{body}".encode(), "2014-05-01-a.md")
    assert text is None
    (error,) = [m for m in messages if m.level == "error"]
    assert "the page would hold MyST syntax the post does not have ({eval-rst})" in error.text
