"""``sphinx-caselog import-jekyll`` as a user runs it: ``main([...])``, exit statuses, the
printed summary, and the files on disk. No Sphinx builds here (see test_importer_build.py).

Posts are the fixtures in ``tests/fixtures/jekyll/_posts`` or small posts written into
``tmp_path`` by the test that needs them. Expected line numbers are computed from the
files, never written down.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import line_of, no_traceback

from sphinx_caselog.cli import main
from sphinx_caselog.jekyll import ImportOptions, convert_one

POSTS = Path(__file__).parent / "fixtures" / "jekyll" / "_posts"
DOCS = Path(__file__).parent.parent / "docs"


# -- helpers --------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main(["import-jekyll", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write_post(folder: Path, name: str, front: str, body: str = "> A quote.\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front.strip()}\n---\n\n{body}", encoding="utf-8")
    return path


def section(out: str, name: str) -> list[str]:
    """The indented lines under ``name:`` in the summary."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        block.append(line.strip())
    return block


def count(out: str, name: str) -> int:
    match = re.search(rf"^{name}: (\d+)$", out, re.MULTILINE)
    assert match, out
    return int(match[1])


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def page(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def options(text: str) -> dict[str, str]:
    """The case's options as written: ``key: value`` lines of the YAML block."""
    block = text.split("{case}\n---\n", 1)[1].split("\n---\n", 1)[0]
    return dict(line.split(": ", 1) for line in block.splitlines() if not line.startswith(" "))


# -- the command --------------------------------------------------------------------------------


def test_python_dash_m_and_the_console_script_are_the_same_command(tmp_path: Path) -> None:
    post = write_post(tmp_path / "_posts", "2014-05-01-a.md", "title: A")
    module = subprocess.run(
        [sys.executable, "-m", "sphinx_caselog", "import-jekyll", str(post), "--out",
         str(tmp_path / "m"), "--quiet"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert module.returncode == 0, module.stderr
    script = Path(sys.executable).with_name("sphinx-caselog")
    assert script.exists()
    scripted = subprocess.run(
        [str(script), "import-jekyll", str(post), "--out", str(tmp_path / "s"), "--quiet"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert scripted.returncode == 0, scripted.stderr
    assert files_in(tmp_path / "m") == files_in(tmp_path / "s")
    assert (tmp_path / "m" / "a.md").exists()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["import-jekyll"],
        ["import-jekyll", str(POSTS)],  # no --out
        ["import-jekyll", str(POSTS), "--out", "x", "--kind-tag", "ruling"],
        ["import-jekyll", str(POSTS), "--out", "x", "--kind-tag", "=ruling"],
        ["import-jekyll", str(POSTS), "--out", "x", "--kind-tag", "ruling=two words"],
        ["import-jekyll", str(POSTS), "--out", "x", "--site-url", "javascript:alert(1)"],
        ["import-jekyll", str(POSTS), "--out", "x", "--no-such-option"],
        ["no-such-command"],
    ],
)
def test_bad_usage_exits_2(
    args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    os.chdir(tmp_path)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert "usage:" in captured.err
    assert not (tmp_path / "x").exists()


def test_a_missing_source_an_empty_folder_or_a_file_as_out_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, tmp_path / "nowhere", "--out", tmp_path / "out")
    assert (status, "no such file or folder" in err) == (2, True)
    (tmp_path / "empty").mkdir()
    status, _, err = run(capsys, tmp_path / "empty", "--out", tmp_path / "out")
    assert (status, "no posts" in err) == (2, True)
    (tmp_path / "file").write_text("x")
    status, _, err = run(capsys, POSTS, "--out", tmp_path / "file")
    assert (status, "not a folder" in err) == (2, True)
    assert not (tmp_path / "out").exists()


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-jekyll", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--out", "--force", "--dry-run", "--kind-tag", "--drop-kind-tags",
                   "--site-url", "--quiet"):  # fmt: skip
        assert option in out


# -- the fixtures: converted, refused, reported ----------------------------------------------

BAD = {
    "2014-01-10-duplicate-keys.md": ("title: Second title", "duplicate key 'title'"),
    "2014-01-11-yaml-alias.md": ("&name", "anchors (&name) are refused"),
    "2014-01-12-binary-tag.md": ("summary: !!binary", "!!binary is refused"),
    "2014-01-13-set-tag.md": ("tags: !!set", "!!set is refused"),
    "2014-01-14-python-tag.md": (
        "case_date: !!python",
        "!!python/object/apply:os.system is refused",
    ),
    "2014-01-15-unclosed-front-matter.md": ("---", "never closed"),
    "2014-01-16-invalid-utf8.md": ("caf", "invalid UTF-8"),
    "2014-01-17-impossible-case-date.md": ("case_date", "'2014-02-30'"),
    "2014-01-18-bad-yaml.md": ("---", "not valid YAML"),
    "2014-02-30-impossible-file-date.md": ("---", "impossible date '2014-02-30' in the file name"),
}
# For the unclosed front matter and the file-name date, the error is on line 1 (the
# opening '---'); for the YAML syntax error, on the closing '---' where the list ends.
BAD_LINE_FIXUP = {
    "2014-01-15-unclosed-front-matter.md": 1,
    "2014-02-30-impossible-file-date.md": 1,
    "2014-01-18-bad-yaml.md": 5,
}


@pytest.fixture(scope="module")
def fixture_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, Path]:
    out = tmp_path_factory.mktemp("import") / "out"
    # One import for the module: capsys is per test, so capture by hand.
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["import-jekyll", str(POSTS), "--out", str(out)])
    return status, stdout.getvalue(), stderr.getvalue(), out


