"""`policywatch trend`: coverage over time, one line per query (index/trend.py)."""
from __future__ import annotations

from index.base import INTERVALS
from core import notes, output
from core.config import Config, parse_range

from .flags import _date_flags, _gazetteer_flag, _index_flags, _sources_flag, _output_flag
from .shared import CHART_FORMATS, _note, _opened, _out, _output_format, _query, _unused_sources_note, _wrote


def cmd_trend(args, cfg: Config) -> int:
    from index.trend import COLUMNS, trend
    _unused_sources_note(args, args.queries)
    queries = [(text, _query(cfg, text)) for text in args.queries]     # a bad query fails before any output
    date_from, date_to = parse_range(args.date_from, args.date_to)
    fmt = _output_format(args, CHART_FORMATS)
    with _out(args.output) as out:       # a bad --output fails before the counting
        with _opened(cfg) as index:
            rows = trend(index, queries, args.interval, args.tz, date_from, date_to)
            for text, query in queries:      # a line of zeros says why, as search does
                if not any(r.articles for r in rows if r.query == text):
                    _note(notes.search_notes(index, text, query, 0))
        if fmt == "json":
            output.write_json([vars(r) for r in rows], out)
        else:
            output.write_csv((vars(r) for r in rows), COLUMNS, out)
    _wrote(args.output, f"{len(rows)} rows ({fmt})")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("trend", help="coverage over time: matching articles, stories and share per period (CSV)")
    p.add_argument("queries", nargs="+", metavar="QUERY", help="one or more queries, each a line of the chart")
    _index_flags(p)
    _date_flags(p)
    p.add_argument("--interval", choices=INTERVALS, default="month")
    p.add_argument("--tz", metavar="ZONE", help="IANA time zone for periods (default UTC)")
    p.add_argument("--format", choices=CHART_FORMATS, help="default: the --output file's extension, else csv")
    _output_flag(p)
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_trend)
