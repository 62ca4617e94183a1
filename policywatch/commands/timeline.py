"""`policywatch timeline`: one entity's articles and mentions per period."""
from __future__ import annotations

from index.base import INTERVALS
from core import notes, output
from core.config import Config, parse_range

from .flags import MAX_LIMIT, _bounded, _date_flags, _gazetteer_flag, _index_flags, _output_flag
from .shared import CHART_FORMATS, _canonical, _note, _opened, _out, _output_format, _wrote


def cmd_timeline(args, cfg: Config) -> int:
    entity = _canonical(cfg, args.entity)
    date_from, date_to = parse_range(args.date_from, args.date_to)
    fmt = _output_format(args, CHART_FORMATS)
    with _opened(cfg) as index, _out(args.output) as out:
        unknown = notes.entity_note(index, entity)
        if unknown:
            _note([unknown])
        if args.detail or args.newest:
            from index.timeline import parse_utc, zone
            tz = zone(args.tz)
            records = ({"date": parse_utc(p).astimezone(tz).isoformat(), "entity": entity, "source": s,
                        "url": u, "title": t, "sentence": sent}
                       for p, s, u, t, sent in index.mentions(entity, date_from, date_to, args.newest))
            columns = ["date", "entity", "source", "url", "title", "sentence"]
        else:
            rows = index.timeline(entity, args.interval, args.tz, date_from, date_to)
            records = (vars(r) for r in rows)
            columns = output.TIMELINE_COLUMNS
        if fmt == "json":
            records = list(records)
            output.write_json(records, out)
            n = len(records)
        else:
            n = output.write_csv(records, columns, out)      # streamed: --detail may be long
    _wrote(args.output, f"{n} rows ({fmt})")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("timeline", help="articles and mentions of one entity per period (CSV)")
    p.add_argument("entity", metavar="ENTITY", help="canonical name or alias")
    _index_flags(p)
    _date_flags(p)
    p.add_argument("--interval", choices=INTERVALS, default="month")
    p.add_argument("--tz", metavar="ZONE", help="IANA time zone for periods (default UTC)")
    p.add_argument("--format", choices=CHART_FORMATS, help="default: the --output file's extension, else csv")
    p.add_argument("--detail", action="store_true", help="one row per mention, with its sentence")
    p.add_argument("--newest", type=_bounded(1, MAX_LIMIT), metavar="N",
                   help="only the N newest mentions, newest first (implies --detail)")
    _output_flag(p)
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_timeline)
