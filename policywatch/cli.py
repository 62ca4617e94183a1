"""`policywatch`: thin commands over crawler/, index/ and nlp/. Each parses its flags and calls
one function; errors become one-line messages here and nowhere else.

Exit codes: 0 done; 1 the work failed (index unreachable, a page could not be fetched for
`extract`); 2 bad usage (a malformed query, an unknown source, a bad date)."""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

from common.dates import parse_iso
from common.errors import BadUsage, PolicyWatchError
from common.logs import quiet_libraries
from nlp.model import ENTITY_TYPES
from index import IndexMissing, SearchRequest, open_index, parse
from index.base import INTERVALS, SORTS


from . import __version__
from .commands import cases as cases_cmd
from core.config import DEFAULT_STATE, Config, from_args, parse_range
from core import notes, output
from core.sources import adopt_sources, outlets

logger = logging.getLogger("policywatch")

EXPORT_FORMATS = ("jsonl", "csv")          # the first is the default
CHART_FORMATS = ("csv", "json")            # trend and timeline
SEARCH_COLUMNS = ["id", "url", "title", "source", "published", "score", "snippet", "copies", "revisions"]


# -- helpers --------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """Bad usage is one line on stderr and exit 2 (argparse's default adds the whole usage block)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _bounded(low: int, high: int):
    """An argparse type: an integer from low to high."""
    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range: use {low} to {high:,}")
        return value
    return number


MAX_LIMIT, MAX_OFFSET = 10_000, 1_000_000


def _index_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", metavar="URL", help="sqlite:///PATH (default data/policywatch.db) or "
                   "http(s)://HOST:PORT[/NAME] for Elasticsearch; env POLICYWATCH_INDEX")
    p.add_argument("--es-api-key", metavar="KEY", help="Elasticsearch API key; env POLICYWATCH_ES_API_KEY")
    p.add_argument("--es-ca-certs", metavar="FILE", help="CA bundle for Elasticsearch TLS; env POLICYWATCH_ES_CA_CERTS")


def _date_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after (YYYY-MM-DD or ISO date-time)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before (a YYYY-MM-DD day is included)")


def _archive_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--archive", metavar="DIR", help="the page archive (WARC files); default archive/ beside a SQLite "
                   "index, data/archive/NAME for Elasticsearch")


def _gazetteer_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gazetteer", action="append", metavar="FILE",
                   help="extra gazetteer YAML merged over nlp/gazetteer.yaml (repeatable); env POLICYWATCH_GAZETTEER")


@contextmanager
def _opened(cfg: Config, create: bool = False):
    """The index; only a crawl may create it (a typo'd --index must not make an empty one)."""
    index = open_index(cfg.index_url, create=create, **cfg.index_options)
    try:
        yield index
    finally:
        index.close()


def _gazetteer(cfg: Config):
    from nlp import Gazetteer
    return Gazetteer.load(cfg.gazetteers or None)


def _canonical(cfg: Config, name: str) -> str:
    found = _gazetteer(cfg).resolve(name)
    return found[0] if found else name


def _unused_sources_note(args, texts: list[str]) -> None:
    """--sources on a query command only says what collection: names; given without one, say so."""
    if getattr(args, "sources", None) and not any(re.search(r"(?i)\bcollection:", t or "") for t in texts):
        _note([f"--sources {args.sources} changes nothing here: it only says which outlets a "
               "collection: filter names, and the query has none"])


def _query(cfg: Config, text: str | None):
    gazetteer = None
    groups = None

    def resolve(name):
        nonlocal gazetteer
        gazetteer = gazetteer or _gazetteer(cfg)
        found = gazetteer.resolve(name)
        return found[0] if found else None

    def collection(name):             # the sources file is read only when a query names a collection
        nonlocal groups
        if groups is None:
            from ingest.sources import collections
            groups = collections(outlets(cfg))
        return notes.members(groups, name)
    return parse(text or "", resolve_entity=resolve, resolve_collection=collection)


def _sources_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sources", metavar="FILE", help="sources YAML whose collections collection: names "
                   "(default crawler/sources.yaml)")


def _to_file(path: str | None) -> bool:
    return bool(path) and path != "-"


