"""`policywatch search`: full-text search with the query language."""
from __future__ import annotations

import sys

from index import SearchRequest
from index.base import SORTS
from core import notes, output
from core.config import Config, parse_range

from .flags import MAX_LIMIT, MAX_OFFSET, _bounded, _date_flags, _gazetteer_flag, _index_flags, _sources_flag
from .shared import _note, _opened, _query, _unused_sources_note


SEARCH_COLUMNS = ["id", "url", "title", "source", "published", "score", "snippet", "copies", "revisions"]


def cmd_search(args, cfg: Config) -> int:
    args.query = " ".join(args.query)        # `search telegram deepfake`: both words, as a search box
    _unused_sources_note(args, [args.query])
    date_from, date_to = parse_range(args.date_from, args.date_to)
    request = SearchRequest(query=_query(cfg, args.query), date_from=date_from, date_to=date_to, sort=args.sort,
                            limit=args.limit, offset=args.offset, collapse=args.collapse)
    with _opened(cfg) as index:
        result = index.search(request)
        _note(notes.search_notes(index, args.query, request.query, result.total))
    records = [h.record() for h in result.hits]
    if args.format == "json":
        output.write_json(records, sys.stdout)
    elif args.format == "csv":
        output.write_csv(records, SEARCH_COLUMNS, sys.stdout)
    else:
        rows = [dict(r, snippet=output.plain(r["snippet"]), published=(r["published"] or "")[:10]) for r in records]
        columns = ["published", "source", "title", "snippet"] + (["copies"] if args.collapse else [])
        output.write_table(rows, columns, sys.stdout, {"title": 60})
        print(f"{len(records)} of {result.total_text()} matching articles", file=sys.stderr)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("search", help="full-text search with the query language")
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="words and operators; several arguments are one query (`search telegram deepfake`)")
    _index_flags(p)
    _date_flags(p)
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument("--limit", type=_bounded(0, MAX_LIMIT), default=20)
    p.add_argument("--offset", type=_bounded(0, MAX_OFFSET), default=0)
    p.add_argument("--collapse", action="store_true", help="one hit per story (syndicated copies folded), with their count")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_search)
