"""`policywatch alert …`: alerts on a query or an entity, delivered through Apprise channels
(alerts/). Hooked into the parser by cli.build_parser; each subcommand parses its flags and calls
one function of alerts/."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone

from common.errors import BadUsage
from core import output
from core.config import DEFAULT_STATE, Config

from .flags import _gazetteer_flag, _index_flags, _sources_flag
from .shared import _canonical, _note, _opened, _query


def _context(args, cfg: Config):
    from alerts.channels import Secrets
    from alerts.run import SETTLE, Context
    from ingest.sources import load_sources
    settle = getattr(args, "settle", None)
    settle = settle if settle is not None else (cfg.alert_settle if cfg.alert_settle is not None else SETTLE)
    # the environment is read here, at the edge: ${VAR} in a channel URL is filled from it
    return Context(secrets=Secrets(dict(os.environ), dict(cfg.channels)),
                   parse_query=lambda text: _query(cfg, text),
                   sources=[s.name for s in load_sources(cfg.sources) if s.enabled],
                   base_url=cfg.base_url, settle=settle)


def _now(args) -> datetime | None:
    from common.dates import parse_iso
    if not getattr(args, "now", None):
        return None
    moment = parse_iso(args.now)
    if moment is None:
        raise BadUsage(f"bad --now '{args.now}': use an ISO 8601 date-time")
    return moment


def _definition(args, cfg: Config):
    """(query text, entity, saved search name, case id) from --query / --entity / --saved / --case."""
    if getattr(args, "case", None):
        return "", None, None, args.case.strip().lower()
    if args.entity:
        return "", _canonical(cfg, args.entity), None, None
    if args.saved:
        # a saved search of the web UI (its own small file, serve --state): its query and filters
        from web.errors import NotFound
        from web.saved import SavedSearches, slugify
        from web.search import SearchForm
        try:
            saved = SavedSearches(args.state).get(slugify(args.saved))
        except NotFound:
            raise BadUsage(f"no saved search '{args.saved}' in {args.state}") from None
        return SearchForm.from_saved(saved.query, saved.filters).query_text(), None, saved.name, None
    return args.query, None, None, None


def cmd_add(args, cfg: Config) -> int:
    from alerts.run import create
    from common.dates import parse_iso
    query, entity, saved, case = _definition(args, cfg)
    if case is None:
        _query(cfg, query or ('entity:"' + entity + '"'))    # a malformed query: exit 2 now, not at send time
    since = parse_iso(args.since) if args.since else None
    if args.since and since is None:
        raise BadUsage(f"bad --since '{args.since}': use YYYY-MM-DD or an ISO 8601 date-time")
    with _opened(cfg) as index:
        alert = create(index, _context(args, cfg).secrets, args.name, args.to, query=query, entity=entity, case=case,
                       every=args.every, at=args.at, tz=args.tz, since=since,
                       empty_digest=not args.no_empty_digest, saved=saved)
    print(f"alert {args.name}: {alert.query_text()} ({args.every}) to {len(alert.channels)} channel(s)",
          file=sys.stderr)
    return 0


def _rows(summaries: list[dict]) -> list[dict]:
    return [{"name": s["name"], "query": s["query"], "every": s["every"] + (f" {s['at']}" if s["at"] else ""),
             "channel": c["url"], "last delivery": c["last_delivery"] or "never", "next": c["next"],
             "failures": c["failures"], "last error": c["last_error"] or ""}
            for s in summaries for c in s["channels"]]


def cmd_list(args, cfg: Config) -> int:
    from alerts.model import all_alerts
    from alerts.run import summary
    ctx = _context(args, cfg)
    now = datetime.now(timezone.utc)
    with _opened(cfg) as index:
        summaries = [summary(a, ctx.secrets, now) for a in all_alerts(index)]
    if not summaries:
        _note([f"no alert on {cfg.index_url} yet: policywatch alert add NAME --query Q --to URL (docs/alerts.md)"])
    if args.format == "json":
        output.write_json(summaries, sys.stdout)
    else:
        output.write_table(_rows(summaries), ["name", "query", "every", "channel", "last delivery", "next",
                                              "failures", "last error"], sys.stdout)
    return 0


def cmd_show(args, cfg: Config) -> int:
    from alerts.model import get
    from alerts.run import summary
    ctx = _context(args, cfg)
    with _opened(cfg) as index:
        shown = summary(get(index, args.name), ctx.secrets, datetime.now(timezone.utc))
    output.write_json(shown, sys.stdout)
    return 0


def cmd_remove(args, cfg: Config) -> int:
    from alerts.model import remove
    with _opened(cfg) as index:
        remove(index, args.name)
    print(f"alert {args.name} removed", file=sys.stderr)
    return 0


def _report(outcomes, fmt: str) -> int:
    if fmt == "json":
        output.write_json([o.record() for o in outcomes], sys.stdout)
    else:
        output.write_table([o.record() for o in outcomes], ["alert", "channel", "status", "stories", "error"],
                           sys.stdout)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def cmd_test(args, cfg: Config) -> int:
    from alerts import render
    from alerts.run import send_test
    with _opened(cfg) as index:
        digest, outcomes = send_test(index, _context(args, cfg), args.name, dry_run=args.dry_run)
    if args.dry_run:
        sys.stdout.write(render.text(digest))
        return 0
    return _report(outcomes, "table")


def cmd_run(args, cfg: Config) -> int:
    from crawler.locks import leased, source_locks
    from alerts.run import run_alerts
    with _opened(cfg) as index, source_locks(cfg.lock_dir, [RUN_LOCK]) as (mine, _), \
            leased(index.crawl_leases(), mine, ttl=RUN_LEASE, renew_every=RUN_LEASE / 3) as (locked, _):
        if not locked:             # another `alert run` is sending: it would send the same messages
            print("policywatch: alerts are being run by another process; skipped", file=sys.stderr)
            return 0
        outcomes = run_alerts(index, _context(args, cfg), now=_now(args), due_only=args.due,
                              names=args.names or None)
    return _report(outcomes, args.format)


def cmd_preview(args, cfg: Config) -> int:
    from alerts import render
    from alerts.model import Alert
    from alerts.run import preview
    query, entity, _, case = _definition(args, cfg)
    alert = Alert("preview", query=query, entity=entity, case=case)
    with _opened(cfg) as index:
        digest = preview(index, _context(args, cfg), alert, since=args.since)
    if args.format == "json":
        from alerts.render import payload
        output.write_json(payload(digest), sys.stdout)
    else:
        sys.stdout.write(render.text(digest))
    return 0


RUN_LOCK = "alerts.run"       # beside the sources' crawl locks and leases: one `alert run` at a time
RUN_LEASE = 30.0              # seconds: a run killed mid-way holds the Elasticsearch lease this long at most


def status_lines(index) -> list[str]:
    """What `policywatch status` says of alerts: those whose deliveries are failing."""
    from alerts.model import all_alerts
    lines = []
    for alert in all_alerts(index):
        failing = [c for c in alert.channels if c.failures]
        if failing:
            worst = max(failing, key=lambda c: c.failures)
            lines.append(f"alert {alert.name}: {len(failing)} channel(s) failing, {worst.failures} failed "
                         f"deliveries in a row (retry after {worst.retry_at}): {worst.error}")
    return lines


def _common(p: argparse.ArgumentParser) -> None:
    _index_flags(p)
    p.add_argument("--base-url", metavar="URL", help="the web UI's address, for links to article pages in "
                   "messages; env POLICYWATCH_BASE_URL, config base_url")
    _sources_flag(p)
    _gazetteer_flag(p)


def _what(p: argparse.ArgumentParser, saved: bool) -> None:
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--query", metavar="Q", help="a query in the search language")
    what.add_argument("--entity", metavar="E", help="an entity (name or alias): Korean articles linked to it too")
    what.add_argument("--case", metavar="ID", help="a case (policywatch cases): a new stage, or a new source "
                      "reporting a stage, is news")
    if saved:
        what.add_argument("--saved", metavar="SEARCH", help="a saved search of the web UI (see --state)")
        p.add_argument("--state", default=DEFAULT_STATE, metavar="FILE", help="the web UI's saved searches "
                       f"(serve --state; default {DEFAULT_STATE})")


def add_parser(sub) -> None:
    """The `alert` command group (called by cli.build_parser)."""
    group = sub.add_parser("alert", help="alerts on a query or an entity, sent through Apprise channels")
    cmds = group.add_subparsers(dest="alert_command", required=True, metavar="COMMAND",
                                parser_class=type(group))

    p = cmds.add_parser("add", help="add an alert")
    p.add_argument("name", metavar="NAME")
    _what(p, saved=True)
    p.add_argument("--to", action="append", required=True, metavar="URL",
                   help="an Apprise URL (repeatable); ${VAR} is read from the environment; or a config channel's NAME")
    p.add_argument("--every", choices=("instant", "daily", "weekly"), default="instant")
    p.add_argument("--at", default="08:00", metavar="HH:MM", help="when a daily or weekly (Monday) digest goes out")
    p.add_argument("--tz", default="UTC", metavar="ZONE", help="IANA time zone of --at (default UTC)")
    p.add_argument("--since", metavar="DATE", help="also send what was indexed since then (default: only what "
                   "is indexed from now on)")
    p.add_argument("--no-empty-digest", action="store_true", help="a daily/weekly digest with nothing new is not sent")
    _common(p)
    p.set_defaults(func=cmd_add)

    p = cmds.add_parser("list", help="every alert, each channel with its last and next delivery and failures")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _common(p)
    p.set_defaults(func=cmd_list)

    p = cmds.add_parser("show", help="one alert (JSON)")
    p.add_argument("name", metavar="NAME")
    _common(p)
    p.set_defaults(func=cmd_show)

    p = cmds.add_parser("remove", help="remove an alert")
    p.add_argument("name", metavar="NAME")
    _common(p)
    p.set_defaults(func=cmd_remove)

    p = cmds.add_parser("test", help="send a sample now: the newest matches, whatever was sent before")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--dry-run", action="store_true", help="print the message instead of sending it")
    _common(p)
    p.set_defaults(func=cmd_test)

    p = cmds.add_parser("run", help="send what is new (exit 1 when a delivery failed); for cron: --due")
    p.add_argument("names", nargs="*", metavar="NAME", help="only these alerts")
    p.add_argument("--due", action="store_true", help="only channels whose time has come (digest time, backoff)")
    p.add_argument("--now", metavar="TIME", help="decide what is due as at this ISO 8601 time (tests, catching up)")
    p.add_argument("--settle", type=float, metavar="SECONDS", help="leave out articles indexed in the last "
                   "SECONDS, for writes still in flight (default 30; config alert_settle)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _common(p)
    p.set_defaults(func=cmd_run)

    p = cmds.add_parser("preview", help="print the digest an alert would send, sending nothing and storing nothing")
    _what(p, saved=True)
    p.add_argument("--since", metavar="DATE", help="only what was indexed since then (default: everything)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _common(p)
    p.set_defaults(func=cmd_preview)
