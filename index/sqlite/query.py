"""The query compiler: a parsed query (index/query.py) becomes SQL over the FTS5 tables and the
narrow key table — WHERE clauses, one MATCH where one table answers, and the ranking MATCH.

Two FTS tables index the same title and body: `articles_fts` with the Porter stemmer for words
and phrases, `articles_fts_exact` unstemmed for prefix queries (a stemmed index would miss
`investigat*`, since "investigation" is stored as "investig"). Elasticsearch does the same
with a stemmed field and an unstemmed subfield (index/elastic/query.py).

A prefix is answered by the index words it stands for (`investigat*` → `investigation OR
investigators OR …`, read from the unstemmed table's vocabulary): FTS5 runs a prefix by merging
every such word's list of articles into one, again for every statement that uses it — the count,
the ranking and each of the page's snippets — while an OR of words seeks in each word's list.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from ..base import SearchRequest
from ..query import And, Filter, Indexed, MatchAll, Node, Not, Or, QueryError, Text, positive_texts
from .. import korean

ROW_FILTERS = {"entity": ("entities", "name"), "type": ("entities", "type"), "action": ("actions", "action")}
KEYS = "article_keys"      # the narrow table search filters and sorts on (same rowids and key columns)
EXACT_TERMS = "articles_fts_exact_terms"     # fts5vocab over articles_fts_exact: its words (schema.py)
# A prefix standing for more index words than this keeps FTS5's own prefix scan. At 50,000
# articles an OR of 88 common words still counts, ranks and highlights 3-13x faster than the scan.
EXPANSION_LIMIT = 100


@dataclass(frozen=True)
class Expanded(Text):
    """A prefix word or phrase whose last word is replaced by the index words that begin with it
    (`terms`, all of them: the OR matches exactly the articles the prefix matches)."""
    terms: tuple[str, ...] = ()


def expand(node: Node, words_starting: Callable[[str, int], list[str]]) -> Node:
    """The query with each prefix that FTS5 answers from articles_fts_exact replaced by its
    expansion, when it stands for 1 to EXPANSION_LIMIT index words. words_starting(prefix,
    limit) lists up to `limit` index words that begin with the prefix."""
    if isinstance(node, Text):
        last = node.words[-1] if node.words else ""
        # ASCII letters and digits are stored as lower-cased: other prefixes are folded by the
        # tokenizer (diacritics, Hangul), so FTS5 expands them itself
        if not node.prefix or not (last.isascii() and last.isalnum()) or table_of(node) != "articles_fts_exact":
            return node
        terms = words_starting(last.lower(), EXPANSION_LIMIT + 1)
        if not terms or len(terms) > EXPANSION_LIMIT:
            return node
        return Expanded(node.words, True, tuple(terms))
    if isinstance(node, (And, Or)):
        return type(node)(tuple(expand(i, words_starting) for i in node.items))
    if isinstance(node, Not):
        return Not(expand(node.item, words_starting))
    return node


def date_range(date_from: datetime | None, date_to: datetime | None) -> tuple[str, list]:
    """SQL for a publication window: from inclusive, to exclusive."""
    sql, params = "", []
    if date_from:
        sql += " AND a.published_utc >= ?"
        params.append(bound(date_from))
    if date_to:
        sql += " AND a.published_utc < ?"
        params.append(bound(date_to))
    return sql, params


def bound(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def table_of(text: Text) -> str:
    if korean.has_hangul(" ".join(text.words)):
        return korean.SQLITE_TABLE
    return "articles_fts_exact" if text.prefix else "articles_fts"


def fts_expr(text: Text) -> str:
    # Words hold only letters and digits (query.WORD_RE), so quoting them is always safe; so do
    # the index's own words (unicode61 tokens).
    if isinstance(text, Expanded):
        head = "".join(w + " " for w in text.words[:-1])
        return "(" + " OR ".join(f'"{head}{term}"' for term in text.terms) + ")"
    phrase = '"' + " ".join(text.words) + '"'
    return phrase + " *" if text.prefix else phrase


def fts_match(node: Node) -> tuple[str, str] | None:
    """(table, one FTS5 MATCH expression) for a subtree of words and phrases that one table
    answers, or None. One MATCH is many times faster than intersecting one per word."""
    if isinstance(node, Text):
        if korean.has_hangul(" ".join(node.words)):      # Korean words: their stems, Korean articles
            return korean.SQLITE_TABLE, korean.fts_phrase(node.words, node.prefix)
        return table_of(node), fts_expr(node)
    if isinstance(node, (And, Or)):
        positive = [i for i in node.items if not isinstance(i, Not)]
        negative = [i.item for i in node.items if isinstance(i, Not)] if isinstance(node, And) else []
        if not positive or len(positive) + len(negative) != len(node.items):
            return None                     # FTS5 has no unary NOT, nor NOT inside OR
        matched = [fts_match(i) for i in positive + negative]
        if any(m is None for m in matched) or len({m[0] for m in matched}) != 1:
            return None
        joiner = " AND " if isinstance(node, And) else " OR "
        expr = "(" + joiner.join(f"({m[1]})" for m in matched[:len(positive)]) + ")"
        for m in matched[len(positive):]:
            expr = f"({expr} NOT ({m[1]}))"
        return matched[0][0], expr
    return None


def where(node: Node, probe: bool = False) -> tuple[str, list]:
    """SQL over the alias `a` (articles or article_keys). probe=True: each row is checked on
    its own (EXISTS), for a walk down the date index that stops after one page; otherwise a
    filter is a list of matching rowids, built once."""
    if isinstance(node, MatchAll):
        return "1", []
    if isinstance(node, Indexed):        # articles_indexed: one range of the index
        bounds = "indexed >= ? AND indexed < ?" if node.start else "indexed < ?"
        return (f"a.rowid IN (SELECT rowid FROM articles WHERE {bounds})",
                [node.start, node.end] if node.start else [node.end])
    match = fts_match(node)
    if match:
        table, expr = match
        if probe:
            return f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid = a.rowid)", [expr]
        return f"a.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", [expr]
    if isinstance(node, Filter):
        if node.field == "source":
            return "a.source = ? COLLATE NOCASE", [node.value]
        if node.field == "lang":
            return "a.language = ? COLLATE NOCASE", [node.value]
        if node.field in ROW_FILTERS:
            table, column = ROW_FILTERS[node.field]
            if probe:
                return f"EXISTS (SELECT 1 FROM {table} WHERE article = a.rowid AND {column} = ?)", [node.value]
            return f"a.rowid IN (SELECT article FROM {table} WHERE {column} = ?)", [node.value]
        raise QueryError(f"unknown filter {node.field}")
    if isinstance(node, Not):
        sql, params = where(node.item, probe)
        return f"NOT ({sql})", params
    if isinstance(node, (And, Or)):
        joiner = " AND " if isinstance(node, And) else " OR "
        groups: dict[str, list[str]] = {}         # words and phrases of one table: one MATCH
        parts = []
        for item in node.items:
            match = fts_match(item)
            if match:
                groups.setdefault(match[0], []).append(match[1])
            else:
                parts.append(where(item, probe))
        for table, exprs in groups.items():
            expr = exprs[0] if len(exprs) == 1 else "(" + joiner.join(f"({e})" for e in exprs) + ")"
            if probe:
                parts.append((f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid = a.rowid)", [expr]))
            else:
                parts.append((f"a.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", [expr]))
        return "(" + joiner.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]
    raise QueryError(f"cannot search for {node!r}")


def full_where(query: Node, date_from, date_to, probe: bool = False) -> tuple[str, list]:
    sql, params = where(query, probe)
    dates, bounds = date_range(date_from, date_to)
    return sql + dates, params + bounds


def rank_source(query: Node) -> tuple[str, str] | None:
    """(table, MATCH expression) that scores and highlights the query's positive words."""
    texts = positive_texts(query)
    hangul = [t for t in texts if korean.has_hangul(" ".join(t.words))]
    if hangul and len(hangul) == len(texts):
        return korean.SQLITE_TABLE, " OR ".join(korean.fts_phrase(t.words, t.prefix) for t in hangul)
    texts = [t for t in texts if t not in hangul]
    stemmed = [t for t in texts if not t.prefix]
    chosen = stemmed or texts
    if not chosen:
        return None
    table = "articles_fts" if stemmed else "articles_fts_exact"
    return table, " OR ".join(fts_expr(t) for t in chosen)


