"""What several commands do alike: open the index, parse a query (entities through the gazetteer,
collections through the sources file), write to standard output or a file, add notes on stderr."""
from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

from common.errors import BadUsage
from index import open_index, parse
from core import notes
from core.config import Config
from core.sources import outlets


EXPORT_FORMATS = ("jsonl", "csv")          # the first is the default
CHART_FORMATS = ("csv", "json")            # trend and timeline


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


def _degraded_note(summaries) -> None:
    if n := sum(s.degraded for s in summaries):
        print(f"policywatch: {n} article(s) indexed without entities: NLP failed on them (see the log); "
              "fix the cause, then run `policywatch reprocess --nlp-only`", file=sys.stderr)


def _note(lines) -> None:
    for line in lines:
        print(f"policywatch: note: {line}", file=sys.stderr)
