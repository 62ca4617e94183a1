"""URLs of the app's pages and API, built in one place (names and ids are quoted whole)."""
from __future__ import annotations

from urllib.parse import quote, urlencode


def _query(params: dict) -> str:
    pairs = [(k, v) for k, values in params.items() for v in (values if isinstance(values, list) else [values])
             if v not in (None, "")]
    return "?" + urlencode(pairs) if pairs else ""


def entity_url(name: str, **params) -> str:
    return "/entities/" + quote(name, safe="") + _query(params)


def timeline_url(name: str, **params) -> str:
    return "/api/entities/" + quote(name, safe="") + "/timeline" + _query(params)


def article_url(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def case_url(case_id: str) -> str:
    return "/cases/" + quote(case_id, safe="")
