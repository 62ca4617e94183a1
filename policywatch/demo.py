"""`make demo`: start the bundled sample newsroom, crawl it into the default index, and show a
search and a timeline — what a new user sees first."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from newsroom import sources_yaml
from newsroom.catalog import OUTLETS
from newsroom.server import start

DATA = Path("data")
INDEX = "sqlite:///data/policywatch.db"
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]   # our own server: no need to wait


def run(*args: str) -> None:
    print(f"\n$ policywatch {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, "-m", "policywatch.cli", *args], check=True)


def cross_language(entity: str, start: datetime, end: datetime) -> str:
    """One line saying how the timeline's month splits by language."""
    from index import SearchRequest, open_index, parse
    ix = open_index(INDEX)
    try:
        counts = {lang: ix.search(SearchRequest(parse(f'entity:"{entity}" lang:{lang}'), date_from=start,
                                                date_to=end, limit=1, facets=False)).total for lang in ("en", "ko")}
    finally:
        ix.close()
    return (f"{entity} in {start:%B %Y}: {counts['en']} English + {counts['ko']} Korean articles = "
            f"{sum(counts.values())} (Korean ones name it 텔레그램, an alias of the same entity)")


def main() -> int:
    DATA.mkdir(exist_ok=True)
    newsroom = start(outlets=OUTLETS)           # the Korean outlet too: one timeline across languages
    try:
        sources = DATA / "demo-sources.yaml"
        sources.write_text(sources_yaml(newsroom.urls), encoding="utf-8")
        print("sample newsroom: " + ", ".join(f"{k} at {v}" for k, v in newsroom.urls.items()))
        outlets = [name for name in newsroom.urls if name != "faults"]
        run("crawl", "--sources", str(sources), *[a for o in outlets for a in ("--source", o)], "--index", INDEX, *FAST)
        run("search", 'telegram AND (deepfake OR deepfakes)', "--index", INDEX, "--limit", "5")
        run("search", 'entity:"Pavel Durov" action:arrest', "--index", INDEX, "--limit", "5")
        run("timeline", "Telegram", "--interval", "month", "--index", INDEX)
        print(cross_language("Telegram", datetime(2024, 9, 1, tzinfo=timezone.utc),
                             datetime(2024, 10, 1, tzinfo=timezone.utc)), flush=True)
        # the same entity in Korean and English articles (텔레그램 is an alias of Telegram)
        run("search", "entity:Telegram lang:ko", "--index", INDEX, "--limit", "3")
        run("search", "딥페이크 텔레그램", "--index", INDEX, "--limit", "3")
        run("entities", "--type", "AGENCY", "--limit", "8", "--index", INDEX)
    finally:
        newsroom.stop()
    print("\nThe demo index is data/policywatch.db (the default). Next:\n"
          "  .venv/bin/policywatch search 'deepfake NOT durov' --sort date\n"
          "  .venv/bin/policywatch export --format jsonl --output data/export.jsonl\n"
          "  make serve        # the web UI at http://127.0.0.1:8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
