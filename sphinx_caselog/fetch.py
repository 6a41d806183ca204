"""Polite HTTP fetching for ``quotecheck`` and ``sphinx-caselog archive``.

One :class:`Fetcher` owns what every request shares: a timeout, retries with
backoff, a per-host rate limit (a host is never asked more often than once per
``rate_limit`` seconds, whichever worker asks), ``Retry-After`` on 429 and 503,
a cap on redirects and on body size, a worker pool, and a cache of successful
responses with a time-to-live (under the builder's output folder). It never
raises: every failure is a :class:`Fetched` with ``error`` set.

Built on ``requests``, which Sphinx itself depends on (its ``linkcheck`` uses it).
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple, TypeVar

import requests

from . import __version__
from .urls import split

T = TypeVar("T")

USER_AGENT = f"sphinx-caselog/{__version__} (+https://sphinx-caselog.readthedocs.io)"
#: Statuses worth asking again: the server says it is busy or broken, not that the page is gone.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchSettings(NamedTuple):
    timeout: float = 30.0
    retries: int = 2
    #: Seconds between two requests to one host.
    rate_limit: float = 1.0
    #: The longest ``Retry-After`` honoured; a longer one makes the URL unreachable.
    max_retry_after: float = 300.0
    workers: int = 5
    #: The first retry waits this long, each later one twice as long (``Retry-After`` wins).
    backoff: float = 1.0
    max_redirects: int = 10
    max_bytes: int = 50 * 1024 * 1024
    cache_dir: Path | None = None
    #: Seconds a cached response stays fresh; 0 turns the cache off.
    cache_ttl: float = 0.0
    user_agent: str = USER_AGENT


class Fetched(NamedTuple):
    """The outcome of one URL: a body (``error`` is None), or why there is none."""

    url: str
    status: int | None = None  # the last HTTP status; None when no response came
    error: str | None = None
    final_url: str | None = None  # after redirects
    content_type: str = ""
    body: bytes = b""
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def host_of(url: str) -> str:
    """The host a request goes to (with its ``www.``: that is another host to pace)."""
    parts = split(url)
    return (parts.hostname or "").lower() if parts is not None else ""


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HostPacer:
    """The per-host rate limit, shared by all workers."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.next_slot: dict[str, float] = {}
        self.lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Block until *host* may be asked again, and book the slot after that."""
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot.get(host, now))
            self.next_slot[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)

    def hold(self, host: str, seconds: float) -> None:
        """The host asked us to wait (``Retry-After``): nobody asks it before then."""
        with self.lock:
            until = time.monotonic() + seconds
            self.next_slot[host] = max(self.next_slot.get(host, 0.0), until)


class ResponseCache:
    """Successful responses on disk, one metadata file and one body file per URL."""

    def __init__(self, folder: Path, ttl: float) -> None:
        self.folder = folder
        self.ttl = ttl

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def get(self, url: str) -> Fetched | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta["url"] != url or time.time() - float(meta["fetched"]) > self.ttl:
                return None
            body = body_path.read_bytes()
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent, stale or damaged: fetch again
        return Fetched(
            url,
            status=int(meta["status"]),
            final_url=str(meta["final_url"]),
            content_type=str(meta["content_type"]),
            body=body,
            from_cache=True,
        )

    def put(self, result: Fetched) -> None:
        meta_path, body_path = self._paths(result.url)
        meta = {
            "url": result.url,
            "fetched": time.time(),
            "status": result.status,
            "final_url": result.final_url,
            "content_type": result.content_type,
        }
        with contextlib.suppress(OSError):  # a cache that can't be written is no cache
            self.folder.mkdir(parents=True, exist_ok=True)
            for path, data in ((body_path, result.body), (meta_path, json.dumps(meta).encode())):
                tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
                tmp.write_bytes(data)
                tmp.replace(path)


class Fetcher:
    """Fetch URLs politely; see the module docstring. Thread-safe."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.pacer = HostPacer(settings.rate_limit)
        self.cache = (
            ResponseCache(settings.cache_dir, settings.cache_ttl)
            if settings.cache_dir is not None and settings.cache_ttl > 0
            else None
        )
        self.local = threading.local()  # a requests.Session is not safe to share

    @property
    def session(self) -> requests.Session:
        session: requests.Session | None = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            session.max_redirects = self.settings.max_redirects
            session.headers["User-Agent"] = self.settings.user_agent
            self.local.session = session
        return session

    def get(self, url: str, params: dict[str, str] | None = None) -> Fetched:
        """GET *url*, with retries; a cached fresh copy when there is one."""
        if self.cache is not None and params is None:
            cached = self.cache.get(url)
            if cached is not None:
                return cached
        host = host_of(url)
        settings = self.settings
        result = Fetched(url, error="not fetched")
        for attempt in range(settings.retries + 1):
            self.pacer.wait(host)
            result, wait = self._attempt(url, params)
            if result.ok or wait is None:
                break
            if attempt < settings.retries:
                if wait > settings.max_retry_after:
                    return result._replace(
                        error=f"{result.error}; Retry-After {wait:.0f}s is longer than "
                        f"{settings.max_retry_after:.0f}s"
                    )
                self.pacer.hold(host, max(wait, settings.backoff * 2**attempt))
        if result.ok and self.cache is not None and params is None:
            self.cache.put(result)
        return result

    def _attempt(self, url: str, params: dict[str, str] | None) -> tuple[Fetched, float | None]:
        """One request: the result, and how long to wait before a retry (None: don't)."""
        timeout = self.settings.timeout
        try:
            with self.session.get(
                url, params=params, timeout=timeout, stream=True, allow_redirects=True
            ) as response:
                status = response.status_code
                if status in RETRY_STATUSES:
                    wait = retry_after(response.headers.get("Retry-After")) or 0.0
                    return Fetched(url, status, f"HTTP {status} {response.reason}"), wait
                if status >= 400:
                    return Fetched(url, status, f"HTTP {status} {response.reason}"), None
                body = self._read(response, time.monotonic() + timeout)
                content_type = response.headers.get("Content-Type", "")
                return Fetched(url, status, None, response.url, content_type, body), None
        except requests.Timeout:
            return Fetched(url, error=f"timed out after {timeout:g}s"), 0.0
        except requests.TooManyRedirects:
            return Fetched(url, error=f"more than {self.settings.max_redirects} redirects"), None
        except TooLarge as err:
            return Fetched(url, error=str(err)), None
        except (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL) as err:
            return Fetched(url, error=f"bad URL: {err}"), None  # e.g. a redirect to ftp://
        except (requests.RequestException, OSError, ValueError) as err:
            return Fetched(url, error=f"{type(err).__name__}: {err}"), 0.0

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        """The body, within the size cap and the timeout as a whole (not only per read)."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(65536):
            size += len(chunk)
            if size > self.settings.max_bytes:
                raise TooLarge(f"larger than {self.settings.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise requests.Timeout
            chunks.append(chunk)
        return b"".join(chunks)

    def map(
        self,
        items: Iterable[str],
        work: Callable[[str], T],
        progress: Callable[[int, int, str], None] | None = None,
    ) -> dict[str, T]:
        """``work(item)`` for each distinct item on the worker pool; results by item.

        *progress* is called as ``(done, total, item)`` from the calling thread.
        """
        distinct = list(dict.fromkeys(items))
        results: dict[str, T] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
            futures = {item: pool.submit(work, item) for item in distinct}
            for done, (item, future) in enumerate(futures.items(), 1):
                results[item] = future.result()
                if progress is not None:
                    progress(done, len(distinct), item)
        return results


class TooLarge(Exception):
    pass
