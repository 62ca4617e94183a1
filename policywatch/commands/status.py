"""`policywatch status`: each source's recent crawl runs and health."""
from __future__ import annotations

import sys

from core import output
from core.config import Config
from core.sources import outlets

from .flags import _archive_flag, _index_flags
from .shared import _opened


def cmd_status(args, cfg: Config) -> int:
    from ingest.health import assess
    names = [s.name for s in outlets(cfg) if s.enabled]
    with _opened(cfg) as index:
        known = {r.source for r in index.runs(limit=1000)}
        reports = [assess(name, index.runs(name, args.runs)) for name in dict.fromkeys(names + sorted(known))]
        stats = index.stats()
        archived = stats["archived_articles"]      # the catalogue's count: no archive file is read
        archived = index.stats()["archived_articles"]      # the catalogue's count: no archive file is read
        from .alert import status_lines
        failing_alerts = status_lines(index)
    if args.format == "json":
        output.write_json([{"source": h.source, "ok": h.ok, "flags": h.flags, "runs": [{k: v for k, v in vars(r).items() if k != "sources_text"} for r in h.runs]}
                           for h in reports], sys.stdout)
        return 0
    rows = []
    for h in reports:
        last = h.runs[0] if h.runs else None
        rows.append({"source": h.source, "last run": last.started if last else "",
                     "fetched": last.pages_fetched if last else "", "new": last.new if last else "",
                     "updated": last.updated if last else "", "unchanged": last.unchanged if last else "",
                     "skipped": last.skipped if last else "", "failed": last.errors if last else "",
                     "outcome": last.outcome if last else "", "health": "ok" if h.ok else "; ".join(h.flags)})
    output.write_table(rows, ["source", "last run", "fetched", "new", "updated", "unchanged", "skipped", "failed",
                              "outcome", "health"], sys.stdout)
    from archive.warc import summary
    archive = summary(cfg.archive_dir)
    print(f"archive {archive['dir']}: {archived} archived articles in {archive['files']} file(s), "
          f"{archive['bytes'] / 1e6:.1f} MB", file=sys.stderr)     # stdout stays one table
    print(f"korean analysis: {stats['korean_analysis']}", file=sys.stderr)
    for line in failing_alerts:
        print(line, file=sys.stderr)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("status", help="each source's recent crawl runs and health")
    p.add_argument("--sources", metavar="FILE")
    p.add_argument("--runs", type=int, default=5, help="runs per source to look at (default 5)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _archive_flag(p)
    _index_flags(p)
    p.set_defaults(func=cmd_status)
