"""One module per outlet: URL routing plus the HTML templates that mimic that outlet's CMS.

Every outlet class takes a ``Catalog`` and answers ``handle(Request) -> Response``."""
from __future__ import annotations

import math
import struct
import zlib
from functools import lru_cache

from ..response import Response

SAMPLE_NOTICE = ("Sample newsroom served by PolicyWatch for tests and demos. The articles are written "
                 "for testing and are not real reporting.")


def paginate(items: list, page: int, per_page: int) -> tuple[list, int]:
    """(the items on ``page``, number of pages); page numbers start at 1."""
    pages = max(1, math.ceil(len(items) / per_page))
    return items[(page - 1) * per_page: page * per_page], pages


def page_window(page: int, pages: int, width: int = 10) -> range:
    """The page numbers a pager shows: blocks of ``width`` as Korean and WordPress pagers do."""
    start = (page - 1) // width * width + 1
    return range(start, min(pages, start + width - 1) + 1)


@lru_cache(maxsize=1)
def placeholder_png() -> bytes:
    """A 640x360 grey PNG for every photo URL (no image library needed; browsers and crawlers
    go by the bytes, so the .jpg names in the pages do no harm)."""
    width, height = 640, 360
    row = b"\x00" + b"\xc8\xcc\xd0" * width
    raw = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def image_response() -> Response:
    return Response(200, placeholder_png(), "image/png", {"Cache-Control": "max-age=86400"})