def test_refused_posts_exit_1_and_the_others_are_converted(
    fixture_import: tuple[int, str, str, Path],
) -> None:
    status, out, err, folder = fixture_import
    assert status == 1
    assert err == ""
    good = [p for p in POSTS.glob("20*.md") if p.name not in BAD]
    assert count(out, "converted") == len(good) - 1  # less the unpublished draft
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(
        [re.sub(r"^\d{4}-\d{2}-\d{2}-", "", p.name) for p in good if "draft" not in p.name]
        + ["index.md"]
    )


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_input_is_a_located_error(
    name: str, fixture_import: tuple[int, str, str, Path]
) -> None:
    _, out, _, _ = fixture_import
    needle, message = BAD[name]
    path = POSTS / name
    line = BAD_LINE_FIXUP.get(name) or line_of(path.parent, path.name, needle)
    skipped = section(out, "skipped")
    (entry,) = [s for s in skipped if s.startswith(str(path) + ":")]
    assert entry.startswith(f"{path}:{line}: "), entry
    assert message in entry
    no_traceback(out)


def test_the_summary_counts_and_lists_everything(
    fixture_import: tuple[int, str, str, Path],
) -> None:
    _, out, _, _ = fixture_import
    assert [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")] == [
        "converted", "skipped", "warnings", "notes",
    ]  # fmt: skip
    assert count(out, "skipped") == len(BAD) + 1
    assert f"{POSTS / '2023-01-15-draft-not-published.md'}: not published in Jekyll" in out
    assert count(out, "warnings") == len(section(out, "warnings"))
    assert count(out, "notes") == len(section(out, "notes"))
    # The README in _posts is not a post: noted, not refused.
    assert any("README.txt: ignored: not a post" in n for n in section(out, "notes"))


def test_liquid_is_reported_per_file_with_a_line(
    fixture_import: tuple[int, str, str, Path],
) -> None:
    _, out, _, _ = fixture_import
    post = POSTS / "2017-05-22-liquid-heavy-report.md"
    reported = section(out, "warnings") + section(out, "notes")
    for needle, words in [
        ("{% include figure.html", "kept verbatim in a literal block"),
        ("{% highlight python %}", "converted to a code block"),
        ("{% raw %}", "{% raw %} converted"),
        ("{{ site.baseurl }}", "{{ site.baseurl }} in a link converted"),
    ]:
        where = f"{post}:{line_of(post.parent, post.name, needle)}: "
        assert any(r.startswith(where) and words in r for r in reported), (needle, reported)
    other = POSTS / "2015-07-02-telecom-act-amendment.md"
    assert f"{other}:12: {{% post_url 2016-03-14-regional-court-bulk-retention %}}" in out


