"""Saved searches, kept in a small SQLite file of their own (not in the index), so they work the
same on either backend. A saved search is a name and the search page's URL state."""
from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from common.dates import now_iso
from extract.text import xml_safe

from .errors import BadRequest, Conflict, NotFound
from .search import SearchForm, run_search

MAX_NAME = 80
MAX_QUERY = 1000          # characters of query text a saved search keeps
MAX_FILTERS = 2000        # characters of its other state (filters, dates, sort) as JSON

SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_searches (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '{}',
    created TEXT NOT NULL,
    last_opened TEXT,
    seen_total INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass
class SavedSearch:
    slug: str            # the name as it appears in URLs: /feeds/<slug>.atom
    name: str
    query: str
    filters: dict        # the search page's other state: from, to, source, entity, type, action, sort
    created: str         # ISO 8601 UTC
    last_opened: str | None
    seen_total: int      # matches when last opened; today's total minus this = new matches

    def record(self, total: int | None = None) -> dict:
        data = {"name": self.name, "slug": self.slug, "query": self.query, "filters": self.filters,
                "created": self.created, "last_opened": self.last_opened}
        if total is not None:
            data["matches"] = total
            data["new"] = max(total - self.seen_total, 0)
        return data


def slugify(name: str) -> str:
    """'Telegram deepfakes (KR)' → 'telegram-deepfakes-kr'; letters of any script are kept."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")


class SavedSearches:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        # One short connection per call: routes run in a thread pool.
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db

    def add(self, name: str, query: str, filters: dict, total: int) -> SavedSearch:
        name = " ".join((xml_safe(name) or "").split())      # it becomes a feed's title
        if not name:
            raise BadRequest("give the search a name")
        if len(name) > MAX_NAME:
            raise BadRequest(f"a name has at most {MAX_NAME} characters")
        if len(json.dumps(filters, ensure_ascii=False)) > MAX_FILTERS:
            raise BadRequest(f"too many filters to save (at most {MAX_FILTERS} characters of them)")
        slug = slugify(name)
        if not slug:
            raise BadRequest("a name needs at least one letter or digit")
        saved = SavedSearch(slug, name, query, filters, now_iso(), None, total)
        try:
            with self._db() as db:
                db.execute("INSERT INTO saved_searches VALUES (?,?,?,?,?,?,?)",
                           (slug, name, query, json.dumps(filters, ensure_ascii=False), saved.created,
                            None, total))
        except sqlite3.IntegrityError:
            raise Conflict(f"a saved search named '{name}' already exists") from None
        return saved

    def list(self) -> list[SavedSearch]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE").fetchall()
        return [_saved(row) for row in rows]

    def get(self, slug: str) -> SavedSearch:
        with self._db() as db:
            row = db.execute("SELECT * FROM saved_searches WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            raise NotFound(f"no saved search '{slug}'")
        return _saved(row)

    def opened(self, slug: str, total: int) -> None:
        """Mark the search as read: its current matches are no longer new."""
        with self._db() as db:
            db.execute("UPDATE saved_searches SET last_opened = ?, seen_total = ? WHERE slug = ?",
                       (now_iso(), total, slug))

    def delete(self, slug: str) -> None:
        with self._db() as db:
            if db.execute("DELETE FROM saved_searches WHERE slug = ?", (slug,)).rowcount == 0:
                raise NotFound(f"no saved search '{slug}'")


def _saved(row) -> SavedSearch:
    slug, name, query, filters, created, last_opened, seen_total = row
    return SavedSearch(slug, name, query, json.loads(filters), created, last_opened, seen_total)


# -- saved searches over the index -------------------------------------------------------------------
def save(services, name: str, form) -> SavedSearch:
    """Save a search page's state under a name. Raises BadRequest for a malformed query."""
    if len(form.q) > MAX_QUERY:            # checked before the search runs it
        raise BadRequest(f"a saved query has at most {MAX_QUERY} characters")
    page = run_search(services, form, limit=0, facets=False)
    if page.error:
        raise BadRequest(f"cannot save a malformed query: {page.error}")
    return services.saved.add(name, form.q, form.filters(), page.result.total)


def form_of(saved: SavedSearch, sort: str | None = None):
    filters = dict(saved.filters, sort=sort) if sort else saved.filters
    return SearchForm.from_saved(saved.query, filters)


def open_saved(services, slug: str) -> str:
    """Mark a saved search read and return its search page URL."""
    saved = services.saved.get(slug)
    form = form_of(saved)
    page = run_search(services, form, limit=0, facets=False)
    services.saved.opened(slug, page.result.total if page.result else saved.seen_total)
    return form.url()


def with_counts(services) -> list[tuple[SavedSearch, dict]]:
    """Each saved search with its record: matches now and new since last opened."""
    listed = []
    for saved in services.saved.list():
        page = run_search(services, form_of(saved), limit=0, facets=False)
        listed.append((saved, saved.record(page.result.total if page.result else None)))
    return listed


def newest(services, slug: str, limit: int):
    """The saved search and its newest matching hits, for its feed."""
    saved = services.saved.get(slug)
    form = form_of(saved, sort="date")
    page = run_search(services, form, limit=limit, facets=False)
    return saved, form, (page.result.hits if page.result else [])
