"""The sources a command uses: the file the user names (--sources, the config file), else the one
the index was built from (its newest crawl run records the file's path and contents), else the
shipped crawler/sources.yaml. So after `make demo`, `status`, collections and the web UI's menu
describe the demo's outlets, not thirteen real ones it never crawled."""
from __future__ import annotations

from pathlib import Path

from ingest.sources import Source, load_sources
from index import IndexFailure, IndexMissing, open_index

from .config import Config


def adopt_sources(cfg: Config, need_file: bool = False) -> str | None:
    """Fill cfg.sources (and cfg.sources_text) from the index's newest recorded run when the user
    named no sources file; returns the path adopted, else None. need_file (crawl, schedule: Scrapy
    reads a path): only while that file still holds what the index recorded."""
    if cfg.sources:
        return None
    try:
        index = open_index(cfg.index_url, create=False, **cfg.index_options)   # never make one here
    except (IndexMissing, IndexFailure):
        return None                      # no index yet (or down): the command says so itself
    try:
        runs = index.runs(limit=1)
    except IndexFailure:
        return None
    finally:
        index.close()
    if not runs or not runs[0].sources_text:
        return None
    run = runs[0]
    if need_file:
        try:
            if Path(run.sources_file).read_text(encoding="utf-8") != run.sources_text:
                return None
        except (OSError, UnicodeDecodeError):
            return None
    cfg.sources, cfg.sources_text = run.sources_file, run.sources_text
    return run.sources_file


def outlets(cfg: Config) -> list[Source]:
    """The outlets of the sources in use (see adopt_sources)."""
    return load_sources(cfg.sources, cfg.sources_text)
