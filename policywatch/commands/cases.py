"""`policywatch cases` and `policywatch case ID`: who acts against whom, followed across articles
(index/cases.py). cli.py hooks these in with add_commands(); the flags shared with the other
commands come from there, so this module does not import cli.py."""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from common.errors import BadUsage
from core import notes, output
from core.config import Config, parse_date
from index import open_index
from index import cases
from .shared import _note

LIST_COLUMNS = ["id", "title", "current", "stages", "first", "last", "stories", "sources", "languages"]
STAGE_COLUMNS = ["stage", "date", "status", "stories", "sources", "first_source", "first_title", "evidence"]


def add_commands(sub, *flags: Callable[[argparse.ArgumentParser], None]) -> None:
    """The two commands, with the shared flag groups (index, gazetteer) cli.py passes in."""
    p = sub.add_parser("cases", help="cases: an authority acting on a target, with stages, across articles")
    p.add_argument("query", nargs="?", default="", metavar="QUERY", help="words the case's names or evidence contain")
    p.add_argument("--entity", metavar="NAME", help="cases naming this entity (authority, target or related)")
    p.add_argument("--authority", metavar="NAME", help="cases where this authority acts")
    p.add_argument("--target", metavar="NAME", help="cases against this target")
    p.add_argument("--country", metavar="CODE", help="cases of this country's authorities (KR, FR, ...)")
    p.add_argument("--stage", metavar="STAGE", help="cases that reached this stage (investigation, arrest, charge, ...)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="with a report on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="with a report on or before (YYYY-MM-DD)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    for add in flags:
        add(p)
    p.set_defaults(func=cmd_cases)

    p = sub.add_parser("case", help="one case: its stages in time order, each with its sources and evidence")
    p.add_argument("case_id", metavar="ID")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    for add in flags:
        add(p)
    p.set_defaults(func=cmd_case)


def _day(value: str | None, end: bool = False) -> str | None:
    moment = parse_date(value, end=end)
    return moment.date().isoformat() if moment else None


def _canonical(cfg: Config, name: str | None) -> str | None:
    if not name:
        return None
    from nlp import Gazetteer
    found = Gazetteer.load(cfg.gazetteers or None).resolve(name)
    return found[0] if found else name


def case_filter(args, cfg: Config) -> cases.CaseFilter:
    date_from, date_to = _day(args.date_from), _day(args.date_to, end=True)
    if date_from and date_to and date_from >= date_to:
        raise BadUsage(f"reversed range: the start ({args.date_from}) is after the end ({args.date_to})")
    return cases.CaseFilter(text=args.query or None, entity=_canonical(cfg, args.entity),
                            authority=_canonical(cfg, args.authority), target=_canonical(cfg, args.target),
                            country=args.country, stage=args.stage, date_from=date_from, date_to=date_to)


def list_row(case: cases.Case) -> dict:
    return {"id": case.id, "title": case.title, "current": case.current,
            "stages": " > ".join(s.name for s in case.stages), "first": case.first, "last": case.last,
            "stories": case.stories, "sources": case.sources, "languages": case.languages}


def cmd_cases(args, cfg: Config) -> int:
    flt = case_filter(args, cfg)
    index = open_index(cfg.index_url, create=False, **cfg.index_options)
    try:
        found = cases.find(index, flt)
        if not found:       # an entity nobody mentions: the nearest known names, as search says them
            _note([n for name in {flt.entity, flt.authority, flt.target} - {None}
                   if (n := notes.entity_note(index, name))])
    finally:
        index.close()
    if args.format == "json":
        output.write_json([c.record() for c in found], sys.stdout)
    elif args.format == "csv":
        output.write_csv((list_row(c) for c in found), LIST_COLUMNS, sys.stdout)
    else:
        output.write_table([dict(list_row(c), sources=", ".join(c.sources), languages=", ".join(c.languages))
                            for c in found], LIST_COLUMNS, sys.stdout)
        if not found:
            print("no cases", file=sys.stderr)
    return 0


def cmd_case(args, cfg: Config) -> int:
    index = open_index(cfg.index_url, create=False, **cfg.index_options)
    try:
        case = cases.get(index, args.case_id.strip().lower())
    finally:
        index.close()
    if case is None:
        print(f"policywatch: no case {args.case_id} (see policywatch cases)", file=sys.stderr)
        return 1
    if args.format == "json":
        output.write_json(case.record(), sys.stdout)
        return 0
    rows = [{"stage": s.name, "date": s.date, "status": s.status, "stories": s.stories, "sources": s.sources,
             "first_source": s.first.source, "first_title": s.first.title, "evidence": s.first.sentence}
            for s in case.stages]
    if args.format == "csv":
        output.write_csv(rows, STAGE_COLUMNS, sys.stdout)
        return 0
    print(f"{case.title}  [{case.id}]")
    print(f"authorities: {', '.join(case.authorities)}" + (f"; also named: {', '.join(case.related)}" if case.related else ""))
    output.write_table([dict(r, sources=", ".join(r["sources"])) for r in rows], STAGE_COLUMNS, sys.stdout)
    return 0
