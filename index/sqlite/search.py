"""Reading: search (BM25 ranking, highlighted snippets, facets, collapse), articles, exports,
mentions, timelines, period and entity counts, history and stats."""
from __future__ import annotations

import heapq
import html
import json
from dataclasses import replace
from itertools import islice
from typing import Iterator

from ..base import EntityCount, Hit, PeriodCounts, Revision, SearchRequest, SearchResult, StatementRow, TimelineRow
from ..cases import case_names
from ..document import Article, StatementRef
from ..query import MatchAll, Node, positive_texts
from .. import korean
from .. import timeline as tl
from . import query as fts
from .schema import SCHEMA_VERSION

SNIPPET_WORDS = 24
_OPEN, _CLOSE = "\x02", "\x03"
_ARTICLE_COLUMNS = ("a.rowid, a.id, a.url, a.source, a.title, a.body, a.published, a.modified, a.authors, "
                    "a.language, a.section, a.image, a.fetched, a.content_hash, a.entities, a.actions, "
                    "a.revisions, a.cluster, a.first_seen")


class Search:
    """SQLiteIndex's reading half (self.db: the connection, self.path: the file)."""

    def search(self, request: SearchRequest) -> SearchResult:
        request = replace(request, query=fts.expand(request.query, self._words_starting))
        where, params = fts.full_where(request.query, request.date_from, request.date_to)
        rank = fts.rank_source(request.query)
        total, capped, picked = self._text_page(request, rank) or self._page(request, rank, where, params)
        rowids = [r[0] for r in picked]
        columns = {r[0]: r for r in self.db.execute(
            f"SELECT rowid, id, url, title, source, published, body, entities, actions, revisions FROM articles "
            f"WHERE rowid IN ({','.join('?' * len(rowids))})", rowids)} if rowids else {}
        if rank and rank[0] == korean.SQLITE_TABLE:       # its text is stems: mark the article's own words
            snippets = korean.snippets({i: columns[i][6] for i in rowids}, positive_texts(request.query))
        else:
            snippets = self._snippets(rowids, rank)
        hits = []
        for rowid, found_score, copies in picked:
            r = columns[rowid]
            hits.append(Hit(id=r[1], url=r[2], title=r[3], source=r[4], published=r[5], score=float(found_score),
                            snippet=snippets.get(rowid) or _lead(r[6]),
                            entities=sorted(json.loads(r[7]), key=lambda e: -e["mentions"]),
                            actions=sorted({x["action"] for x in json.loads(r[8])}),
                            copies=copies if request.collapse else 1, revisions=r[9]))
        facets = self._facets(where, params) if request.facets else {}
        return SearchResult(total=total, hits=hits, facets=facets, capped=capped)

    def _text_page(self, request: SearchRequest, rank) -> tuple[int, bool, list[tuple]] | None:
        """(total, capped, page of (rowid, score, 1)) for words and phrases alone, ranked by
        relevance, from one pass over the newest count_limit + 1 matches that both counts and
        scores them; None for any other search. Counting apart reads the full-text index once
        more, which for a phrase costs as much as ranking it (11 of 47 ms at 100,000 articles)."""
        scored = fts.scored_split(request.query, rank)
        if (not scored or not isinstance(scored[2], MatchAll) or request.sort != "relevance" or request.collapse
                or request.count_limit is None or request.date_from or request.date_to):
            return None
        table, expr, _ = scored
        limit, end = request.count_limit, request.offset + request.limit
        # newest first, as the ranking of a capped search reads the most recently indexed matches
        scores = self.db.execute(f"SELECT rowid, -bm25({table}, 3.0, 1.0) FROM {table} WHERE {table} MATCH ? "
                                 "ORDER BY rowid DESC LIMIT ?", (expr, limit + 1)).fetchall()
        capped = len(scores) > limit
        del scores[limit:]
        if end <= 0 or not scores:
            return len(scores), capped, []
        # The page and every match tied with its last score; their sort keys break the ties
        edge = heapq.nlargest(end, (score for _, score in scores))[-1]
        tied = [r for r in scores if r[1] >= edge]
        keys = {rowid: (published or "", id_) for rowid, published, id_ in self.db.execute(
            f"SELECT rowid, published_utc, id FROM {fts.KEYS} WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps([rowid for rowid, _ in tied]),))}
        tied = [r for r in tied if r[0] in keys]
        # as ORDER BY score DESC, published_utc DESC (undated last), id: the last key sorted first
        tied.sort(key=lambda r: keys[r[0]][1])
        tied.sort(key=lambda r: keys[r[0]][0], reverse=True)
        tied.sort(key=lambda r: r[1], reverse=True)
        return len(scores), capped, [(rowid, score, 1) for rowid, score in tied[request.offset:end]]

    def _page(self, request: SearchRequest, rank, where: str, params: list) -> tuple[int, bool, list[tuple]]:
        """(total, capped, page of (rowid, score, copies)): counted, then ranked or sorted."""
        group = "coalesce(a.cluster, a.id)"
        limit, capped = request.count_limit, False
        if request.collapse:
            total = self.db.execute(f"SELECT count(DISTINCT {group}) FROM {fts.KEYS} a WHERE {where}", params).fetchone()[0]
        elif limit is None:
            total = self.db.execute(f"SELECT count(*) FROM {fts.KEYS} a WHERE {where}", params).fetchone()[0]
        else:       # one row past the limit tells "exactly the limit" from "more"
            counted, counted_params = fts.streamed(request) or (f"SELECT 1 FROM {fts.KEYS} a WHERE {where}", params)
            total = self.db.execute(f"SELECT count(*) FROM ({counted} LIMIT ?)", counted_params + [limit + 1]).fetchone()[0]
            total, capped = min(total, limit), total > limit
        join, join_params = "", []
        score = "0.0"
        page_where, page_params = where, params
        walk = capped and not request.collapse and (request.sort == "date" or not rank)
        scored = None if walk else fts.scored_split(request.query, rank)
        if walk:
            # Over COUNT_LIMIT matches, newest first: walk the date index, check each row on its
            # own and stop after the page, rather than list and sort every match. Hits sorted by
            # date carry no score (0.0), as in Elasticsearch: bm25 reads every match's statistics.
            page_where, page_params = fts.full_where(request.query, request.date_from, request.date_to, probe=True)
        elif scored:
            # The words and phrases every match must contain: one MATCH both selects and scores
            # (bm25 sums over the same phrases, and a NOT phrase adds nothing), so the full-text
            # index is read once; the rest of the query (filters) applies to the joined rows.
            # Over COUNT_LIMIT matches, the most recently indexed COUNT_LIMIT are ranked (as the
            # total stops there): bm25 costs ~2 µs a match, 100 ms for a word in half of 100,000.
            table, expr, rest = scored
            window = f" ORDER BY rowid DESC LIMIT {int(limit)}" if capped else ""
            join = (f"JOIN (SELECT rowid AS r, -bm25({table}, 3.0, 1.0) AS score FROM {table} "
                    f"WHERE {table} MATCH ?{window}) s ON s.r = a.rowid")
            join_params = [expr]
            score = "s.score"
            page_where, page_params = fts.full_where(rest, request.date_from, request.date_to)
        elif rank:
            table, expr = rank
            # bm25 weights: a word in the title counts three times one in the body.
            join = (f"LEFT JOIN (SELECT rowid AS r, -bm25({table}, 3.0, 1.0) AS score FROM {table} "
                    f"WHERE {table} MATCH ?) s ON s.r = a.rowid")
            join_params = [expr]
            score = "coalesce(s.score, 0.0)"
        # SQLite sorts NULLs first, so DESC already puts undated articles last. Without words to
        # score, relevance is date order.
        order = ("score DESC, published_utc DESC, id" if request.sort == "relevance" and rank
                 else "published_utc DESC, id")
        keys = f"{fts.KEYS} a INDEXED BY article_keys_newest" if walk else f"{fts.KEYS} a"
        # Rank narrow rows (rowid, sort keys) and fetch the wide columns for the page only: sorting
        # every match with its body, or running window functions without collapse, costs 3-10x.
        if request.collapse:      # each story cluster shows its best hit (by the same order) and its size
            picked = self.db.execute(
                f"""WITH matched AS (
                        SELECT a.rowid AS rowid, a.id AS id, a.published_utc AS published_utc, {score} AS score,
                               {group} AS grp
                        FROM {fts.KEYS} a {join} WHERE {page_where}),
                    ranked AS (
                        SELECT *, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY {order}) AS nth,
                               COUNT(*) OVER (PARTITION BY grp) AS copies FROM matched)
                    SELECT rowid, score, copies FROM ranked WHERE nth = 1 ORDER BY {order} LIMIT ? OFFSET ?""",
                join_params + page_params + [request.limit, request.offset]).fetchall()
        else:
            picked = self.db.execute(
                f"""SELECT a.rowid, {score} AS score, 1 FROM {keys} {join} WHERE {page_where}
                    ORDER BY {order.replace("published_utc", "a.published_utc").replace(", id", ", a.id")}
                    LIMIT ? OFFSET ?""",
                join_params + page_params + [request.limit, request.offset]).fetchall()
        return total, capped, picked

    def _words_starting(self, prefix: str, limit: int) -> list[str]:
        # ASCII prefix: the word after its last character bounds the range of the words it begins
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [term for term, in self.db.execute(
            f"SELECT term FROM {fts.EXACT_TERMS} WHERE term >= ? AND term < ? LIMIT ?", (prefix, upper, limit))]

    def _snippets(self, rowids: list[int], rank) -> dict[int, str]:
        if not rowids or not rank:
            return {}
        table, expr = rank
        # One row at a time: FTS5 seeks to `rowid = ?`, while `rowid IN (…)` walks every match
        # (10 ms at 10,000 articles for a common prefix, ten times that at 100,000).
        sql = f"SELECT snippet({table}, 1, ?, ?, '…', {SNIPPET_WORDS}) FROM {table} WHERE {table} MATCH ? AND rowid = ?"
        found = {}
        for rowid in rowids:
            row = self.db.execute(sql, (_OPEN, _CLOSE, expr, rowid)).fetchone()
            if row and _OPEN in row[0]:
                found[rowid] = _marked(row[0])
        return found

    def _facets(self, where: str, params: list) -> dict[str, list[tuple[str, int]]]:
        matched = f"SELECT a.rowid FROM {fts.KEYS} a WHERE {where}"
        q = self.db.execute
        return {
            "source": q(f"SELECT source, count(*) c FROM articles WHERE rowid IN ({matched}) "
                        "GROUP BY source ORDER BY c DESC, source", params).fetchall(),
            "language": q(f"SELECT lower(language), count(*) c FROM articles WHERE rowid IN ({matched}) "
                          "AND language IS NOT NULL GROUP BY lower(language) ORDER BY c DESC, 1", params).fetchall(),
            "entity": q(f"SELECT name || '|' || type, count(*) c FROM entities WHERE article IN ({matched}) "
                        "GROUP BY name, type ORDER BY c DESC, name LIMIT 15", params).fetchall(),
            "type": q(f"SELECT type, count(DISTINCT article) c FROM entities WHERE article IN ({matched}) "
                      "GROUP BY type ORDER BY c DESC, type", params).fetchall(),
            "action": q(f"SELECT action, count(DISTINCT article) c FROM actions WHERE article IN ({matched}) "
                        "GROUP BY action ORDER BY c DESC, action", params).fetchall(),
        }

    def get(self, article_id: str) -> Article | None:
        row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def export(self, query: Node, date_from=None, date_to=None) -> Iterator[Article]:
        where, params = fts.full_where(query, date_from, date_to)
        cursor = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {where} "
                                 "ORDER BY a.published_utc IS NULL, a.published_utc, a.id", params)
        for row in cursor:
            yield self._article(row)

    def _article(self, row) -> Article:
        (rowid, id_, url, source, title, body, published, modified, authors, language, section, image,
         fetched, chash, entities, actions, revisions, cluster, first_seen) = row
        ents = json.loads(entities)
        sentences = {name.lower(): json.loads(found) for name, found in self.db.execute(
            "SELECT name, sentences FROM mentions WHERE article = ?", (rowid,))}
        for e in ents:
            e["sentences"] = sentences.get(e["name"].lower(), [])
        statements = [json.loads(st) for (st,) in self.db.execute(
            "SELECT statement FROM statements WHERE article = ? ORDER BY position", (rowid,))]
        return Article.from_dict(dict(statements=statements,
            id=id_, url=url, source=source, title=title, body=body.split("\n\n") if body else [],
            published=published, modified=modified, authors=json.loads(authors), language=language,
            section=section, image=image, fetched=fetched, content_hash=chash, entities=ents,
            actions=json.loads(actions), revisions=revisions, cluster=cluster, first_seen=first_seen))

    def statements(self, case: str | None = None, names: list[str] | None = None) -> Iterator[StatementRow]:
        cases = [case] if case else []
        if names is not None:       # the cases naming them, found in the statements alone; then theirs in full
            wanted = {n.casefold() for n in names}
            named = {cid for cid, st in self.db.execute("SELECT case_id, statement FROM statements")
                     if wanted & case_names([StatementRef(**json.loads(st))])}
            cases = sorted(named & set(cases) if case else named)
            if not cases:
                return
        marks = ",".join("?" * len(cases))
        where, params = (f"WHERE s.case_id IN ({marks})", cases) if cases else ("", [])
        rows = self.db.execute(
            "SELECT a.id, a.url, a.title, a.source, a.published, a.language, a.cluster, s.statement, a.indexed "
            f"FROM statements s JOIN articles a ON a.rowid = s.article {where} "
            "ORDER BY a.published_utc IS NULL, a.published_utc, a.id, s.position", params)
        for id_, url, title, source, published, language, cluster, statement, indexed in rows:
            yield StatementRow(id_, url, title, source, published, language, cluster or id_,
                               StatementRef(**json.loads(statement)), indexed)

    def mentions(self, entity: str, date_from=None, date_to=None,
                 newest: int | None = None) -> Iterator[tuple[str, str, str, str, str]]:
        # one range of the mentions table, already in the order shown (date, then article id),
        # read backwards for the newest: a row has at least one sentence, so N rows are enough
        dates, bounds = fts.date_range(date_from, date_to)
        order = (" ORDER BY a.published_utc, a.id" if newest is None
                 else f" ORDER BY a.published_utc DESC, a.id DESC LIMIT {int(newest)}")
        rows = self.db.execute("SELECT a.published_utc, a.source, a.url, a.title, a.sentences FROM mentions a "
                               "WHERE a.name = ? AND a.published_utc > ''" + dates + order, [entity] + bounds)
        yield from islice(((published, source, url, title, sentence)
                           for published, source, url, title, sentences in rows for sentence in json.loads(sentences)),
                          newest)

    def timeline(self, entity: str, interval: str = "month", tz: str | None = None,
                 date_from=None, date_to=None) -> list[TimelineRow]:
        period = tl.Periods(interval, tl.zone(tz))
        # in date order, so each period's dates are parsed once
        sql = (f"SELECT a.published_utc, e.mentions, coalesce(a.cluster, a.id) FROM entities e "
               f"JOIN {fts.KEYS} a ON a.rowid = e.article WHERE e.name = ? AND a.published_utc IS NOT NULL")
        dates, bounds = fts.date_range(date_from, date_to)
        counts: dict = {}
        stories: dict = {}
        for published, mentions, cluster in self.db.execute(sql + dates + " ORDER BY a.published_utc", [entity] + bounds):
            start = period(published)
            articles, total = counts.get(start, (0, 0))
            counts[start] = (articles + 1, total + mentions)
            stories.setdefault(start, set()).add(cluster)
        return tl.fill(entity, {d: (a, m, len(stories[d])) for d, (a, m) in counts.items()}, interval)

    def period_counts(self, query: Node, interval: str = "month", tz: str | None = None,
                      date_from=None, date_to=None) -> PeriodCounts:
        zone = tl.zone(tz)
        where, params = fts.full_where(query, date_from, date_to)
        matched: dict = {}
        clusters: dict = {}
        for published, cluster in self.db.execute(
                f"SELECT a.published_utc, coalesce(a.cluster, a.id) FROM articles a "
                f"WHERE {where} AND a.published_utc IS NOT NULL", params):
            start = tl.period_start(tl.parse_utc(published), interval, zone)
            matched[start] = matched.get(start, 0) + 1
            clusters.setdefault(start, set()).add(cluster)
        dates, bounds = fts.date_range(date_from, date_to)
        totals: dict = {}
        # grouped by instant first: many articles share a publication time, and parsing is the cost
        for published, n in self.db.execute(
                f"SELECT a.published_utc, count(*) FROM articles a WHERE a.published_utc IS NOT NULL{dates} "
                "GROUP BY a.published_utc", bounds):
            start = tl.period_start(tl.parse_utc(published), interval, zone)
            totals[start] = totals.get(start, 0) + n
        return PeriodCounts({d: (n, len(clusters[d])) for d, n in matched.items()}, totals)

    def entity_counts(self, query: Node, type_: str | None = None, limit: int = 20) -> list[EntityCount]:
        where, params = fts.where(query)
        sql = (f"SELECT e.name, e.type, count(*) c, sum(e.mentions) m, count(DISTINCT coalesce(x.cluster, x.id)) "
               f"FROM entities e JOIN {fts.KEYS} x ON x.rowid = e.article WHERE e.article IN "
               f"(SELECT a.rowid FROM {fts.KEYS} a WHERE {where})")
        if type_:
            sql += " AND e.type = ?"
            params = params + [type_]
        sql += " GROUP BY e.name, e.type ORDER BY c DESC, m DESC, e.name LIMIT ?"
        return [EntityCount(*row) for row in self.db.execute(sql, params + [limit])]

    def history(self, article_id: str) -> list[Revision]:
        row = self.db.execute("SELECT rowid, fetched, title, body, content_hash FROM articles WHERE id = ?",
                              (article_id,)).fetchone()
        if not row:
            return []
        older = self.db.execute("SELECT fetched, title, body, content_hash FROM revisions WHERE article = ? "
                                "ORDER BY rowid", (row[0],)).fetchall()
        return [Revision(f, t, b.split("\n\n") if b else [], h) for f, t, b, h in older + [row[1:]]]

    def stats(self) -> dict:
        q = self.db.execute
        return {
            "backend": "sqlite", "location": str(self.path), "schema_version": SCHEMA_VERSION,
            "korean_analysis": "kiwipiepy stems",      # index/korean.py
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "sources": dict(q("SELECT source, count(*) FROM articles GROUP BY source ORDER BY source").fetchall()),
            "entities": q("SELECT count(DISTINCT name) FROM entities").fetchone()[0],
            "first_published": q("SELECT min(published_utc) FROM articles").fetchone()[0],
            "last_published": q("SELECT max(published_utc) FROM articles").fetchone()[0],
            "archived_articles": q("SELECT count(*) FROM archive_refs").fetchone()[0],
        }


def _marked(text: str) -> str:
    """Escape a snippet for HTML, then turn the private markers into <mark> tags."""
    return html.escape(" ".join(text.split())).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _lead(body: str, words: int = SNIPPET_WORDS) -> str:
    parts = body.split()
    return html.escape(" ".join(parts[:words]) + (" …" if len(parts) > words else ""))
