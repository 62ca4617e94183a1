"""`policywatch import`: index the HTML pages of WARC files (archive/warc_import.py)."""
from __future__ import annotations

import re
import sys

from common.errors import BadUsage
from core import output
from core.config import Config, parse_range

from .flags import _gazetteer_flag, _index_flags
from .shared import _degraded_note, _opened


def cmd_import(args, cfg: Config) -> int:
    from ingest.sources import load_sources
    from archive.warc_import import ImportOptions, import_warcs, warc_paths
    files = warc_paths(args.paths)                        # bad input fails before any work
    sources = load_sources(cfg.sources)
    if args.source and not re.fullmatch(r"[a-z0-9_-]+", args.source):
        raise BadUsage(f"--source '{args.source}': names are lower-case letters, digits, '-' and '_'")
    date_from, date_to = parse_range(args.date_from, args.date_to)
    options = ImportOptions(source=args.source, sources=sources, only_listed=bool(args.sources),
                            date_from=date_from, date_to=date_to,
                            nlp=not args.no_nlp, gazetteers=cfg.gazetteers, progress_seconds=10.0)
    with _opened(cfg, create=True) as index:       # like a crawl, an import may start an index
        result = import_warcs(files, index, options)
    rows = [s.record() for s in result.summaries]
    if args.format == "json":
        output.write_json({"files": result.files, "records": result.records, "outside_dates": result.outside_dates,
                           "unlisted": result.unlisted, "damaged": result.damaged, "sources": rows}, sys.stdout)
    else:
        output.write_table(rows, ["source", "pages_fetched", "new", "updated", "unchanged", "skipped", "errors"],
                           sys.stdout)
        for s in result.summaries:
            for reason, n in sorted(s.reasons.items()):
                print(f"  {s.source}: {reason}: {n}")
    print(f"read {result.records} records from {result.files} file(s); {result.outside_dates} outside --from/--to, "
          f"{result.unlisted} not from a listed outlet", file=sys.stderr)
    for damaged in result.damaged:
        print(f"policywatch: {damaged}; the rest of that file was skipped", file=sys.stderr)
    _degraded_note(result.summaries)
    return 1 if result.errors else 0


def add_parser(sub) -> None:
    p = sub.add_parser("import", help="index the HTML pages of WARC files (own archive, wget, CC-NEWS)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="WARC or WARC.gz files, or directories of them")
    p.add_argument("--source", metavar="NAME", help="every page belongs to this outlet")
    p.add_argument("--sources", metavar="FILE", help="only pages of the outlets in this sources YAML")
    p.add_argument("--no-nlp", action="store_true", help="skip entities and actions (faster)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="only records fetched (WARC-Date) on or after")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only records fetched on or before")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _index_flags(p)
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_import)
