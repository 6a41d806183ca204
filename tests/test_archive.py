"""Archived copies: the availability client, against a Wayback-shaped server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loopback import Loopback, Reply, serve

from sphinx_caselog.archive import (
    Candidate,
    Found,
    Lookup,
    Snapshot,
    apply,
    closest_snapshot,
    with_archive,
)
from sphinx_caselog.cli import main
from sphinx_caselog.fetch import Fetcher, FetchSettings
from sphinx_caselog.model import PartialDate, wayback_date

FAST = FetchSettings(timeout=2.0, retries=1, rate_limit=0.0, backoff=0.0)


def availability(snapshots: dict[str, dict[str, object]]):
    """An availability endpoint answering from *snapshots* (original URL → closest)."""

    def answer(query: dict[str, list[str]]) -> Reply:
        url = query["url"][0]
        closest = snapshots.get(url)
        if closest is not None and "timestamp" in query:
            closest = {**closest, "asked": query["timestamp"][0]}
        body = {"url": url, "archived_snapshots": {"closest": closest} if closest else {}}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    return answer


@pytest.fixture
def wayback():
    yield from serve(
        {
            "/wayback/available": availability(
                {
                    "https://example.org/ruling": {
                        "available": True,
                        "status": "200",
                        "timestamp": "20150101093000",
                        "url": "http://web.archive.org/web/20150101093000/https://example.org/ruling",
                    },
                    "https://example.org/error-page": {
                        "available": True,
                        "status": "404",
                        "timestamp": "20150101093000",
                        "url": "http://web.archive.org/web/20150101093000/https://example.org/x",
                    },
                }
            ),
            "/broken/available": Reply(200, b"<html>maintenance</html>"),
        }
    )


def test_the_closest_snapshot(wayback: Loopback) -> None:
    found = closest_snapshot(
        Fetcher(FAST),
        wayback.url("/wayback/available"),
        "https://example.org/ruling",
        dt.date(2015, 3, 1),
    )
    assert found.error is None and found.snapshot is not None
    # http:// from the API becomes https://, which the archive serves
    assert found.snapshot.url == (
        "https://web.archive.org/web/20150101093000/https://example.org/ruling"
    )
    assert found.snapshot.date == dt.date(2015, 1, 1)


@pytest.mark.parametrize("url", ["https://example.org/never", "https://example.org/error-page"])
def test_no_usable_snapshot(wayback: Loopback, url: str) -> None:
    assert closest_snapshot(Fetcher(FAST), wayback.url("/wayback/available"), url) == (
        url,
        None,
        None,
    )


def test_an_endpoint_that_fails_is_reported(wayback: Loopback) -> None:
    url = "https://example.org/ruling"
    bad = closest_snapshot(Fetcher(FAST), wayback.url("/broken/available"), url)
    assert bad.error == "the endpoint's answer is not availability JSON"
    gone = closest_snapshot(Fetcher(FAST), wayback.url("/nope"), url)
    assert gone.error == "HTTP 404 Not Found"


def test_wayback_dates() -> None:
    day = PartialDate(2015, 1, 1)
    assert wayback_date("https://web.archive.org/web/20150101000000/https://x.org/") == day
    assert wayback_date("https://web.archive.org/web/20150101id_/https://x.org/") == day
    assert wayback_date("https://web.archive.org/web/20151301000000/https://x.org/") is None
    assert wayback_date("https://archive.ph/abcde") is None


SNAPSHOT = Snapshot(
    "https://web.archive.org/web/20150101093000/https://example.org/ruling", dt.date(2015, 1, 1)
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "  Ruling <https://example.org/ruling>\n",
            "  Ruling <https://example.org/ruling> archived <{s}>\n",
        ),
        (
            "  Ruling <https://example.org/ruling> accessed 2024-03-01\r\n",
            "  Ruling <https://example.org/ruling> archived <{s}> accessed 2024-03-01\r\n",
        ),
        (
            ":source: https://example.org/ruling\n",
            ":source: https://example.org/ruling archived <{s}>\n",
        ),
        ("  Ruling <https://example.org/ruling/other>\n", None),  # another URL: never touched
        ("  https://example.org/rulings\n", None),
    ],
)
def test_the_archived_copy_goes_right_after_the_url(line: str, expected: str | None) -> None:
    result = with_archive(line, "https://example.org/ruling", SNAPSHOT)
    assert result == (expected.format(s=SNAPSHOT.url) if expected else None)


def test_a_copy_whose_url_has_no_date_gets_one_written() -> None:
    other = Snapshot("https://archive.example/abc", dt.date(2016, 2, 3))
    assert with_archive("x <https://a.org/>", "https://a.org/", other) == (
        "x <https://a.org/> archived 2016-02-03 <https://archive.example/abc>"
    )


def test_apply_changes_only_the_lines_it_adds_to(tmp_path: Path) -> None:
    page = tmp_path / "case.md"
    original = (
        "\ufeff# Café\r\n"
        ":::{case} T\r\n"
        "---\r\n"
        "source: |\r\n"
        "  Ruling <https://example.org/ruling>\r\n"
        "  Moved <https://example.org/moved>\r\n"
        "---\r\n"
        "> quote \u2028 with a line separator\r\n"
        ":::"
    )
    page.write_bytes(original.encode("utf-8"))
    page.chmod(0o640)
    found = [
        Found(Candidate(page, 5, "t", "https://example.org/ruling", None), Lookup("", SNAPSHOT)),
        # the file changed since the build: line 6 no longer holds this URL
        Found(Candidate(page, 6, "t", "https://example.org/gone", None), Lookup("", SNAPSHOT)),
        Found(Candidate(page, 6, "t", "https://example.org/moved", None), Lookup("")),  # no copy
    ]
    written, skipped = apply(found)
    assert [f.candidate.line for f in written] == [5]
    assert [f.candidate.url for f in skipped] == ["https://example.org/gone"]
    expected = original.replace(
        "<https://example.org/ruling>", f"<https://example.org/ruling> archived <{SNAPSHOT.url}>"
    )
    assert page.read_bytes() == expected.encode("utf-8")
    assert page.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["case.md"]  # no temporary file left


# -- the command, on a project ------------------------------------------------------------


def snapshot_of(url: str, timestamp: str) -> dict[str, object]:
    return {
        "available": True,
        "status": "200",
        "timestamp": timestamp,
        "url": f"http://web.archive.org/web/{timestamp}/{url}",
    }


@pytest.fixture
def endpoint() -> Iterator[Loopback]:
    """Snapshots of the test-archive root's sources, near the date asked for."""

    def answer(query: dict[str, list[str]]) -> Reply:
        url = query["url"][0]
        asked = query.get("timestamp", ["20250101"])[0]
        closest = (
            None if url == "https://example.org/commentary" else snapshot_of(url, asked + "093000")
        )
        body = {"url": url, "archived_snapshots": {"closest": closest} if closest else {}}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    yield from serve({"/wayback/available": answer})


