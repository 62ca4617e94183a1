"""`policywatch export`: matching articles as JSON lines or CSV."""
from __future__ import annotations

import sys

from core import notes, output
from core.config import Config, parse_range

from .flags import _date_flags, _gazetteer_flag, _index_flags, _sources_flag, _output_flag
from .shared import EXPORT_FORMATS, _note, _opened, _out, _output_format, _query, _to_file, _unused_sources_note


def cmd_export(args, cfg: Config) -> int:
    _unused_sources_note(args, [args.query])
    query = _query(cfg, args.query)
    date_from, date_to = parse_range(args.date_from, args.date_to)
    fmt = _output_format(args, EXPORT_FORMATS)
    with _opened(cfg) as index, _out(args.output) as out:
        records = (a.export_record() for a in index.export(query, date_from, date_to))
        if fmt == "csv":
            n = output.write_csv(records, output.EXPORT_COLUMNS, out)
        else:
            n = output.write_jsonl(records, out)
        if not n:       # an empty export says why, as search does
            _note(notes.search_notes(index, args.query, query, 0))
    if _to_file(args.output):
        print(f"exported {n} articles to {args.output} ({fmt})", file=sys.stderr)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="export matching articles (all without a query)")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _index_flags(p)
    _date_flags(p)
    p.add_argument("--format", choices=EXPORT_FORMATS, help="default: the --output file's extension, else jsonl")
    _output_flag(p)
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_export)
