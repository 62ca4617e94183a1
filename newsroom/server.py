"""Serving the outlets over real HTTP, each on its own port (so each has its own robots.txt).

    with running(scale=100) as newsroom:
        newsroom.urls        # {"yonhap": "http://127.0.0.1:40123", "dmr": ..., "faults": ...}
        newsroom.requests("faults")   # what crawlers asked for, oldest first

Standard library only: one ``ThreadingHTTPServer`` per outlet, each in a daemon thread.
HTTP/1.1 with keep-alive, as the crawler will use; HEAD is answered like GET without a body.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

from .catalog import OUTLETS, Catalog

# what start() serves unless told: the Korean outlet is asked for by name (the demo does)
DEFAULT_OUTLETS = ("yonhap", "dmr", "faults")
from .faults import FaultsOutlet
from .outlets.dmr import DmrOutlet
from .outlets.yonhap import YonhapOutlet
from .outlets.yonhap_ko import YonhapKoreanOutlet
from .response import Request, Response

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8701           # yonhap 8701, dmr 8702, faults 8703 with `python -m newsroom`
REQUEST_LOG_SIZE = 200_000    # enough for a 5000-article benchmark crawl of every outlet
SERVER_HEADERS = {"yonhap": "Apache", "dmr": "nginx", "faults": "SampleLedger/1.0"}
_WILDCARD_HOSTS = {"", "0.0.0.0", "::"}


class NewsroomError(RuntimeError):
    """The newsroom could not start (str() says which outlet and port)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, each keep-alive
    # response then waits ~40 ms for a delayed ACK, which capped a local crawl near 50 pages/s.
    disable_nagle_algorithm = True
    timeout = 120             # an idle keep-alive connection does not hold a thread forever
    server: "_OutletServer"

    def version_string(self) -> str:
        return SERVER_HEADERS.get(self.server.outlet.name, "newsroom")

    def log_message(self, format: str, *args) -> None:   # noqa: A002 - the stdlib's signature
        logger.debug("%s %s: " + format, self.server.outlet.name, self.address_string(), *args)

    def do_GET(self) -> None:
        self._serve(head_only=False)

    def do_HEAD(self) -> None:
        self._serve(head_only=True)

    def _base(self) -> str:
        # A fixed base keeps canonical URLs stable; only a wildcard bind has to trust Host.
        if self.server.public_host not in _WILDCARD_HOSTS:
            return f"http://{self.server.public_host}:{self.server.server_port}"
        return "http://" + (self.headers.get("Host") or f"127.0.0.1:{self.server.server_port}")

    def _serve(self, head_only: bool) -> None:
        request = Request.build(self.command, self.path, dict(self.headers.items()), self._base())
        try:
            response = self.server.outlet.handle(request)
        except Exception:   # a bug in a template must still answer (and be seen), not drop the socket
            logger.exception("%s: error rendering %s", self.server.outlet.name, request.base + self.path)
            response = Response(500, b"newsroom: internal error\n", "text/plain; charset=utf-8")
        if response.before:
            response.before()
        response = self.server.revise(request.path, response)
        response = _conditional(response, self.headers.get("If-None-Match"))
        self.server.record(self.command, self.path, response.status)
        try:
            self._write(response, head_only)
        except (BrokenPipeError, ConnectionResetError):
            # Clients hang up on purpose (size limits, timeouts); nothing is wrong on our side.
            logger.debug("%s: client went away during %s", self.server.outlet.name, self.path)
            self.close_connection = True

    def _write(self, response: Response, head_only: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.chunks is None:
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if not head_only:
                self.wfile.write(response.body)
            return
        if response.length is None:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(response.length))
        self.end_headers()
        if head_only:
            return
        written = 0
        for piece in response.chunks():
            self.wfile.write(piece)
            self.wfile.flush()
            written += len(piece)
        if response.length is not None and written < response.length:
            self.close_connection = True     # announced more than we sent: drop the connection


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], outlet, log: deque):
        self.outlet, self.public_host, self._log = outlet, address[0], log
        self.edits: dict[str, list[tuple[bytes, bytes]]] = {}
        super().__init__(address, _Handler)

    def revise(self, path: str, response: Response) -> Response:
        """Apply the edits a test made to this page (Newsroom.edit), as when an outlet updates a story."""
        edits = self.edits.get(path.split("?")[0])
        if not edits or response.chunks is not None:
            return response
        body = response.body
        for old, new in edits:
            body = body.replace(old, new)
        return Response(response.status, body, response.content_type, dict(response.headers))

    def record(self, method: str, target: str, status: int) -> None:
        self._log.append({"outlet": self.outlet.name, "method": method, "path": target,
                          "status": status, "time": time.time()})


