"""`policywatch reprocess`: extract archived pages again, or only re-tag entities (archive/reprocess.py)."""
from __future__ import annotations

import sys

from core.config import Config

from .flags import _gazetteer_flag, _index_flags
from .shared import _opened, _query


def cmd_reprocess(args, cfg: Config) -> int:
    from archive.reprocess import reprocess
    from ingest.sources import SourcesError, load_sources
    try:
        sources = load_sources(None)                      # the outlets' languages and time zones
    except SourcesError:
        sources = []
    query = _query(cfg, args.query)
    with _opened(cfg) as index:
        result = reprocess(index, query, nlp_only=args.nlp_only, sources=sources, gazetteers=cfg.gazetteers)
    for change in result.changes:
        detail = ""
        if change.added or change.removed:
            detail = " (" + ", ".join([f"+{n}" for n in change.added] + [f"-{n}" for n in change.removed]) + ")"
        print(f"{change.id}  {change.url}: {', '.join(change.fields)} changed{detail}")
    fields = ("body", "date", "entities", "actions")
    by_field = ", ".join(f"{f} {sum(f in c.fields for c in result.changes)}" for f in fields)
    print(f"reprocessed {result.matched} articles: {len(result.changes)} changed ({by_field}), "
          f"{result.unchanged} unchanged, {result.no_archive} with no archived page (left alone), "
          f"{result.unreadable} with an unreadable archived page, {result.not_article} no longer read as "
          f"articles (left alone), {len(result.errors)} errors", file=sys.stderr)
    for error in result.errors[:20]:
        print(f"  {error}", file=sys.stderr)
    if result.spooled:
        print(f"policywatch: {result.spooled} articles spooled (Elasticsearch unavailable); reprocess again later",
              file=sys.stderr)
    return 1 if result.errors or result.spooled else 0


def add_parser(sub) -> None:
    p = sub.add_parser("reprocess", help="extract archived pages again (or only re-tag entities) and update")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    p.add_argument("--nlp-only", action="store_true",
                   help="only entities and actions, from the stored text (after a gazetteer edit)")
    _index_flags(p)
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_reprocess)
