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

    from archive.offline import IN_FLIGHT_PER_WORKER, drive
    from ingest import work
    from ingest.pages import Counter, Ingest
    targets = _extract_targets(args.targets, args.url, args.urls)
    nlp = not args.no_nlp
    # The crawl's own ingest path, nothing indexed. Several pages go to the worker processes a
    # crawl or an import uses (every core); one page is read in this process, which spares the
    # workers' start-up.
    several = len(targets) > 1
    with work.pool(0, nlp, cfg.gazetteers) if several else work.InlineExecutor(nlp, cfg.gazetteers) as pool:
        workers = work.pool_size(0) if several else 1
        ingest = Ingest(pool, None, Counter(), nlp, dedupe=False, offline_workers=workers)
        run = _Extraction(args.format, targets)

        async def main() -> None:
            try:
                await drive(run.pages(), lambda job: ingest.page(job[1]), run.done, run.failed,
                            IN_FLIGHT_PER_WORKER * workers, waiting=ingest.keep_workers_busy)
            finally:
                ingest.close()
        asyncio.run(main())
    run.finish()
    return 1 if run.errors else 0


class _Extraction:
    """The pages of `extract` in, each page's result out in the order of the command line, however
    the workers finish them; a page that cannot be fetched or extracted is one line on stderr and
    counts as an error."""

    def __init__(self, format: str, targets: list[tuple[str, str | None, str | None]]):
        self.format, self.targets = format, targets
        self.results: dict[int, dict | None] = {}     # finished, waiting for the pages before them
        self.next = 0                                 # the next page to print
        self.printed: list[dict] = []                 # json and text: printed at the end
        self.errors = 0

    def pages(self):
        from crawler.fetch import FetchError, fetch
        from ingest.pages import Page
        for n, (target, file, url) in enumerate(self.targets):
            if file:
                body, charset = Path(file).read_bytes(), None
            else:
                try:
                    body, url, charset = fetch(target)
                except FetchError as exc:
                    self._error(n, str(exc))
                    continue
            yield n, Page(source="-", url=url, body=body, fetched="", header_charset=charset)

    def done(self, job, outcome) -> None:
        n, _ = job
        if outcome.degraded:
            print(f"policywatch: {self.targets[n][0]}: NLP failed ({outcome.degraded}); no entities", file=sys.stderr)
        result = outcome.extracted.to_dict()
        article = outcome.article
        result["entities"] = [{"name": e.name, "type": e.type, "mentions": e.mentions}
                              for e in article.entities] if article else []
        result["actions"] = [{"action": a.action, "sentence": a.sentence} for a in article.actions] if article else []
        self._put(n, result)

    def failed(self, job, exc: BaseException) -> None:
        n, _ = job
        self._error(n, f"{self.targets[n][0]}: extraction failed ({type(exc).__name__}: {exc})".splitlines()[0])

    def _error(self, n: int, message: str) -> None:
        print(f"policywatch: {message}", file=sys.stderr)
        self.errors += 1
        self._put(n, None)

    def _put(self, n: int, result: dict | None) -> None:
        self.results[n] = result
        while self.next in self.results:
            ready = self.results.pop(self.next)
            if ready is not None:
                self._print(self.next, ready)
            self.next += 1

    def _print(self, n: int, result: dict) -> None:
        if self.format == "jsonl":
            output.write_jsonl([{"file": self.targets[n][1], **result}], sys.stdout)
            sys.stdout.flush()
        else:
            self.printed.append(result)

    def finish(self) -> None:
        if self.format == "json":
            output.write_json(self.printed[0] if len(self.targets) == 1 and self.printed else self.printed, sys.stdout)
        elif self.format == "text":
            for i, result in enumerate(self.printed):
                if i:
                    print("\n" + "-" * 72)
                _print_extracted(result)


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