def archive(server: Loopback, srcdir: Path, *options: str) -> int:
    endpoint = server.url("/wayback/available")
    return main(["archive", str(srcdir), "--endpoint", endpoint, "--rate-limit", "0", *options])


def test_archive_prints_the_lines_to_add_and_what_has_no_snapshot(
    endpoint: Loopback, copy_root: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = copy_root("archive")
    before = {p.name: p.read_bytes() for p in srcdir.iterdir() if p.is_file()}
    assert archive(endpoint, srcdir) == 1
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    # the progress line, one step a line when stderr is not a terminal
    assert captured.err.splitlines() == [
        "[1/4] https://example.org/ruling",
        "[2/4] https://example.org/press",
        "[3/4] https://example.org/ruling",
        "[4/4] https://example.org/commentary",
    ]
    wb = "https://web.archive.org/web"
    assert out == [
        f"index.md:12: add archived <{wb}/20151006093000/https://example.org/ruling>",
        f"index.md:13: add archived <{wb}/20240301093000/https://example.org/press>",
        f"rulings.rst:6: add archived <{wb}/20250101093000/https://example.org/ruling>",
        (
            "sphinx-caselog archive: 5 sources, 4 without an archived copy: 3 snapshots found; "
            "1 left without a copy:"
        ),
        "  rulings.rst:7: https://example.org/commentary (no snapshot)",
    ]
    # asked once per (URL, date): near the access date, else the case's date, else the newest
    assert len(endpoint.hits) == 4
    assert {p.name: p.read_bytes() for p in srcdir.iterdir() if p.is_file()} == before


def test_archive_write_adds_the_copies_and_a_second_run_has_nothing_to_do(
    endpoint: Loopback, copy_root: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = copy_root("archive")
    before = (srcdir / "index.md").read_text(encoding="utf-8")
    assert archive(endpoint, srcdir, "--write", "--quiet") == 1
    after = (srcdir / "index.md").read_text(encoding="utf-8")
    wb = "https://web.archive.org/web"
    assert after == before.replace(
        "<https://example.org/ruling>\n",
        f"<https://example.org/ruling> archived <{wb}/20151006093000/https://example.org/ruling>\n",
    ).replace(
        "<https://example.org/press> accessed",
        f"<https://example.org/press> archived <{wb}/20240301093000/https://example.org/press> "
        "accessed",
    )
    rst = (srcdir / "rulings.rst").read_text(encoding="utf-8").splitlines()
    assert rst[5] == (
        f"   :source: https://example.org/ruling archived <{wb}/20250101093000/"
        "https://example.org/ruling>"
    )
    capsys.readouterr()
    # The build reads the new lines: only the source with no snapshot is left.
    assert archive(endpoint, srcdir, "--quiet") == 1
    assert capsys.readouterr().out.splitlines() == [
        (
            "sphinx-caselog archive: 5 sources, 1 without an archived copy: 0 snapshots found; "
            "1 left without a copy:"
        ),
        "  rulings.rst:7: https://example.org/commentary (no snapshot)",
    ]


def test_archive_reports_an_endpoint_that_fails(
    copy_root: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = copy_root("archive")
    with Loopback({}) as server:  # every path 404s
        assert archive(server, srcdir, "--quiet", "--retries", "0") == 1
    out = capsys.readouterr().out
    assert "  index.md:12: https://example.org/ruling (lookup failed: HTTP 404 Not Found)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["archive", "--timeout", "soon"], "not a number of seconds: 'soon'"),
        (["archive", "--endpoint", "ftp://x"], "not an http(s) URL: 'ftp://x'"),
    ],
)
def test_archive_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_archive_without_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", str(tmp_path)]) == 2
    assert f"sphinx-caselog archive: error: {tmp_path} has no conf.py" in capsys.readouterr().err


@pytest.mark.parametrize(
    "bad", ["https://web.archive.org/web/2015/x>\n  injected <https://evil.example/>", "ftp://x/y"]
)
def test_a_snapshot_url_that_would_break_the_line_is_refused(bad: str) -> None:
    def answer(query: dict[str, list[str]]) -> Reply:
        closest = {"available": True, "status": "200", "timestamp": "20150101000000", "url": bad}
        body = {"archived_snapshots": {"closest": closest}}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    with Loopback({"/available": answer}) as server:
        found = closest_snapshot(Fetcher(FAST), server.url("/available"), "https://example.org/")
    assert found.snapshot is None
    assert (found.error or "").startswith("the endpoint gave a bad snapshot URL")
