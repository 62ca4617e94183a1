"""`policywatch schedule`: run due crawls until stopped (crawler/schedule.py)."""
from __future__ import annotations

import sys

from core.config import Config
from core.sources import outlets

from .crawl import _checked_settings, _last_started, _set_overrides
from .flags import _index_flags


def cmd_schedule(args, cfg: Config) -> int:
    from crawler.schedule import Scheduler
    _checked_settings(args, cfg, _set_overrides(args.set))     # a bad --set: exit 2 now, not in every crawl
    sources = [s for s in outlets(cfg) if s.enabled and s.schedule]
    if not sources:
        print("policywatch: no source in the sources file has a schedule", file=sys.stderr)
        return 2
    # --due: each crawl checks again once it holds its sources, so schedulers on several machines
    # sharing one Elasticsearch index crawl each source once per period
    crawl_args = ["--due", "--index", cfg.index_url] + (["--sources", cfg.sources] if cfg.sources else [])
    crawl_args += [a for item in args.set or [] for a in ("--set", item)]
    print(f"scheduling {len(sources)} source(s); Ctrl-C or SIGTERM stops after the running crawls", file=sys.stderr)
    alert_args = ["--index", cfg.index_url] + (["--sources", cfg.sources] if cfg.sources else [])
    return Scheduler(sources, _last_started(cfg), crawl_args, tick=args.tick, alert_args=alert_args).run()


def add_parser(sub) -> None:
    p = sub.add_parser("schedule", help="run due crawls until stopped (SIGTERM/SIGINT end it cleanly)")
    p.add_argument("--sources", metavar="FILE")
    p.add_argument("--tick", type=float, default=30.0, help="seconds between checks for due sources")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="passed on to each crawl")
    _index_flags(p)
    p.set_defaults(func=cmd_schedule)