def test_missing_case_date_is_reported_and_never_invented(
    fixture_import: tuple[int, str, str, Path],
) -> None:
    _, out, _, folder = fixture_import
    post = POSTS / "2019-01-08-undated-advocacy-letter.md"
    assert f"{post}: no case_date: the case is undated" in out
    written = options(page(folder / "undated-advocacy-letter.md"))
    assert "date" not in written
    assert written["published"] == '"2019-01-08T18:00:00"'  # no offset invented either
    assert "undated-advocacy-letter" in page(folder / "years" / "undated.md")


def test_mapping_of_the_fixture_fields(fixture_import: tuple[int, str, str, Path]) -> None:
    _, _, _, folder = fixture_import
    court = page(folder / "regional-court-bulk-retention.md")
    written = options(court)
    assert written["id"] == "regional-court-bulk-retention"
    assert written["date"] == '"2016-02-29"'
    assert written["published"] == '"2016-03-14T09:15:00+01:00"'
    assert written["tags"] == "ruling, data retention, privacy, Location Data"
    assert "kind" not in written  # no --kind-tag for ruling: the default maps position only
    assert written["see-also"] == '"tag:data retention, tag:Location Data, telecom-act-amendment"'
    assert "source: |\n  Judgment 2 K 114/15 (full text) <https://courts.example.org/" in court
    assert "\n  https://dpa.example.org/opinions/2015-2\n" in court
    assert '# Regional Court Rules Blanket Retention of Location Data "Disproportionate"' in court
    # Front matter the case can't hold is kept, as written, in a comment.
    assert "% author: casebook editors" in court
    # A string of tags splits on spaces (Jekyll's rule); 'tag' is one tag.
    assert (
        options(page(folder / "telecom-act-amendment.md"))["tags"] == "law, surveillance, telecoms"
    )
    assert options(page(folder / "ombudsman-myst-traps.md"))["tags"] == "border searches"
    # YAML traps keep the text as written.
    assert "\n# no\n" in page(folder / "foi-refusal.md")
    revision = page(folder / "guideline-revision.md")
    assert "\n# 1\\.10\n" in revision or "\n# 1.10\n" in revision
    assert options(revision)["tags"] == "yes, on, 2014, report"


def test_year_pages_group_the_cases(fixture_import: tuple[int, str, str, Path]) -> None:
    _, _, _, folder = fixture_import
    index = page(folder / "index.md")
    entries = re.findall(r"^years/(\w+)$", index, re.MULTILINE)
    assert entries == ["2022", "2021", "2020", "2019", "2018", "2017", "2016", "2015", "undated"]
    assert sorted(p.stem for p in (folder / "years").glob("*.md")) == sorted(entries)
    assert re.findall(r"^\.\./(\S+)$", page(folder / "years" / "2019.md"), re.MULTILINE) == [
        "facial-recognition-guidance"
    ]


def test_links_between_posts_become_case_references(
    fixture_import: tuple[int, str, str, Path],
) -> None:
    _, _, _, folder = fixture_import
    # {% post_url %}, a site-relative permalink, and {{ site.baseurl }} + a date path.
    assert "{case:ref}`the regional court <regional-court-bulk-retention>`" in page(
        folder / "telecom-act-amendment.md"
    )
    assert "{case:ref}`amendment debated the year before <telecom-act-amendment>`" in page(
        folder / "regional-court-bulk-retention.md"
    )
    assert "{case:ref}`hotline <whistleblower-hotline>`" in page(folder / "guideline-revision.md")
    assert "{case:ref}`2015 amendment debate <telecom-act-amendment>`" in page(
        folder / "liquid-heavy-report.md"
    )
    # Without --site-url, an absolute link to the site is an ordinary link.
    assert "[earlier audit](https://caselog.example.org/2017/05/22/liquid-heavy-report.html)" in (
        page(folder / "ombudsman-myst-traps.md")
    )


