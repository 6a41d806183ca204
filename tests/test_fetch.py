"""The fetcher against a server on 127.0.0.1: redirects, 404, 429 with Retry-After,
slow responses, pacing per host, the cache and its time-to-live."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from loopback import Loopback, Reply, html_page, redirect, serve

from sphinx_caselog.fetch import Fetcher, FetchSettings, retry_after

FAST = FetchSettings(timeout=2.0, retries=2, rate_limit=0.0, backoff=0.0, workers=4)


@pytest.fixture
def server():
    yield from serve(
        {
            "/page": html_page("A page", "Some text."),
            "/moved": redirect("/page", 301),
            "/loop": redirect("/loop"),
            "/to-ftp": redirect("ftp://127.0.0.1/file"),
            "/busy": [Reply(429, headers={"Retry-After": "1"}), html_page("Busy", "At last.")],
            "/too-busy": Reply(429, headers={"Retry-After": "3600"}),
            "/broken": [Reply(503), Reply(503), html_page("Up", "Back.")],
            "/down": Reply(503),
            "/slow": Reply(200, b"late", {"Content-Type": "text/plain"}, delay=1.5),
            "/big": Reply(200, b"x" * 5000, {"Content-Type": "text/plain"}),
        }
    )


def test_a_page_and_its_headers(server: Loopback) -> None:
    result = Fetcher(FAST).get(server.url("/page"))
    assert result.ok and result.status == 200
    assert result.content_type.startswith("text/html")
    assert b"Some text." in result.body


def test_redirects_are_followed_and_capped(server: Loopback) -> None:
    result = Fetcher(FAST).get(server.url("/moved"))
    assert result.ok and result.final_url == server.url("/page")
    looped = Fetcher(FAST._replace(max_redirects=3)).get(server.url("/loop"))
    assert not looped.ok and "more than 3 redirects" in (looped.error or "")


def test_a_redirect_away_from_http_is_an_error_asked_once(server: Loopback) -> None:
    result = Fetcher(FAST).get(server.url("/to-ftp"))
    assert not result.ok and (result.error or "").startswith("bad URL: ")
    assert len(server.hits_of("/to-ftp")) == 1


def test_a_missing_page_is_not_asked_again(server: Loopback) -> None:
    result = Fetcher(FAST).get(server.url("/nothing"))
    assert (result.status, result.error) == (404, "HTTP 404 Not Found")
    assert len(server.hits_of("/nothing")) == 1


def test_429_waits_for_retry_after(server: Loopback) -> None:
    result = Fetcher(FAST).get(server.url("/busy"))
    first, second = server.hits_of("/busy")
    assert result.ok and b"At last." in result.body
    assert second - first >= 0.95  # Retry-After: 1


def test_a_retry_after_past_the_limit_gives_up_at_once(server: Loopback) -> None:
    result = Fetcher(FAST._replace(max_retry_after=5)).get(server.url("/too-busy"))
    assert result.status == 429 and "Retry-After 3600s is longer than 5s" in (result.error or "")
    assert len(server.hits_of("/too-busy")) == 1


def test_server_errors_are_retried(server: Loopback) -> None:
    assert Fetcher(FAST).get(server.url("/broken")).ok
    assert len(server.hits_of("/broken")) == 3
    failed = Fetcher(FAST._replace(retries=1)).get(server.url("/down"))
    assert failed.status == 503 and not failed.ok
    assert len(server.hits_of("/down")) == 2


def test_a_slow_response_times_out_after_its_retries(server: Loopback) -> None:
    start = time.monotonic()
    result = Fetcher(FAST._replace(timeout=0.3, retries=1)).get(server.url("/slow"))
    assert result.error == "timed out after 0.3s" and result.status is None
    assert len(server.hits_of("/slow")) == 2
    assert time.monotonic() - start < 1.5


def test_an_unreachable_host_is_an_error_not_an_exception() -> None:
    # Port 9 (discard) on loopback: nothing listens there.
    result = Fetcher(FAST._replace(retries=0)).get("http://127.0.0.1:9/")
    assert not result.ok and result.status is None and "ConnectionError" in (result.error or "")


def test_bodies_past_the_size_cap_are_refused(server: Loopback) -> None:
    result = Fetcher(FAST._replace(max_bytes=1000)).get(server.url("/big"))
    assert result.error == "larger than 1000 bytes"


def test_one_host_is_paced_across_workers(server: Loopback) -> None:
    fetcher = Fetcher(FAST._replace(rate_limit=0.2, workers=4))
    urls = [server.url(f"/page?n={n}") for n in range(4)]
    results = fetcher.map(urls, fetcher.get)
    assert all(r.ok for r in results.values())
    times = server.hits_of("/page")
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 4 and min(gaps) >= 0.18, gaps


def test_map_reports_progress_in_order(server: Loopback) -> None:
    fetcher = Fetcher(FAST)
    seen: list[tuple[int, int]] = []
    urls = [server.url("/page"), server.url("/moved"), server.url("/page")]
    results = fetcher.map(urls, fetcher.get, lambda done, total, _: seen.append((done, total)))
    assert len(results) == 2  # the same URL is fetched once
    assert seen == [(1, 2), (2, 2)]


def test_the_cache_serves_fresh_copies_and_expires(server: Loopback, tmp_path: Path) -> None:
    settings = FAST._replace(cache_dir=tmp_path / "cache", cache_ttl=60)
    assert not Fetcher(settings).get(server.url("/page")).from_cache
    again = Fetcher(settings).get(server.url("/page"))
    assert again.from_cache and b"Some text." in again.body
    assert len(server.hits_of("/page")) == 1
    assert not Fetcher(settings._replace(cache_ttl=1e-9)).get(server.url("/page")).from_cache
    assert len(server.hits_of("/page")) == 2
    # Failures are never cached.
    Fetcher(settings).get(server.url("/nothing"))
    Fetcher(settings).get(server.url("/nothing"))
    assert len(server.hits_of("/nothing")) == 2


def test_retry_after_forms() -> None:
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("soon") is None
    assert retry_after(None) is None