def scored_split(query: Node, rank) -> tuple[str, str, Node] | None:
    """(table, MATCH, rest) when the query is words and phrases that every match contains
    (all of them in the ranking table), ANDed with filters: `rest` is the filters."""
    if not rank:
        return None
    match = fts_match(query)
    if match:
        return (match[0], match[1], MatchAll()) if match[0] == rank[0] else None
    if not isinstance(query, And):
        return None
    texts = [i for i in query.items if (fts_match(i) or ("",))[0] == rank[0]]
    rest = [i for i in query.items if i not in texts]
    if not any(not isinstance(i, Not) for i in texts) or \
            any(t for t in positive_texts(And(tuple(rest))) if table_of(t) == rank[0]):
        return None         # the ranking words are not all in the joined MATCH: score as before
    match = fts_match(And(tuple(texts)))
    return match[0], match[1], (And(tuple(rest)) if rest else MatchAll())


def streamed(request: SearchRequest) -> tuple[str, list] | None:
    """The matching rowids as a stream that a LIMIT stops early, for a query that is one
    full-text match or one entity/type/action filter; None for anything else."""
    if request.date_from or request.date_to:
        return None
    query = request.query
    if isinstance(query, MatchAll):
        return f"SELECT rowid FROM {KEYS}", []
    match = fts_match(query)
    if match:
        table, expr = match
        return f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [expr]
    if isinstance(query, Filter) and query.field in ROW_FILTERS:
        table, column = ROW_FILTERS[query.field]     # (column, article) indexes: DISTINCT streams
        return f"SELECT DISTINCT article FROM {table} WHERE {column} = ?", [query.value]
    return None
