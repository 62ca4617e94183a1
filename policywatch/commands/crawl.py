"""`policywatch crawl`: crawl the sources once (Scrapy, in this process) and index what is new."""
from __future__ import annotations

import logging
import sys

from common.dates import parse_iso
from common.errors import BadUsage
from index import IndexMissing
from core import output
from core.config import Config
from core.sources import outlets

from .flags import _archive_flag, _gazetteer_flag, _index_flags
from .shared import _degraded_note, _opened


class _OneLineLogs(logging.Filter):
    """Without -v, a crawl's log lines stay one line each: Scrapy and Twisted attach whole
    tracebacks to failures the crawl already counts and sums up per source."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info or record.exc_text or record.stack_info:
            record.exc_info = record.exc_text = record.stack_info = None
        message = record.getMessage()
        if "\n" in message.strip():
            record.msg, record.args = message.strip().splitlines()[0], None
        return True


def _set_overrides(items: list[str] | None) -> dict:
    overrides = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise BadUsage(f"--set takes KEY=VALUE, not '{item}'")
        overrides[key.strip()] = value
    return overrides


def _checked_settings(args, cfg: Config, overrides: dict):
    from crawler.run import crawl_settings
    return crawl_settings(cfg.sources, cfg.index_url, overrides)   # a bad setting raises SettingsError (BadUsage)


def cmd_crawl(args, cfg: Config) -> int:
    from datetime import datetime, timezone

    from crawler.locks import leased, source_locks
    from crawler.run import run_crawl
    from crawler.schedule import due_sources
    from ingest.sources import select
    chosen = select(outlets(cfg), args.source)  # fail early, with the file's message
    overrides = {"POLICYWATCH_INDEX_OPTIONS": cfg.index_options, "POLICYWATCH_PROGRESS_SECONDS": 10.0,
                 "LOG_LEVEL": ("WARNING", "INFO", "DEBUG")[min(args.verbose, 2)], "STATS_DUMP": args.verbose > 0,
                 "LOG_INSTALL_ROOT_HANDLER": False}    # logging is configured in main()
    if cfg.gazetteers:
        overrides["POLICYWATCH_GAZETTEERS"] = cfg.gazetteers
    if args.no_nlp:
        overrides["POLICYWATCH_NLP"] = False
    overrides["POLICYWATCH_ARCHIVE_DIR"] = cfg.archive_dir
    if args.no_archive:
        overrides["POLICYWATCH_ARCHIVE"] = False
    overrides |= _set_overrides(args.set)
    settings = _checked_settings(args, cfg, overrides)       # bad settings: exit 2 before any work
    if args.due:
        chosen = due_sources(chosen, _last_started(cfg)(), datetime.now(timezone.utc))
        if not chosen:
            print("nothing is due", file=sys.stderr)
            return 0
    if not args.verbose:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_OneLineLogs())
    # an unreachable index fails before crawling; this machine's flock, then the index's lease
    # (Elasticsearch: shared by crawlers on every machine) make sure no source is crawled twice at once
    with _opened(cfg, create=True) as index, \
            source_locks(cfg.lock_dir, [s.name for s in chosen]) as (mine, busy_here), \
            leased(index.crawl_leases(), mine) as (locked, busy_elsewhere):
        for name in busy_here + busy_elsewhere:
            where = "another process" if name in busy_here else "another crawler of this index"
            print(f"policywatch: {name} is being crawled by {where}; skipped", file=sys.stderr)
        if args.due and locked:
            # another machine may have crawled a source between our due check and our lease
            still_due = due_sources([s for s in chosen if s.name in locked], _last_started(cfg)(),
                                    datetime.now(timezone.utc))
            locked = [s.name for s in still_due]
        if not locked:
            return 0
        result = run_crawl(locked, settings)
    rows = [s.record() for s in result.summaries]
    if args.format == "json":
        output.write_json(rows, sys.stdout)
    else:
        output.write_table(rows, ["source", "pages_fetched", "new", "updated", "unchanged", "skipped", "errors"], sys.stdout)
        for s in result.summaries:
            for reason, n in sorted(s.reasons.items()):
                print(f"  {s.source}: {reason}: {n}")
    sys.stdout.flush()
    if result.crash:
        print(f"policywatch: the crawl crashed: {result.crash}; what it had collected is kept", file=sys.stderr)
        return 1
    _degraded_note(result.summaries)
    for s in result.summaries:
        if s.outcome == "failed":
            print(f"policywatch: {s.source} failed: {s.cause}", file=sys.stderr)
        elif s.outcome == "partial":
            print(f"policywatch: {s.source}: {s.cause}", file=sys.stderr)
    reason = result.stats.get("finish_reason")
    if reason not in (None, "finished"):
        print(f"policywatch: the crawl ended early: {reason}", file=sys.stderr)
        return 1
    return 1 if result.failed else 0


def _last_started(cfg: Config):
    def read() -> dict:
        with _opened(cfg) as index:
            latest: dict = {}
            for run in index.runs(limit=10000):
                latest.setdefault(run.source, parse_iso(run.started))
            return latest

    def read_or_nothing() -> dict:
        try:
            return read()
        except IndexMissing:
            return {}                   # no index yet: no source has run, every one is due
    return read_or_nothing


def add_parser(sub) -> None:
    p = sub.add_parser("crawl", help="crawl the sources once and index what is new")
    p.add_argument("--sources", metavar="FILE", help="sources YAML (default crawler/sources.yaml)")
    p.add_argument("--source", action="append", metavar="NAME", help="only this source (repeatable)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a Scrapy setting (repeatable)")
    p.add_argument("--no-nlp", action="store_true", help="skip entities and actions (faster)")
    p.add_argument("--due", action="store_true", help="only the sources whose schedule says they are due (for cron)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _archive_flag(p)
    p.add_argument("--no-archive", action="store_true", help="do not keep the fetched pages in WARC files")
    _index_flags(p)
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_crawl)
