"""The flags and argument types several commands share: the index, dates, the archive, gazetteers,
the sources file, bounded integers."""
from __future__ import annotations

import argparse


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
                   "http(s)://HOST:PORT[/NAME] for Elasticsearch or OpenSearch; env POLICYWATCH_INDEX")
    p.add_argument("--es-api-key", metavar="KEY", help="Elasticsearch API key; env POLICYWATCH_ES_API_KEY")
    p.add_argument("--es-ca-certs", metavar="FILE", help="CA bundle for Elasticsearch TLS; env POLICYWATCH_ES_CA_CERTS")


def _date_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after (YYYY-MM-DD or ISO date-time)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before (a YYYY-MM-DD day is included)")


def _output_flag(p: argparse.ArgumentParser) -> None:
    """--output of the commands that write a file (its format follows the extension: core/output)."""
    p.add_argument("--output", metavar="FILE", help="write here instead of standard output (the folder must exist)")


def _archive_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--archive", metavar="DIR", help="the page archive (WARC files); default archive/ beside a SQLite "
                   "index, data/archive/NAME for Elasticsearch")


def _gazetteer_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gazetteer", action="append", metavar="FILE",
                   help="extra gazetteer YAML merged over nlp/gazetteer.yaml (repeatable); env POLICYWATCH_GAZETTEER")


def _sources_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sources", metavar="FILE", help="sources YAML whose collections collection: names "
                   "(default crawler/sources.yaml)")
