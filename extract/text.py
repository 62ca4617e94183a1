"""Text as it may be stored: characters XML 1.0 forbids (C0 controls other than tab, newline and
carriage return; lone surrogates; U+FFFE and U+FFFF) are removed at ingest. An outlet that puts a
\\x01 in a headline would otherwise break every Atom feed and XML export that later carries it."""
from __future__ import annotations

import re
from dataclasses import replace

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str | None) -> str | None:
    """The text without XML-illegal characters (None stays None)."""
    return _XML_ILLEGAL.sub("", text) if text else text


def xml_safe_all(texts: list[str] | tuple[str, ...] | None) -> list[str]:
    """Each text cleaned; texts left empty by the cleaning are dropped."""
    return [t for t in (xml_safe(x) for x in texts or ()) if t]


def cleaned(extracted):
    """An extraction result (extract.article.Extracted) with its title, body and authors made XML-safe:
    the one call between extracting a page and building the article that gets indexed."""
    return replace(extracted, title=xml_safe(extracted.title) or "", body=xml_safe_all(extracted.body),
                   authors=xml_safe_all(extracted.authors))
