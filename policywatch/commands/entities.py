"""`policywatch entities`: the most mentioned entities among matching articles."""
from __future__ import annotations

import sys

from nlp.model import ENTITY_TYPES
from core import output
from core.config import Config

from .flags import MAX_LIMIT, _bounded, _gazetteer_flag, _index_flags, _sources_flag
from .shared import _opened, _query, _unused_sources_note


def cmd_entities(args, cfg: Config) -> int:
    _unused_sources_note(args, [args.query])
    query = _query(cfg, args.query)
    with _opened(cfg) as index:
        rows = [vars(r) for r in index.entity_counts(query, args.type.upper() if args.type else None, args.limit)]
    columns = ["name", "type", "articles", "stories", "mentions"]
    if args.format == "json":
        output.write_json(rows, sys.stdout)
    elif args.format == "csv":
        output.write_csv(rows, columns, sys.stdout)
    else:
        output.write_table(rows, columns, sys.stdout)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("entities", help="the most mentioned entities among matching articles")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _index_flags(p)
    p.add_argument("--type", type=str.upper, choices=ENTITY_TYPES)
    p.add_argument("--limit", type=_bounded(1, MAX_LIMIT), default=20)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_entities)