def _out(path: str | None):
    if not _to_file(path):
        return open(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", newline="", closefd=True)
    folder = Path(path).parent
    if not folder.is_dir():         # a typo'd folder is a mistake to show, not one to create
        raise BadUsage(f"--output {path}: there is no folder {folder}")
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise BadUsage(f"--output {path}: {exc.strerror}") from None


def _output_format(args, choices: tuple[str, ...]) -> str:
    """--format if given, else the --output file's extension (tl.json → json), else the first choice."""
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower().lstrip(".") if _to_file(args.output) else ""
    return suffix if suffix in choices else choices[0]


def _wrote(path: str | None, what: str) -> None:
    if _to_file(path):
        print(f"wrote {what} to {path}", file=sys.stderr)


# -- commands -------------------------------------------------------------------------------
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


def _degraded_note(summaries) -> None:
    if n := sum(s.degraded for s in summaries):
        print(f"policywatch: {n} article(s) indexed without entities: NLP failed on them (see the log); "
              "fix the cause, then run `policywatch reprocess --nlp-only`", file=sys.stderr)


def _note(lines) -> None:
    for line in lines:
        print(f"policywatch: note: {line}", file=sys.stderr)


def cmd_search(args, cfg: Config) -> int:
    args.query = " ".join(args.query)        # `search telegram deepfake`: both words, as a search box
    _unused_sources_note(args, [args.query])
    date_from, date_to = parse_range(args.date_from, args.date_to)
    request = SearchRequest(query=_query(cfg, args.query), date_from=date_from, date_to=date_to, sort=args.sort,
                            limit=args.limit, offset=args.offset, collapse=args.collapse)
    with _opened(cfg) as index:
        result = index.search(request)
        _note(notes.search_notes(index, args.query, request.query, result.total))
    records = [h.record() for h in result.hits]
    if args.format == "json":
        output.write_json(records, sys.stdout)
    elif args.format == "csv":
        output.write_csv(records, SEARCH_COLUMNS, sys.stdout)
    else:
        rows = [dict(r, snippet=output.plain(r["snippet"]), published=(r["published"] or "")[:10]) for r in records]
        columns = ["published", "source", "title", "snippet"] + (["copies"] if args.collapse else [])
        output.write_table(rows, columns, sys.stdout, {"title": 60})
        print(f"{len(records)} of {result.total_text()} matching articles", file=sys.stderr)
    return 0


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
    if _to_file(args.output):
        print(f"exported {n} articles to {args.output} ({fmt})", file=sys.stderr)
    return 0


def cmd_extract(args, cfg: Config) -> int:
    import asyncio
    from ingest import work
    from crawler.fetch import FetchError, fetch
    from ingest.pages import Counter, Ingest, Page
    pages = _extract_targets(args.targets, args.url, args.urls)
    # The crawl's own ingest path, in this process (spaCy loaded once for every page), nothing indexed.
    ingest = Ingest(work.InlineExecutor(not args.no_nlp, cfg.gazetteers), None, Counter(), not args.no_nlp,
                    dedupe=False)
    failed = 0
    results = []
    for target, file, url in pages:
        if file:
            page, charset = Path(file).read_bytes(), None
        else:
            try:
                page, url, charset = fetch(target)
            except FetchError as exc:
                print(f"policywatch: {exc}", file=sys.stderr)
                failed += 1
                continue
        outcome = asyncio.run(ingest.page(Page(source="-", url=url, body=page, fetched="", header_charset=charset)))
        if outcome.degraded:
            print(f"policywatch: {target}: NLP failed ({outcome.degraded}); no entities", file=sys.stderr)
        result = outcome.extracted.to_dict()
        article = outcome.article
        result["entities"] = [{"name": e.name, "type": e.type, "mentions": e.mentions}
                              for e in article.entities] if article else []
        result["actions"] = [{"action": a.action, "sentence": a.sentence} for a in article.actions] if article else []
        if args.format == "jsonl":
            output.write_jsonl([{"file": file, **result}], sys.stdout)
            sys.stdout.flush()
        else:
            results.append(result)
    if args.format == "json":
        output.write_json(results[0] if len(pages) == 1 and results else results, sys.stdout)
    elif args.format == "text":
        for i, result in enumerate(results):
            if i:
                print("\n" + "-" * 72)
            _print_extracted(result)
    return 1 if failed else 0


def _print_extracted(result: dict) -> None:
    keys = ("title", "canonical_url", "published", "published_from", "modified", "authors", "language",
            "section", "image", "encoding")
    if not result["is_article"]:         # a date read off a listing or an error page means nothing
        print(f"not an article: {result['reason']}")
        keys = ("title", "canonical_url", "language", "encoding")
    for key in keys:
        print(f"{key + ':':16}{result[key]}")
    print(f"{'entities:':16}" + ", ".join(f"{e['name']} ({e['type']}, {e['mentions']})" for e in result["entities"]))
    print(f"{'actions:':16}" + ", ".join(sorted({a['action'] for a in result['actions']})))
    print()
    print("\n\n".join(result["body"]))


def _extract_targets(targets: list[str], url: str | None, url_map: str | None) -> list[tuple[str, str | None, str | None]]:
    """(target, file or None, URL) for each target of `extract`; raises BadUsage."""
    urls: dict[str, str] = {}
    if url_map:
        try:
            lines = Path(url_map).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise BadUsage(f"extract: cannot read --urls {url_map}: {exc}") from None
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[1].strip().startswith(("http://", "https://")):
                raise BadUsage(f"extract: {url_map} line {n}: expected FILE<TAB>http(s) URL")
            urls[parts[0].strip()] = parts[1].strip()
            urls[str(Path(url_map).parent.joinpath(parts[0].strip()).resolve())] = parts[1].strip()
    files = [t for t in targets if not t.startswith(("http://", "https://"))]
    if url and len(files) != 1:
        raise BadUsage("extract: --url goes with exactly one FILE; use --urls MAP.tsv for several")
    pages = []
    for target in targets:
        if target.startswith(("http://", "https://")):
            pages.append((target, None, target))
            continue
        path = Path(target)
        if not path.is_file():
            raise BadUsage(f"extract: {target} is neither an http(s) URL nor a file")
        pages.append((target, target, url or urls.get(target) or urls.get(str(path.resolve())) or path.resolve().as_uri()))
    return pages


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


def cmd_entities(args, cfg: Config) -> int:
    _unused_sources_note(args, [args.query])
    query = _query(cfg, args.query)
    with _opened(cfg) as index:
        rows = [vars(r) for r in index.entity_counts(query, args.type.upper() if args.type else None, args.limit)]
    columns = ["name", "type", "articles", "stories", "mentions"]
    if args.format == "json":
        output.write_json(rows, sys.stdout)
    elif args.format == "csv":
        output.write_csv(rows, columns, sys.stdout)
    else:
        output.write_table(rows, columns, sys.stdout)
    return 0


def cmd_trend(args, cfg: Config) -> int:
    from index.trend import COLUMNS, trend
    _unused_sources_note(args, args.queries)
    queries = [(text, _query(cfg, text)) for text in args.queries]     # a bad query fails before any output
    date_from, date_to = parse_range(args.date_from, args.date_to)
    fmt = _output_format(args, CHART_FORMATS)
    with _out(args.output) as out:       # a bad --output fails before the counting
        with _opened(cfg) as index:
            rows = trend(index, queries, args.interval, args.tz, date_from, date_to)
        if fmt == "json":
            output.write_json([vars(r) for r in rows], out)
        else:
            output.write_csv((vars(r) for r in rows), COLUMNS, out)
    _wrote(args.output, f"{len(rows)} rows ({fmt})")
    return 0


def cmd_stats(args, cfg: Config) -> int:
    from archive.warc import summary
    with _opened(cfg) as index:
        output.write_json({**index.stats(), "archive": summary(cfg.archive_dir)}, sys.stdout)
    return 0


def cmd_import(args, cfg: Config) -> int:
    from ingest.sources import load_sources
    from archive.warc_import import ImportOptions, import_warcs, warc_paths
    files = warc_paths(args.paths)                        # bad input fails before any work
    sources = load_sources(cfg.sources)
    if args.source and not re.fullmatch(r"[a-z0-9_-]+", args.source):
        raise BadUsage(f"--source '{args.source}': names are lower-case letters, digits, '-' and '_'")
    date_from, date_to = parse_range(args.date_from, args.date_to)
    options = ImportOptions(source=args.source, sources=sources, only_listed=bool(args.sources),
                            date_from=date_from, date_to=date_to,
                            nlp=not args.no_nlp, gazetteers=cfg.gazetteers, progress_seconds=10.0)
    with _opened(cfg, create=True) as index:       # like a crawl, an import may start an index
        result = import_warcs(files, index, options)
    rows = [s.record() for s in result.summaries]
    if args.format == "json":
        output.write_json({"files": result.files, "records": result.records, "outside_dates": result.outside_dates,
                           "unlisted": result.unlisted, "damaged": result.damaged, "sources": rows}, sys.stdout)
    else:
        output.write_table(rows, ["source", "pages_fetched", "new", "updated", "unchanged", "skipped", "errors"],
                           sys.stdout)
        for s in result.summaries:
            for reason, n in sorted(s.reasons.items()):
                print(f"  {s.source}: {reason}: {n}")
    print(f"read {result.records} records from {result.files} file(s); {result.outside_dates} outside --from/--to, "
          f"{result.unlisted} not from a listed outlet", file=sys.stderr)
    for damaged in result.damaged:
        print(f"policywatch: {damaged}; the rest of that file was skipped", file=sys.stderr)
    _degraded_note(result.summaries)
    return 1 if result.errors else 0


def cmd_reprocess(args, cfg: Config) -> int:
    from archive.reprocess import reprocess
    from ingest.sources import SourcesError, load_sources
    try:
        sources = load_sources(None)                      # the outlets' languages and time zones
    except SourcesError:
        sources = []
    query = _query(cfg, args.query)
    with _opened(cfg) as index:
        result = reprocess(index, query, nlp_only=args.nlp_only, sources=sources, gazetteers=cfg.gazetteers)
    for change in result.changes:
        detail = ""
        if change.added or change.removed:
            detail = " (" + ", ".join([f"+{n}" for n in change.added] + [f"-{n}" for n in change.removed]) + ")"
        print(f"{change.id}  {change.url}: {', '.join(change.fields)} changed{detail}")
    fields = ("body", "date", "entities", "actions")
    by_field = ", ".join(f"{f} {sum(f in c.fields for c in result.changes)}" for f in fields)
    print(f"reprocessed {result.matched} articles: {len(result.changes)} changed ({by_field}), "
          f"{result.unchanged} unchanged, {result.no_archive} with no archived page (left alone), "
          f"{result.unreadable} with an unreadable archived page, {result.not_article} no longer read as "
          f"articles (left alone), {len(result.errors)} errors", file=sys.stderr)
    for error in result.errors[:20]:
        print(f"  {error}", file=sys.stderr)
    if result.spooled:
        print(f"policywatch: {result.spooled} articles spooled (Elasticsearch unavailable); reprocess again later",
              file=sys.stderr)
    return 1 if result.errors or result.spooled else 0


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


def cmd_serve(args, cfg: Config) -> int:
    # The composition root: the one place the CLI reaches into web/ (lazily, so other commands never
    # load FastAPI). Both stand on core/; nothing else in policywatch/ imports web/.
    from web.app import serve
    serve(cfg, host=args.host, port=args.port, token=cfg.token, state=args.state)
    return 0


def cmd_history(args, cfg: Config) -> int:
    import difflib
    with _opened(cfg) as index:
        versions = index.history(args.id)
    if not versions:
        print(f"policywatch: no article with id {args.id}", file=sys.stderr)
        return 1
    print(f"{len(versions)} version(s) of {args.id}; {len(versions) - 1} revision(s)")
    for older, newer in zip(versions, versions[1:]):
        a = [older.title, ""] + older.body
        b = [newer.title, ""] + newer.body
        sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(
            a, b, fromfile=f"fetched {older.fetched}", tofile=f"fetched {newer.fetched}", lineterm=""))
    if len(versions) == 1:
        print(f"fetched {versions[0].fetched}: unchanged since")
    return 0