def test_site_url_turns_absolute_links_into_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, _ = run(
        capsys, POSTS, "--out", tmp_path, "--site-url", "https://caselog.example.org/", "-q"
    )
    assert status == 1
    traps = page(tmp_path / "ombudsman-myst-traps.md")
    assert "{case:ref}`earlier audit <liquid-heavy-report>`" in traps
    assert options(traps)["see-also"] == '"tag:oversight, liquid-heavy-report"'


# -- writing safely ----------------------------------------------------------------------------


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, POSTS, "--out", tmp_path / "out", "--dry-run")
    assert status == 1  # posts are still refused
    assert not (tmp_path / "out").exists()
    planned = section(out, "converted")
    assert planned[0].startswith("would write")
    assert str(tmp_path / "out" / "index.md") in planned
    assert str(tmp_path / "out" / "years" / "2020.md") in planned


def test_quiet_prints_only_why_it_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, POSTS, "--out", tmp_path, "--quiet")
    assert status == 1
    assert out == ""
    assert len(err.splitlines()) == len(BAD)
    assert all(line.startswith(str(POSTS)) for line in err.splitlines())
    good = write_post(tmp_path / "ok", "2014-05-01-fine.md", "title: Fine\ncase_date: 2014")
    assert run(capsys, good, "--out", tmp_path / "ok-out", "--quiet") == (0, "", "")


def test_existing_files_are_conflicts_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2014-05-01-a.md", "title: A\ncase_date: 2014")
    write_post(posts, "2015-05-01-b.md", "title: B\ncase_date: 2015")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").write_text("mine\n")
    status, text, _ = run(capsys, posts, "--out", out)
    assert status == 1
    assert files_in(out) == {"a.md": b"mine\n"}  # not even b.md or the index
    assert f"    {out / 'a.md'}" in text.splitlines()
    assert "nothing was written" in text
    status, _, _ = run(capsys, posts, "--out", out, "--force")
    assert status == 0
    assert page(out / "a.md").startswith("% Imported from the Jekyll post 2014-05-01-a.md")


def test_force_twice_gives_byte_identical_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, POSTS, "--out", tmp_path / "one", "--force")
    first = files_in(tmp_path / "one")
    run(capsys, POSTS, "--out", tmp_path / "one", "--force")
    run(capsys, POSTS, "--out", tmp_path / "two")
    assert files_in(tmp_path / "one") == first == files_in(tmp_path / "two")
    for data in first.values():
        assert b"\r" not in data
        assert data.endswith(b"\n")
        assert not data.endswith(b"\n\n")
    assert not re.search(rb"20(2[4-9]|[3-9]\d)-\d\d-\d\d", b"".join(first.values()))


def test_index_is_written_only_if_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(tmp_path / "_posts", "2014-05-01-a.md", "title: A\ncase_date: 2014")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("# My own index\n")
    status, text, _ = run(capsys, post, "--out", out)
    assert status == 0  # an existing index is no conflict
    assert page(out / "index.md") == "# My own index\n"
    assert f"kept {out / 'index.md'}: it exists" in text
    assert (out / "a.md").exists()
    assert run(capsys, post, "--out", out, "--force")[0] == 0
    assert "years/2014" in page(out / "index.md")


def test_names_colliding_case_insensitively_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2014-05-01-Privacy-Shield.md", "title: One")
    write_post(posts, "2016-07-12-privacy-shield.md", "title: Two")
    write_post(posts, "2017-01-01-other.md", "title: Other")
    status, out, _ = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 1
    assert not (tmp_path / "out").exists()
    assert "name collisions: 1" in out
    assert "privacy-shield.md <- " in out
    assert "2014-05-01-Privacy-Shield.md" in out
    assert "2016-07-12-privacy-shield.md" in out


def test_a_post_named_index_collides_with_the_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(tmp_path / "_posts", "2014-05-01-index.md", "title: Index")
    status, out, _ = run(capsys, post, "--out", tmp_path / "out")
    assert status == 1
    assert "reserved" in out
    assert not (tmp_path / "out").exists()


