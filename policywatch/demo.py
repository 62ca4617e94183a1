"""`make demo`: start the bundled sample newsroom, crawl it into the default index, and show a
search and a timeline — what a new user sees first. `make serve` (`python -m policywatch.demo
serve`) starts the same newsroom beside the web UI, so the demo's "original ↗" links work.

The newsroom listens on fixed local ports (127.0.0.1:8765, 8766 and 8768 by default), so its URLs, and
with them the articles' ids, are the same on every run: a second `make demo` finds every article
unchanged instead of adding a second copy of each. It serves the demo's newsroom: pages that exist
only for tests (a <script> in a headline) are left out."""
from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from index import DEFAULT_INDEX
from newsroom import NewsroomError, sources_yaml, start

DATA = Path("data")
INDEX = DEFAULT_INDEX
PORT = 8765                   # yonhap here, dmr on the next port, yonhap_ko on PORT+3 (faults' place)
OUTLETS = ("yonhap", "dmr", "yonhap_ko")   # the faults outlet is for tests; Korean: one timeline across languages
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]   # our own server: no need to wait


def run(*args: str) -> None:
    print(f"\n$ {shlex.join(['policywatch', *args])}", flush=True)     # quoted: it pastes into a shell
    subprocess.run([sys.executable, "-m", "policywatch.cli", *args], check=True)


def start_newsroom(port: int):
    """The demo's newsroom on fixed ports from `port`; NewsroomError (with a hint) when a port is taken."""
    try:
        return start(ports=port, outlets=OUTLETS, test_pages=False)
    except NewsroomError as exc:
        raise NewsroomError(f"{exc} — is another demo or `make serve` running? Stop it, or choose other "
                            f"ports with `make demo DEMO_PORT=N` (the same N every time, or the articles "
                            "are indexed again under new URLs)") from None


def cross_language(index: str, entity: str, start: datetime, end: datetime) -> str:
    """One line saying how the timeline's month splits by language."""
    from index import SearchRequest, open_index, parse
    ix = open_index(index)
    try:
        counts = {lang: ix.search(SearchRequest(parse(f'entity:"{entity}" lang:{lang}'), date_from=start,
                                                date_to=end, limit=1, facets=False)).total for lang in ("en", "ko")}
    finally:
        ix.close()
    return (f"{entity} in {start:%B %Y}: {counts['en']} English + {counts['ko']} Korean articles = "
            f"{sum(counts.values())} (Korean ones name it 텔레그램, an alias of the same entity)")


def demo(index: str, port: int) -> int:
    DATA.mkdir(exist_ok=True)
    newsroom = start_newsroom(port)
    try:
        sources = DATA / "demo-sources.yaml"
        sources.write_text(sources_yaml(newsroom.urls), encoding="utf-8")
        print("sample newsroom: " + ", ".join(f"{k} at {v}" for k, v in newsroom.urls.items()))
        run("crawl", "--sources", str(sources), "--index", index, *FAST)
        run("search", 'telegram AND (deepfake OR deepfakes)', "--index", index, "--limit", "5")
        run("search", 'entity:"Pavel Durov" action:arrest', "--index", index, "--limit", "5")
        run("timeline", "Telegram", "--interval", "month", "--index", index)
        print(cross_language(index, "Telegram", datetime(2024, 9, 1, tzinfo=timezone.utc),
                             datetime(2024, 10, 1, tzinfo=timezone.utc)), flush=True)
        # the same entity in Korean and English articles (텔레그램 is an alias of Telegram)
        run("search", "entity:Telegram lang:ko", "--index", index, "--limit", "3")
        run("search", "딥페이크 텔레그램", "--index", index, "--limit", "3")
        run("entities", "--type", "AGENCY", "--limit", "8", "--index", index)
        # who acts against Telegram, stage by stage, English and Korean sources together (docs/cases.md)
        run("cases", "--entity", "Telegram", "--index", index)
        # what an alert on Telegram would send for this newsroom (docs/alerts.md): rendered, not sent
        run("alert", "preview", "--entity", "Telegram", "--index", index, "--sources", str(sources),
            "--base-url", "http://127.0.0.1:8000")
    finally:
        newsroom.stop()
    print(f"\nThe demo index is {index}. Next:\n"
          "  .venv/bin/policywatch search 'deepfake NOT durov' --sort date\n"
          "  .venv/bin/policywatch export --format jsonl --output data/export.jsonl\n"
          "  .venv/bin/policywatch alert add telegram --entity Telegram --to 'mailto://…'   # docs/alerts.md\n"
          "  make serve        # the web UI at http://127.0.0.1:8000 (make serve PORT=N for another port),\n"
          "                    # with the sample newsroom behind the articles' \"original ↗\" links")
    return 0


def serve(port: int, serve_args: list[str]) -> int:
    """The web UI, with the demo's newsroom running so links to the originals work."""
    from . import cli
    try:
        newsroom = start_newsroom(port)
    except NewsroomError as exc:
        print(f"note: the sample newsroom is not running ({exc}); the demo articles' "
              "\"original ↗\" links will not open", file=sys.stderr)
        return cli.main(["serve", *serve_args])
    print("sample newsroom: " + ", ".join(f"{k} at {v}" for k, v in newsroom.urls.items()), flush=True)
    try:
        return cli.main(["serve", *serve_args])
    finally:
        newsroom.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policywatch.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=PORT,
                        help=f"the newsroom's first port (default {PORT}; dmr takes the next one)")
    parser.add_argument("--index", default=INDEX, help=f"where the demo crawls to (default {INDEX})")
    parser.add_argument("command", nargs="?", choices=("demo", "serve"), default="demo",
                        help="demo (default): crawl and show; serve: the web UI with the newsroom running")
    parser.add_argument("serve_args", nargs=argparse.REMAINDER, help="with serve: options for policywatch serve")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65534:
        parser.error(f"--port {args.port}: use 1 to 65534")
    try:
        if args.command == "serve":
            return serve(args.port, args.serve_args)
        return demo(args.index, args.port)
    except NewsroomError as exc:
        print(f"demo: cannot start the sample newsroom: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        return exc.returncode


if __name__ == "__main__":
    sys.exit(main())
