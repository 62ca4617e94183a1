"""Requests and responses between the HTTP server and the outlets.

Outlets are plain objects with ``handle(Request) -> Response``; they never touch sockets, so
they can be unit-tested and the faults outlet can still script byte-level misbehaviour
through ``Response.chunks`` (a generator the server writes out as it goes)."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import parse_qs


@dataclass
class Request:
    method: str
    path: str                 # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]   # lower-case names
    base: str                 # "http://host:port" as the client addressed us

    @classmethod
    def build(cls, method: str, target: str, headers: dict[str, str], base: str) -> "Request":
        path, _, query = target.partition("?")
        return cls(method, path or "/", parse_qs(query), {k.lower(): v for k, v in headers.items()}, base)

    def arg(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default

    def page_arg(self) -> int:
        try:
            return max(1, int(self.arg("page", "1")))
        except ValueError:
            return 1


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    # Streaming: when set, the server writes these chunks instead of ``body``. ``length`` is
    # the Content-Length to announce (None: none, the connection closes at the end).
    chunks: Callable[[], Iterable[bytes]] | None = None
    length: int | None = None
    before: Callable[[], None] | None = None    # runs before the status line (e.g. a stall)


def html_page(text: str, status: int = 200, charset: str = "utf-8", headers: dict | None = None) -> Response:
    # xmlcharrefreplace: what a real CMS does with a character its legacy charset lacks.
    return Response(status, text.encode(charset, errors="xmlcharrefreplace"),
                    f"text/html; charset={charset}", dict(headers or {}))


def xml_doc(text: str, content_type: str = "application/xml; charset=utf-8") -> Response:
    return Response(200, text.encode("utf-8"), content_type)


def plain(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"), "text/plain; charset=utf-8")


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", "text/html; charset=utf-8", {"Location": location})


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def json_ld(data: dict | list) -> str:
    """JSON for a <script type="application/ld+json"> block. '<', '>' and '&' are escaped so a
    headline containing '</script>' cannot end the block early (what WordPress and most CMSs
    do); parsers read the \\u escapes back as the same text."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