def test_a_symlinked_folder_in_out_is_never_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(tmp_path / "_posts", "2014-05-01-a.md", "title: A\ncase_date: 2014")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "years").symlink_to(outside, target_is_directory=True)
    status, text, _ = run(capsys, post, "--out", out, "--force")
    assert status == 1
    assert "unsafe targets: 1" in text
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == ["years"]


def test_a_symlink_target_is_never_replaced_even_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(tmp_path / "_posts", "2014-05-01-a.md", "title: A\ncase_date: 2014")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").symlink_to(victim)
    status, text, _ = run(capsys, post, "--out", out, "--force")
    assert status == 1
    assert "is a symlink, which is never replaced" in text
    assert victim.read_text() == "keep me\n"
    assert (out / "a.md").is_symlink()


def test_a_permalink_or_file_name_never_escapes_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "deep" / "_posts"
    write_post(posts, "2014-05-01-..%2F..%2Fescape.md", "title: A\npermalink: ../../../escape.md")
    write_post(posts, "2014-05-02-b.md", "title: B\npermalink: /etc/passwd")
    out = tmp_path / "deep" / "out"
    status, _, _ = run(capsys, posts, "--out", out)
    assert status == 0
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md")} - {
        str(p.relative_to(tmp_path)) for p in posts.iterdir()
    }
    assert all(name.startswith("deep/out/") for name in written), written
    assert (out / "2f-2fescape.md").exists()


def test_writes_are_atomic_with_normal_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(tmp_path / "_posts", "2014-05-01-a.md", "title: A\ncase_date: 2014")
    out = tmp_path / "out"
    run(capsys, post, "--out", out)
    mask = os.umask(0)
    os.umask(mask)
    for path in out.rglob("*"):
        assert not path.name.startswith(".")  # no temporary file left behind
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_unpublished_posts_are_skipped_without_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2014-05-01-draft.md", "title: D\npublished: false")
    write_post(posts, "2014-05-02-quoted.md", "title: Q\npublished: 'false'")  # a string: published
    status, out, _ = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 0
    assert count(out, "skipped") == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["index.md", "quoted.md"]


# -- kinds and tags ---------------------------------------------------------------------------------


def convert(front: str, body: str = "> A quote.\n", **kwargs: object) -> tuple[str, list[str]]:
    """One post converted alone; its page's text and its messages as printed."""
    text, messages = convert_one(
        f"---\n{front.strip()}\n---\n\n{body}".encode(),
        "2014-05-01-post.md",
        ImportOptions(out=Path(), **kwargs),  # type: ignore[arg-type]
    )
    assert text is not None, messages
    return text, [str(m) for m in messages]


def test_the_default_kind_tag_is_position_and_stays_a_tag() -> None:
    text, _ = convert("title: T\ntags: [privacy, position]")
    assert options(text)["kind"] == "position"
    assert options(text)["tags"] == "privacy, position"


def test_kind_tags_replace_the_default_and_can_be_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(
        tmp_path / "_posts", "2014-05-01-a.md", "title: A\ntags: [position, Ruling, x]"
    )
    run(capsys, post, "--out", tmp_path / "o1", "--kind-tag", "ruling=ruling")
    assert options(page(tmp_path / "o1" / "a.md"))["kind"] == "ruling"  # position is no kind now
    assert options(page(tmp_path / "o1" / "a.md"))["tags"] == "position, Ruling, x"
    run(capsys, post, "--out", tmp_path / "o2", "--kind-tag", "ruling=ruling", "--drop-kind-tags")
    assert options(page(tmp_path / "o2" / "a.md"))["tags"] == "position, x"
    status, out, _ = run(capsys, post, "--out", tmp_path / "o3", "--kind-tag", "x=memo")
    assert status == 0
    assert "kind 'memo' is not a default kind: add it to caselog_kinds" in out


def test_jekyll_tag_rules() -> None:
    assert options(convert("title: T\ntags: mass surveillance  privacy")[0])["tags"] == (
        "mass, surveillance, privacy"
    )
    assert options(convert("title: T\ntag: mass surveillance")[0])["tags"] == "mass surveillance"
    assert (
        options(convert("title: T\ntags: ['  Mass  Surveillance ', [nested], ~, 1.10]")[0])["tags"]
        == '"  Mass  Surveillance , nested, 1.10"'
    )
    text, messages = convert("title: T\ntags: ['a, b', c]")
    assert options(text)["tags"] == "c"
    assert any(":3: tag 'a, b' holds a comma, which :tags: can't" in m for m in messages)


