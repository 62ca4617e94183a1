"""The collection's shape on the node: the index template and the small indices' mappings
(JSON files in this folder), the versioned indices behind the alias, and the lazy, idempotent
setup that checks their schema version."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from elasticsearch import ApiError, NotFoundError, TransportError

from .. import korean
from ..base import IndexConfigError, IndexFailure, IndexUnavailable
from . import folding
from .errors import describe

logger = logging.getLogger(__name__)

# 3: title_ko/body_ko (Korean, nori). 4: no doc values for dedup_bands and url, which are
# looked up by term and read from _source, never sorted or aggregated: ~17 high-cardinality
# values an article whose doc values Lucene built at each flush and again at each merge (without
# those of dedup_bands: 5% less node CPU, 5% faster bulk loads at 100,000 articles, two
# interleaved pairs). A schema-3 collection works as before until `policywatch reindex` (a
# warning says so). 5: stock analysis parts only (template.json's _comment), so any stock
# Elasticsearch 8/9 or OpenSearch cluster takes the template; a schema-4 index names the legacy
# pw_unicode61 / pw_remove_diacritics, which only our es/ module has: it still opens there, with
# the same words, until `policywatch reindex` moves it.
SCHEMA_VERSION = 5
MAPPINGS = Path(__file__).parent


def mapping(name: str) -> dict:
    """The JSON file NAME.json of this folder (template, urls, runs, archive, leases), without
    its _comment keys."""
    spec = json.loads((MAPPINGS / f"{name}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in spec.items() if not k.startswith("_comment")}


def load_template() -> dict:
    """The index template, its pw_fold char filter filled with the rules of index/elastic/folding.py."""
    spec = mapping("template")
    spec["template"]["settings"]["index"]["analysis"]["char_filter"]["pw_fold"]["mappings"] = folding.rules()
    return spec


class Schema:
    """ElasticIndex's setup (self.client, self.name, self.location)."""

    def indices(self) -> dict:
        """{concrete index: its description} behind the alias; {} when the collection is new."""
        try:
            return dict(self.client.indices.get(index=self.name).body)
        except NotFoundError:
            return {}

    def versions(self) -> list[str]:
        """NAME-v1, NAME-v2… that exist, oldest first (behind the alias or not)."""
        pattern = re.compile(rf"^{re.escape(self.name)}-v(\d+)$")
        try:
            found = self.client.indices.get(index=f"{self.name}-v*", expand_wildcards="all").body
        except NotFoundError:
            return []
        return sorted((n for n in found if pattern.match(n)), key=lambda n: int(n.rsplit("-v", 1)[1]))

    def exists(self) -> bool:
        """Whether the collection exists (as an alias, or as a plain index _setup will reject)."""
        try:
            return bool(self.client.indices.exists(index=self.name))
        except TransportError as exc:
            raise IndexUnavailable(f"{self.client.product} at {self.location} is unreachable: {describe(exc)}") from exc
        except ApiError as exc:
            raise IndexFailure(f"{self.client.product} at {self.location} refused the request: {exc}") from exc

    def put_template(self) -> None:
        spec = load_template()
        # a longer NAME is more specific: it wins over a shorter one whose pattern also matches
        spec.update(index_patterns=[f"{self.name}-v*"], priority=200 + len(self.name))
        self.client.indices.put_index_template(name=self.name, **spec)

    def _setup(self) -> None:
        indices = self.indices()
        if self.name in indices:
            raise IndexConfigError(f"{self.location}: '{self.name}' is an index, not an alias; "
                                   "pick another NAME in the URL or `policywatch copy` it into one")
        if not indices:
            try:
                self.put_template()
            except ApiError as exc:
                if problem := korean.missing_analyzer(exc):
                    raise IndexConfigError(f"{self.location}: {problem}") from exc
                raise
            versions = self.versions()
            target = versions[-1] if versions else f"{self.name}-v1"
            try:
                if versions:    # a setup that stopped half-way: attach the alias
                    self.client.indices.put_alias(index=target, name=self.name)
                else:
                    self.client.indices.create(index=target, aliases={self.name: {}})
            except ApiError as exc:
                if "resource_already_exists" not in str(exc):
                    raise                          # else another process created it meanwhile
            indices = self.indices()
        for index, spec in indices.items():
            schema = (spec.get("mappings", {}).get("_meta") or {}).get("policywatch_schema", 0)
            if schema > SCHEMA_VERSION:
                raise IndexConfigError(f"{index} has schema version {schema}; this PolicyWatch knows up to "
                                       f"{SCHEMA_VERSION} — upgrade PolicyWatch")
            if schema < SCHEMA_VERSION:
                logger.warning("%s has schema version %s, this PolicyWatch writes %s: run `policywatch reindex "
                               "--index %s`", index, schema, SCHEMA_VERSION, self.location)
        self._ready = True
