"""The query tree (index/query.py) compiled to Elasticsearch's query DSL (its highlights are cut
into snippets shaped like SQLite FTS5's by index/snippets.py). User text only ever becomes the
value of a term, match or prefix query — never query_string syntax.

Field layout (index/elastic/template.json): `title`/`body` analysed like FTS5's
`porter unicode61 remove_diacritics 2`; `title.exact`/`body.exact` the same without stemming,
for prefixes (SQLite's `articles_fts_exact`); keyword fields for the filters.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ..korean import has_hangul
from .folding import fold
from .schema import CJK, NORI
from ..snippets import CLOSE, OPEN, snippet      # snippet: search.py cuts each hit with dsl.snippet
from ..query import And, Filter, Indexed, MatchAll, Node, Not, Or, QueryError, Text, positive_texts

TITLE_BOOST = 3.0          # as SQLite's bm25(…, 3.0, 1.0): a title word counts three body words
MAX_EXPANSIONS = 10_000    # prefix phrases ("data prot*"); a one-word prefix has no limit

FILTER_FIELDS = {"source": "source.lower", "lang": "language.lower", "entity": "entity_names",
                 "type": "entity_types", "action": "actions"}


def _text_clause(text: Text, field: str, boost: float = 1.0, korean: str = NORI) -> dict:
    if korean == CJK and field.endswith("_ko"):
        return _bigram_clause(text, field, boost)
    if text.prefix:
        # nori splits a Korean word into morphemes (딥페이크 → 딥 페이크): a Korean prefix is
        # analysed too and read as a phrase prefix (딥페* → 딥 + 페…), as SQLite's stems find it
        if len(text.words) == 1 and not field.endswith("_ko"):
            return {"prefix": {field: {"value": fold(text.words[0]), "boost": boost}}}
        return {"match_phrase_prefix": {field: {"query": " ".join(text.words), "boost": boost,
                                                "max_expansions": MAX_EXPANSIONS}}}
    if len(text.words) == 1 and not field.endswith("_ko"):   # nori splits one Korean word into several
        return {"match": {field: {"query": text.words[0], "operator": "and", "boost": boost}}}
    return {"match_phrase": {field: {"query": " ".join(text.words), "boost": boost}}}


def _bigram_clause(text: Text, field: str, boost: float) -> dict:
    """A Korean word or phrase on an index without nori (schema.CJK: overlapping two-syllable
    pieces): the phrase of its pieces, so 딥페이크 finds 딥페이크를 (딥페 페이 이크 크를). The
    pieces of a particle may stand between the words of a phrase: up to two per word boundary
    (딥페이크를 유포 = 딥페이크 유포). A prefix is a phrase prefix: 딥페이* finds 딥페 페이 이…"""
    kind = "match_phrase_prefix" if text.prefix else "match_phrase"
    options = {"query": " ".join(text.words), "slop": 2 * (len(text.words) - 1), "boost": boost}
    if text.prefix:
        options["max_expansions"] = MAX_EXPANSIONS
    return {kind: {field: options}}


def _fields(text: Text) -> tuple[str, str]:
    """(title field, body field) a word or phrase is matched against: Hangul goes to the Korean
    fields (nori; Korean articles only, like SQLite's articles_fts_ko), prefixes to the unstemmed
    subfields."""
    if has_hangul(" ".join(text.words)):
        return "title_ko", "body_ko"
    suffix = ".exact" if text.prefix else ""
    return "title" + suffix, "body" + suffix


def _text(text: Text, korean: str) -> dict:
    title, body = _fields(text)
    return {"bool": {"should": [_text_clause(text, title, TITLE_BOOST, korean), _text_clause(text, body, korean=korean)],
                     "minimum_should_match": 1}}


def compile_query(node: Node, korean: str = NORI) -> dict:
    """Words and phrases score (bool must/should); filters and NOT do not (filter/must_not),
    like SQLite, whose score is the bm25 of the query's positive words only. `korean`: how the
    index analyses its Korean fields (schema.NORI or schema.CJK)."""
    if isinstance(node, MatchAll):
        return {"bool": {"filter": [{"match_all": {}}]}}
    if isinstance(node, Text):
        return _text(node, korean)
    if isinstance(node, Indexed):
        bounds = {"lt": node.end} | ({"gte": node.start} if node.start else {})
        return {"bool": {"filter": [{"range": {"indexed": bounds}}]}}
    if isinstance(node, Filter):
        field = FILTER_FIELDS.get(node.field)
        if not field:
            raise QueryError(f"unknown filter {node.field}")
        return {"bool": {"filter": [{"term": {field: node.value}}]}}
    if isinstance(node, Not):
        return {"bool": {"must_not": [compile_query(node.item, korean)]}}
    if isinstance(node, And):
        return {"bool": {"must": [compile_query(item, korean) for item in node.items]}}
    if isinstance(node, Or):
        return {"bool": {"should": [compile_query(item, korean) for item in node.items], "minimum_should_match": 1}}
    raise QueryError(f"cannot search for {node!r}")


def utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_dates(query: dict, date_from: datetime | None, date_to: datetime | None) -> dict:
    """Add the publication range (from inclusive, to exclusive); undated articles fall outside it."""
    if not date_from and not date_to:
        return query
    bounds = {}
    if date_from:
        bounds["gte"] = utc(date_from)
    if date_to:
        bounds["lt"] = utc(date_to)
    return {"bool": {"must": [query], "filter": [{"range": {"published_utc": bounds}}]}}


def highlight(node: Node, korean: str = NORI) -> dict | None:
    """Highlight the body with the query's positive words — stemmed ones if any, else the
    prefixes (SQLite's snippet source). The whole body comes back marked; `snippet` cuts it."""
    texts = positive_texts(node)
    hangul = [t for t in texts if has_hangul(" ".join(t.words))]
    if hangul and len(hangul) == len(texts):        # as SQLite: Korean words mark the Korean field
        chosen, field = hangul, "body_ko"
    else:
        texts = [t for t in texts if t not in hangul]
        stemmed = [t for t in texts if not t.prefix]
        chosen = stemmed or texts
        field = "body" if stemmed else "body.exact"
    if not chosen:
        return None
    return {"pre_tags": [OPEN], "post_tags": [CLOSE], "require_field_match": True,
            "fields": {field: {"type": "unified", "number_of_fragments": 0, "no_match_size": 0,
                               "max_analyzed_offset": 900_000,
                               "highlight_query": {"bool": {"should": [_text_clause(t, field, korean=korean) for t in chosen]}}}}}