def test_a_date_with_a_time_stays_the_same_instant() -> None:
    for written, published in [
        ("2018-04-05 23:30:00 +0100", "2018-04-05T23:30:00+01:00"),
        ("2018-04-05T23:30:00Z", "2018-04-05T23:30:00+00:00"),
        ("2018-04-05 23:30", "2018-04-05T23:30:00"),
        ("2018-04-05 23:30:00.000000000 -05:00", "2018-04-05T23:30:00-05:00"),
        ("2018-04-05 23:30:00 UTC", "2018-04-05T23:30:00+00:00"),
    ]:
        text, _ = convert(f"title: T\ndate: {written}")
        assert options(text)["published"] == f'"{published}"', written
    text, _ = convert("title: T")  # no date: the file name's
    assert options(text)["published"] == '"2014-05-01"'


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("title: T\ndate: 2014-02-30", 3, "date '2014-02-30'"),
        ("title: T\ndate: yesterday", 3, "is not YYYY-MM-DD"),
        ("title: T\ncase_date: May 2014", 3, "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("title: [a, b]", 2, "title must be text, not a list"),
        ("- a\n- b", 2, "must be a mapping"),
        ("title: T\n<<: {a: 1}", 3, "merge keys"),
        ("title: !foo T", 2, "the YAML tag !foo is refused"),
        ("title: T\ncase_date: !!timestamp 2014-13-01", 3, "no month 13"),
    ],
)
def test_front_matter_errors_are_located(front: str, line: int, message: str) -> None:
    text, messages = convert_one(f"---\n{front}\n---\n".encode(), "2014-05-01-post.md")
    assert text is None
    errors = [m for m in messages if m.level == "error"]
    assert errors
    assert errors[0].line == line
    assert message in errors[0].text


def test_no_front_matter_is_an_error() -> None:
    text, messages = convert_one(b"> Just a quote.\n", "2014-05-01-post.md")
    assert text is None
    assert messages[0].line == 1
    assert "no front matter" in messages[0].text


# -- the body -----------------------------------------------------------------------------------


def test_other_sections_stay_in_the_context_under_their_heading() -> None:
    text, messages = convert(
        "title: T",
        "> Q.\n\n## Background\nOld story.\n\n## Context and Discussion\nNow.\n\n### Detail\nMore.\n",
    )
    body = text.split("\n---\n", 2)[2]
    assert body.index(":::{rubric} Background") < body.index("Old story.") < body.index("Now.")
    assert ":::{rubric} Detail" in body
    assert "Context and Discussion" not in body  # the directive has its own label
    assert any(":7: section 'Background' kept in the context" in m for m in messages)


def test_unknown_links_are_kept_and_reported() -> None:
    text, messages = convert(
        "title: T",
        "> Q.\n\n## Context and Discussion\n"
        "[about](/about/) and [rel](other.html) and [ext](https://example.org/x) "
        "and ![img](/img/a.png)\n",
    )
    assert "[about](/about/)" in text
    assert "[ext](https://example.org/x)" in text
    assert any("link '/about/' is relative" in m and "--site-url" in m for m in messages)
    assert any("link 'other.html' is relative" in m for m in messages)
    assert any("image '/img/a.png' is relative" in m for m in messages)
    text, messages = convert(
        "title: T", "> Q.\n\n[about](/about/)\n", site_url="https://blog.example.org/"
    )
    assert "[about](https://blog.example.org/about/)" in text
    assert any("made absolute with --site-url" in m for m in messages)


def test_see_also_to_an_unknown_tag_keeps_the_slug_with_a_note() -> None:
    text, messages = convert(
        "title: T\ntags: [privacy]",
        "> Q.\n\n## See also\n* [Privacy](/tag/privacy)\n* [Nope](/tag/no-such-tag/)\n"
        "* [Elsewhere](https://example.org/)\n",
    )
    assert options(text)["see-also"] == '"tag:privacy, tag:no-such-tag"'
    assert any("see-also tag 'no-such-tag'" in m and "kept as the tag name" in m for m in messages)
    assert ":::{rubric} See also" in text
    assert "* [Elsewhere](https://example.org/)" in text


