"""The Elasticsearch backend, in the same modules as index/sqlite/: schema.py (template and
mappings), writes.py (write path, spool), query.py (query compiler), search.py (search, facets,
timelines, exports, counts), state.py (URL states, runs, archive refs, clusters) and leases.py
(crawl leases); backend.py joins them into ElasticIndex."""
from .backend import ElasticIndex, load_template

__all__ = ["ElasticIndex", "load_template"]
