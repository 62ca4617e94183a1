"""The SQLite FTS5 backend, in the same modules as index/elastic/: schema.py (schema and
migrations), writes.py (write path, revisions, clusters), query.py (query compiler), search.py
(search, facets, timelines, exports, counts), state.py (URL states, runs, archive refs);
backend.py joins them into SQLiteIndex."""
from .backend import SQLiteIndex
from .schema import SCHEMA_VERSION

__all__ = ["SQLiteIndex", "SCHEMA_VERSION"]