def test_myst_active_text_is_neutralised() -> None:
    body = (
        "> Q.\n\n"
        "```{include} /etc/passwd\n```\n\n"
        "```{eval-rst}\n.. raw:: html\n```\n\n"
        "{raw}`<script>` and (target)=\n\n"
        "(target)=\n% comment\n+++\n:::{note}\nhi\n:::\n:opt: value\n"
    )
    text, messages = convert("title: T", body)
    assert "```{" not in text
    assert "\\{raw}`<script>`" in text
    for line in ["\\(target)=", "\\% comment", "\\+++", "\\:::{note}", "\\:::", "\\:opt: value"]:
        assert f"\n{line}\n" in text, line
    assert sum("the mark is dropped" in m for m in messages) == 2


def test_kramdown_attribute_lists_are_kept_verbatim() -> None:
    text, messages = convert(
        "title: T", '> Q.\n\nA [link](https://x.org){:target="_blank"}\n{: .note}\n'
    )
    assert '[link](https://x.org)`{:target="_blank"}`' in text
    assert "\n`{: .note}`\n" in text
    assert sum("kramdown attribute list" in m for m in messages) == 2


def test_unconvertible_liquid_is_kept_in_a_literal_block() -> None:
    text, messages = convert(
        "title: T",
        "> Q.\n\n{% if page.x %}\nShown sometimes.\n{% endif %}\n\nInline {{ page.title }} here.\n",
    )
    assert "```text\n{% if page.x %}\nShown sometimes.\n{% endif %}\n```" in text
    assert "Inline `{{ page.title }}` here." in text
    assert [m.split(": ", 1)[0].rsplit(":", 1)[1] for m in messages if "kept verbatim" in m] == [
        "7",
        "11",
    ]


def test_a_transition_and_nested_headings_are_kept_as_text() -> None:
    text, messages = convert("title: T", "> Q.\n> ## Inside\n\nBefore\n\n---\n\nAfter\n")
    assert "> **Inside**" in text
    assert "\\* \\* \\*" in text
    assert any("thematic break" in m for m in messages)


# -- the docs' worked example is what the importer writes -------------------------------------------


