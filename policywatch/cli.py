"""`policywatch`: the entry point. Each command group lives in policywatch/commands/ (its arguments
and its handler together); this module assembles the parser and turns errors into exit codes here
and nowhere else.

Exit codes: 0 done; 1 the work failed (index unreachable, a page could not be fetched for
`extract`); 2 bad usage (a malformed query, an unknown source, a bad date)."""
from __future__ import annotations

import argparse
import logging
import sys

from common.errors import PolicyWatchError
from common.logs import quiet_libraries
from core.config import Config, from_args
from core.sources import adopt_sources

from . import __version__
from .commands import (alert, cases, crawl, entities, export, extract, history, import_, maintenance, reprocess,
                       schedule, search, serve, status, timeline, trend)
from .commands.flags import _gazetteer_flag, _index_flags
from .commands.shared import _note

logger = logging.getLogger("policywatch")

# The command groups in the order `policywatch --help` lists them.
GROUPS = (crawl, import_, reprocess, search, export, trend, extract, timeline, entities, serve, history, status,
          schedule, maintenance, alert)


class _Parser(argparse.ArgumentParser):
    """Bad usage is one line on stderr and exit 2 (argparse's default adds the whole usage block)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")



# Commands that, without --sources, use the sources file the index's last crawl read (core/sources.py).
SOURCES_FROM_INDEX = ("crawl", "status", "schedule", "search", "export", "trend", "entities", "serve")


def check_files(args, cfg: Config) -> None:
    """Every data file the user named (gazetteers, sources; the config file is read by
    from_args) is read once, before any work: a typo is one line and exit 2, never a crawl
    that loses every article."""
    if cfg.gazetteers and hasattr(args, "gazetteer"):
        from nlp.gazetteer import Gazetteer
        Gazetteer.load(cfg.gazetteers)            # GazetteerError: BadUsage naming file and entry
    if cfg.sources and hasattr(args, "sources"):
        from ingest.sources import load_sources
        load_sources(cfg.sources)                 # SourcesError: BadUsage naming file and entry



# -- the parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policywatch", description="Monitor how governments act on online harms: "
                                     "crawl outlets, search articles, follow entities over time.")
    parser.add_argument("--version", action="version", version=f"policywatch {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for group in GROUPS:
        group.add_parser(sub)
    cases.add_commands(sub, _index_flags, _gazetteer_flag)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    handler = logging.StreamHandler()
    handler.setLevel(level)          # Scrapy lowers the root logger's level; the handler keeps ours
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    # the Elasticsearch client warns on every failed connection; the index logs one clear warning instead
    logging.getLogger("elastic_transport").setLevel(logging.ERROR if args.verbose < 2 else logging.DEBUG)
    quiet_libraries(args.verbose)
    try:
        cfg = from_args(args)
        check_files(args, cfg)
        if args.command in SOURCES_FROM_INDEX:
            adopted = adopt_sources(cfg, need_file=args.command in ("crawl", "schedule"))
            if adopted and args.command in ("crawl", "schedule", "status"):
                _note([f"the sources this index was built from: {adopted} (--sources FILE for others)"])
        return args.func(args, cfg)
    except PolicyWatchError as exc:   # the one place errors become exit codes: 2 bad usage, 1 work failed
        print(f"policywatch: {exc.user_message()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0



if __name__ == "__main__":
    sys.exit(main())