class Newsroom:
    """The running outlets. ``urls`` maps outlet name to base URL (no trailing slash)."""

    def __init__(self, servers: dict[str, _OutletServer], catalogs: dict[str, Catalog],
                 stopping: threading.Event, log: deque):
        self._servers, self.catalogs, self._stopping, self._log = servers, catalogs, stopping, log
        self._threads: list[threading.Thread] = []
        self.urls = {name: f"http://{_url_host(s.public_host)}:{s.server_port}" for name, s in servers.items()}

    def _serve(self) -> None:
        for name, server in self._servers.items():
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      name=f"newsroom-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def ports(self) -> dict[str, int]:
        return {name: s.server_port for name, s in self._servers.items()}

    def requests(self, outlet: str | None = None) -> list[dict]:
        """Requests served so far, oldest first: outlet, method, path (with query), status, time."""
        return [r for r in list(self._log) if outlet is None or r["outlet"] == outlet]

    def edit(self, outlet: str, path: str, old: str, new: str) -> None:
        """From now on serve `path` with `old` replaced by `new` (the page's own charset is assumed
        UTF-8 here): a story updated after publication, for revision tests."""
        self._servers[outlet].edits.setdefault(path, []).append((old.encode(), new.encode()))

    def reset_faults(self) -> None:
        """Restart the faults outlet's per-URL counters (the 500-then-200 page)."""
        server = self._servers.get("faults")
        if server:
            server.outlet.reset()

    def stop(self) -> None:
        self._stopping.set()          # wakes stalled and dripping fault handlers
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> "Newsroom":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _conditional(response: Response, if_none_match: str | None) -> Response:
    """ETags on whole 200 responses, and 304 for a matching If-None-Match, as real outlets' feeds
    and sitemaps do: what lets an incremental crawl cost little when nothing changed."""
    if response.status != 200 or response.chunks is not None:
        return response
    etag = '"' + hashlib.sha1(response.body).hexdigest()[:16] + '"'
    headers = dict(response.headers, ETag=etag)
    if if_none_match and etag in [t.strip() for t in if_none_match.split(",")]:
        return Response(304, b"", response.content_type, headers)
    return Response(response.status, response.body, response.content_type, headers)


def _url_host(host: str) -> str:
    if host in _WILDCARD_HOSTS:
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _port_map(ports, outlets) -> dict[str, int]:
    if ports is None:
        return {name: 0 for name in outlets}
    if isinstance(ports, int):
        return {name: (ports + i if ports else 0) for i, name in enumerate(OUTLETS) if name in outlets}
    return {name: int(ports.get(name, 0)) for name in outlets}


def start(host: str = "127.0.0.1", ports: int | dict[str, int] | None = None, scale: int = 0, *,
          outlets: tuple[str, ...] = DEFAULT_OUTLETS, slow_seconds: float = 30.0, drip_seconds: float = 30.0,
          huge_bytes: int = 50 * 1024 * 1024, test_pages: bool = True) -> Newsroom:
    """Start the outlets and return at once. ``ports``: None picks free ports; an int is
    the first of consecutive ports in the order yonhap, dmr, faults, yonhap_ko; a dict sets them
    by name. The Korean outlet (yonhap_ko) is served when ``outlets`` names it (OUTLETS: all).
    ``scale`` adds that many synthetic articles to yonhap and to dmr. The ``*_seconds`` and
    ``huge_bytes`` knobs size the faults outlet's slow, drip and huge pages. ``test_pages=False`` serves
    the demo's newsroom: no page that exists only for a test (a <script> in a headline)."""
    unknown = set(outlets) - set(OUTLETS)
    if unknown:
        raise ValueError(f"unknown outlet(s): {', '.join(sorted(unknown))}")
    stopping, log = threading.Event(), deque(maxlen=REQUEST_LOG_SIZE)
    catalogs = {name: Catalog(name, scale, test_pages) for name in outlets}
    servers: dict[str, _OutletServer] = {}
    for name, port in _port_map(ports, outlets).items():
        if name == "yonhap":
            outlet = YonhapOutlet(catalogs[name])
        elif name == "dmr":
            outlet = DmrOutlet(catalogs[name])
        elif name == "yonhap_ko":
            outlet = YonhapKoreanOutlet(catalogs[name])
        else:
            outlet = FaultsOutlet(catalogs[name], slow_seconds=slow_seconds, drip_seconds=drip_seconds,
                                  huge_bytes=huge_bytes, stopping=stopping)
        try:
            servers[name] = _OutletServer((host, port), outlet, log)
        except OSError as exc:
            for server in servers.values():
                server.server_close()
            raise NewsroomError(f"cannot serve {name} on {host}:{port}: {exc.strerror or exc}") from exc
    newsroom = Newsroom(servers, catalogs, stopping, log)
    newsroom._serve()
    logger.info("newsroom serving %s", ", ".join(f"{n} at {u}" for n, u in newsroom.urls.items()))
    return newsroom


@contextmanager
def running(**kwargs) -> Iterator[Newsroom]:
    """``start(**kwargs)`` for the length of a with-block."""
    newsroom = start(**kwargs)
    try:
        yield newsroom
    finally:
        newsroom.stop()