def test_the_worked_example_in_the_docs_is_real(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = (DOCS / "migrating.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"<!-- example: (\w+) -->\n`{4}\w*\n(.*?)\n`{4}\n", doc, re.DOTALL))
    assert set(blocks) == {"post", "post2", "run", "page", "body2"}
    monkeypatch.chdir(tmp_path)
    posts = Path("_posts")
    posts.mkdir()
    (posts / "2018-04-05-client-side-scanning.md").write_text(blocks["post"] + "\n")
    (posts / "2019-01-08-vendor-reply.md").write_text(blocks["post2"] + "\n")
    command, *expected = blocks["run"].splitlines()
    assert command == "$ sphinx-caselog import-jekyll _posts --out docs/cases"
    status = main(command.split()[2:])
    assert status == 0
    assert capsys.readouterr().out.splitlines() == expected
    assert page(Path("docs/cases/client-side-scanning.md")) == blocks["page"] + "\n"
    assert page(Path("docs/cases/vendor-reply.md")).endswith(blocks["body2"] + "\n::::\n")
    written = sorted(str(p) for p in Path("docs/cases").rglob("*.md"))
    for name in written:
        assert f"`{name}`" in doc


def test_the_cli_reference_lists_every_option() -> None:
    doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    help_text = subprocess.run(
        [sys.executable, "-m", "sphinx_caselog", "import-jekyll", "--help"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for option in re.findall(r"(--[a-z-]+)", help_text):
        assert f"`{option}" in doc, option


def test_every_link_form_to_a_post_becomes_a_case_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    # In a subfolder, with a byte-order mark, a front matter date and slug of its own.
    target = write_post(
        posts / "2015", "2015-06-30-Target-Case.md", "title: Target\ndate: 2015-07-01\nslug: moved"
    )
    target.write_bytes(b"\xef\xbb\xbf" + target.read_bytes())
    write_post(posts, "2016-01-01-linked.md", "title: Linked\npermalink: /cases/linked/")
    forms = [
        "[a]({% post_url 2015-06-30-Target-Case %})",
        "[b]({% link _posts/2015/2015-06-30-Target-Case.md %})",
        "[c](/2015/06/30/Target-Case.html)",
        "[d](/news/2015/07/01/moved/)",  # a category prefix, the front matter date and slug
        "[e](https://www.example.org/blog/2015/06/30/target-case)",  # under --site-url
        "[f]({{ site.baseurl }}/2015/06/30/Target-Case.html#part)",
        "[g]({{ '/cases/linked/' | relative_url }})",
        "[h](http://example.org/blog/cases/linked/index.html)",
        "<https://example.org/blog/cases/linked/>",
    ]
    write_post(
        posts, "2017-01-01-source.md", "title: Source", "> Q.\n\n" + "\n\n".join(forms) + "\n"
    )
    status, out, _ = run(
        capsys, posts, "--out", tmp_path / "out", "--site-url", "https://example.org/blog/"
    )
    assert status == 0, out
    text = page(tmp_path / "out" / "source.md")
    for letter in "abcdef":
        assert f"{{case:ref}}`{letter} <target-case>`" in text, letter
    assert "{case:ref}`g <linked>`" in text
    assert "{case:ref}`h <linked>`" in text
    assert "{case:ref}`linked`" in text
    assert "the fragment of '/blog/2015/06/30/Target-Case.html#part' is dropped" in out
    assert "the slug 'Target-Case' is not a case id; the page and id are 'target-case'" in out


def test_a_link_to_an_unpublished_post_stays_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2015-01-01-draft.md", "title: D\npublished: false")
    write_post(posts, "2016-01-01-b.md", "title: B", "> Q.\n\n[d](/2015/01/01/draft.html)\n")
    status, out, _ = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 0
    assert "[d](/2015/01/01/draft.html)" in page(tmp_path / "out" / "b.md")
    assert "link '/2015/01/01/draft.html' is relative" in out


def test_highlight_options_and_unknown_languages() -> None:
    text, messages = convert(
        "title: T",
        "> Q.\n\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n\n"
        "{% highlight nosuchlang %}\nx\n{% endhighlight %}\n\n"
        '{% highlight ruby hl_lines="1" %}\ny\n{% endhighlight %}\n\n'
        "```nosuchlang2\nz\n```\n",
    )
    assert "```{code-block} ruby\n:linenos:\nputs 1\n```" in text
    assert "```nosuchlang\nx\n```" in text
    assert '```text\n{% highlight ruby hl_lines="1" %}\ny\n{% endhighlight %}\n```' in text
    assert sum("Pygments doesn't know the language" in m for m in messages) == 2


def test_liquid_in_code_is_kept_and_raw_is_unwrapped() -> None:
    text, messages = convert(
        "title: T",
        "> Q.\n\n```liquid\n{{ page.title }}\n{% raw %}{% if %}{% endraw %}\n```\n",
    )
    assert "```liquid\n{{ page.title }}\n{% if %}\n```" in text
    assert any(
        ":8: Liquid '{{ page.title }}' in a code block is kept verbatim" in m for m in messages
    )


def test_link_text_a_role_cant_hold_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "_posts"
    write_post(posts, "2015-01-01-a.md", "title: A")
    write_post(
        posts,
        "2016-01-01-b.md",
        "title: B",
        "> Q.\n\nSee [the `a` case](/2015/01/01/a.html) and [a \\` tick](/2015/01/01/a.html).\n",
    )
    status, out, _ = run(capsys, posts, "--out", tmp_path / "out")
    assert status == 0
    # Code in link text is text in the role; a literal backtick can't be in a role at all.
    assert "See {case:ref}`the a case <a>` and {case:ref}`a`." in page(tmp_path / "out" / "b.md")
    assert "the link text 'a ` tick' holds a backtick, which a role can't" in out
