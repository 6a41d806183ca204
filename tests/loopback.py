"""A web server on 127.0.0.1 that a test starts itself: no test touches the internet.

Each route answers a path with a :class:`Reply` (or a list of them, served in turn,
the last one repeating), or a function of the query string. ``hits`` records
every request with the time it arrived, so tests can check retries and pacing.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple, Self
from urllib.parse import parse_qs, urlsplit


class Reply(NamedTuple):
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = {}  # never mutated
    delay: float = 0.0  # seconds before the headers are sent


def html_page(title: str, *paragraphs: str) -> Reply:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav>Home | About</nav><h1>{title}</h1>\n{body}</body></html>"
    )
    return Reply(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


Route = Reply | list[Reply] | Callable[[dict[str, list[str]]], Reply]


class Loopback:
    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.hits: list[tuple[str, float]] = []
        self.served: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                reply = server.reply(self.path)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def reply(self, raw_path: str) -> Reply:
        parts = urlsplit(raw_path)
        with self.lock:
            self.hits.append((parts.path, time.monotonic()))
            count = self.served.get(parts.path, 0)
            self.served[parts.path] = count + 1
        route = self.routes.get(parts.path)
        if route is None:
            return Reply(404, b"not here", {"Content-Type": "text/plain"})
        if callable(route):
            return route(parse_qs(parts.query))
        if isinstance(route, list):
            return route[min(count, len(route) - 1)]
        return route

    def hits_of(self, path: str) -> list[float]:
        return [when for hit, when in self.hits if hit == path]

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(routes: dict[str, Route]) -> Iterator[Loopback]:
    """For a fixture: ``yield from serve({...})``."""
    with Loopback(routes) as server:
        yield server


def pdf_document(*lines: str) -> bytes:
    """A one-page PDF showing *lines* in Helvetica (ASCII only), with a correct xref."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 11 Tf 14 TL 50 780 Td " + " ".join(f"({escape(t)}) '" for t in lines) + " ET"
    content = zlib.compress(stream.encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_reply(*lines: str) -> Reply:
    return Reply(200, pdf_document(*lines), {"Content-Type": "application/pdf"})