def cmd_status(args, cfg: Config) -> int:
    from ingest.health import assess
    names = [s.name for s in outlets(cfg) if s.enabled]
    with _opened(cfg) as index:
        known = {r.source for r in index.runs(limit=1000)}
        reports = [assess(name, index.runs(name, args.runs)) for name in dict.fromkeys(names + sorted(known))]
        stats = index.stats()
        archived = stats["archived_articles"]      # the catalogue's count: no archive file is read
        archived = index.stats()["archived_articles"]      # the catalogue's count: no archive file is read
        from .commands.alert import status_lines
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

    p = sub.add_parser("import", help="index the HTML pages of WARC files (own archive, wget, CC-NEWS)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="WARC or WARC.gz files, or directories of them")
    p.add_argument("--source", metavar="NAME", help="every page belongs to this outlet")
    p.add_argument("--sources", metavar="FILE", help="only pages of the outlets in this sources YAML")
    p.add_argument("--no-nlp", action="store_true", help="skip entities and actions (faster)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="only records fetched (WARC-Date) on or after")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only records fetched on or before")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _index_flags(p)
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("reprocess", help="extract archived pages again (or only re-tag entities) and update")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    p.add_argument("--nlp-only", action="store_true",
                   help="only entities and actions, from the stored text (after a gazetteer edit)")
    _index_flags(p)
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_reprocess)

    p = sub.add_parser("search", help="full-text search with the query language")
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="words and operators; several arguments are one query (`search telegram deepfake`)")
    _index_flags(p)
    _date_flags(p)
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument("--limit", type=_bounded(0, MAX_LIMIT), default=20)
    p.add_argument("--offset", type=_bounded(0, MAX_OFFSET), default=0)
    p.add_argument("--collapse", action="store_true", help="one hit per story (syndicated copies folded), with their count")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="export matching articles (all without a query)")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _index_flags(p)
    _date_flags(p)
    p.add_argument("--format", choices=EXPORT_FORMATS, help="default: the --output file's extension, else jsonl")
    p.add_argument("--output", metavar="FILE", help="write here instead of standard output (the folder must exist)")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("trend", help="coverage over time: matching articles, stories and share per period (CSV)")
    p.add_argument("queries", nargs="+", metavar="QUERY", help="one or more queries, each a line of the chart")
    _index_flags(p)
    _date_flags(p)
    p.add_argument("--interval", choices=INTERVALS, default="month")
    p.add_argument("--tz", metavar="ZONE", help="IANA time zone for periods (default UTC)")
    p.add_argument("--format", choices=CHART_FORMATS, help="default: the --output file's extension, else csv")
    p.add_argument("--output", metavar="FILE", help="write here instead of standard output (the folder must exist)")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_trend)

    p = sub.add_parser("extract", help="run pages through extraction and NLP; nothing is indexed")
    p.add_argument("targets", nargs="+", metavar="URL|FILE")
    p.add_argument("--url", help="with one FILE: the URL the page came from")
    p.add_argument("--urls", metavar="MAP.tsv", help="FILE<TAB>URL lines: the URL each FILE came from")
    p.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                   help="jsonl: one JSON object per page, with the file it came from")
    p.add_argument("--no-nlp", action="store_true")
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_extract)

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
    p.add_argument("--output", metavar="FILE", help="write here instead of standard output (the folder must exist)")
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("entities", help="the most mentioned entities among matching articles")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _index_flags(p)
    p.add_argument("--type", type=str.upper, choices=ENTITY_TYPES)
    p.add_argument("--limit", type=_bounded(1, MAX_LIMIT), default=20)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("serve", help="the web UI and JSON API")
    _index_flags(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_bounded(1, 65535), default=8000)
    p.add_argument("--token", help="require this token to save or delete searches; env POLICYWATCH_TOKEN")
    p.add_argument("--state", default=DEFAULT_STATE, metavar="FILE", help="where saved searches live")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("history", help="an article's revisions, as a diff")
    p.add_argument("id", metavar="ID")
    _index_flags(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("status", help="each source's recent crawl runs and health")
    p.add_argument("--sources", metavar="FILE")
    p.add_argument("--runs", type=int, default=5, help="runs per source to look at (default 5)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _archive_flag(p)
    _index_flags(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("schedule", help="run due crawls until stopped (SIGTERM/SIGINT end it cleanly)")
    p.add_argument("--sources", metavar="FILE")
    p.add_argument("--tick", type=float, default=30.0, help="seconds between checks for due sources")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="passed on to each crawl")
    _index_flags(p)
    p.set_defaults(func=cmd_schedule)

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
    from .commands.alert import add_parser as add_alert_parser        # the `alert` group, in its own module
    add_alert_parser(sub)
    cases_cmd.add_commands(sub, _index_flags, _gazetteer_flag)
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
