"""`policywatch extract`: run pages through the crawl's ingest path (extraction, NLP); nothing is indexed."""
from __future__ import annotations

import sys
from pathlib import Path

from common.errors import BadUsage
from core import output
from core.config import Config

from .flags import _gazetteer_flag


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


def add_parser(sub) -> None:
    p = sub.add_parser("extract", help="run pages through extraction and NLP; nothing is indexed")
    p.add_argument("targets", nargs="+", metavar="URL|FILE")
    p.add_argument("--url", help="with one FILE: the URL the page came from")
    p.add_argument("--urls", metavar="MAP.tsv", help="FILE<TAB>URL lines: the URL each FILE came from")
    p.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                   help="jsonl: one JSON object per page, with the file it came from")
    p.add_argument("--no-nlp", action="store_true")
    _gazetteer_flag(p)
    p.set_defaults(func=cmd_extract)
