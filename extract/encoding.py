"""Decoding pages whose declared charset may be wrong."""
from __future__ import annotations

import codecs
import logging
import re

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str, bool]:
    """(text, encoding used, whether the declared charset was wrong).

    Valid UTF-8 with non-ASCII bytes is taken as UTF-8 whatever the page says (it almost never
    happens by accident); otherwise the BOM, the HTTP header, <meta charset>, and last
    windows-1252, the usual truth behind a wrong or missing declaration."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff"), name, False
    meta = _META_CHARSET.search(body[:4096])
    declared = [c for c in (_codec(header_charset), _codec(meta.group(1).decode("ascii", "ignore")) if meta else None) if c]
    # iso-8859-1 declarations are almost always windows-1252 in practice (as browsers assume).
    declared = ["cp1252" if c in ("latin_1", "ascii") else c for c in declared]
    for name in dict.fromkeys(["utf-8"] + declared + ["cp1252"]):
        try:
            text = body.decode(name)
        except UnicodeDecodeError:
            continue
        wrong = bool(declared) and declared[0] != name and not body.isascii()
        if wrong:
            logger.debug("declared charset %s is wrong; decoded as %s", declared[0], name)
        return text, name, wrong
    name = declared[0] if declared else "utf-8"
    return body.decode(name, errors="replace"), name, True
