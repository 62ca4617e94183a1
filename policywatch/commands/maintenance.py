"""`policywatch stats`, `flush`, `reindex`, `copy`: what the index holds, and keeping it."""
from __future__ import annotations

import sys

from core import output
from core.config import Config

from .flags import _archive_flag, _index_flags
from .shared import _opened


def cmd_stats(args, cfg: Config) -> int:
    from archive.warc import summary
    with _opened(cfg) as index:
        output.write_json({**index.stats(), "archive": summary(cfg.archive_dir)}, sys.stdout)
    return 0


def cmd_flush(args, cfg: Config) -> int:
    from index.maintenance import flush
    result = flush(cfg.index_url, **cfg.index_options)
    print(f"flushed: {result.new} new, {result.updated} updated, {result.unchanged} unchanged, "
          f"{len(result.failed)} rejected; {result.spooled} still spooled")
    for url, reason in result.failed:
        print(f"  rejected {url}: {reason}", file=sys.stderr)
    return 1 if result.spooled or result.failed else 0


def cmd_reindex(args, cfg: Config) -> int:
    from index.maintenance import reindex
    result = reindex(cfg.index_url, **cfg.index_options)
    print(f"reindexed {result.documents} articles: {result.alias} now points at {result.new_index} "
          f"({result.old_index} deleted)")
    return 0


def cmd_copy(args, cfg: Config) -> int:
    from index.maintenance import copy
    result = copy(args.from_url, args.to_url, **cfg.index_options)
    print(f"copied {result.read} articles: {result.new} new, {result.updated} updated, {result.unchanged} unchanged, "
          f"{len(result.failed)} rejected, {result.spooled} spooled")
    for url, reason in result.failed:
        print(f"  rejected {url}: {reason}", file=sys.stderr)
    return 1 if result.failed else 0


def add_parser(sub) -> None:
    p = sub.add_parser("stats", help="what the index and the page archive hold")
    _archive_flag(p)
    _index_flags(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("flush", help="write the articles spooled while Elasticsearch was unavailable")
    _index_flags(p)
    p.set_defaults(func=cmd_flush)

    p = sub.add_parser("reindex", help="rebuild an Elasticsearch collection into a new index, no downtime")
    _index_flags(p)
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("copy", help="copy every article from one index to another (any backends)")
    p.add_argument("--from", dest="from_url", required=True, metavar="URL", help="the index to read")
    p.add_argument("--to", dest="to_url", required=True, metavar="URL", help="the index to write")
    p.add_argument("--es-api-key", metavar="KEY", help="Elasticsearch API key; env POLICYWATCH_ES_API_KEY")
    p.add_argument("--es-ca-certs", metavar="FILE", help="CA bundle for Elasticsearch TLS; env POLICYWATCH_ES_CA_CERTS")
    p.set_defaults(func=cmd_copy)
