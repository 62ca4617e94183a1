"""The collection's shape on the node: the index template and the small indices' mappings
(JSON files in this folder), the versioned indices behind the alias, and the lazy, idempotent
setup that checks their schema version."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from elasticsearch import ApiError, NotFoundError, TransportError

from ..base import IndexConfigError, IndexFailure, IndexUnavailable
from . import folding, stock
from .errors import describe, reason

logger = logging.getLogger(__name__)

# 3: title_ko/body_ko (Korean, nori). 4: no doc values for dedup_bands and url, which are
# looked up by term and read from _source, never sorted or aggregated: ~17 high-cardinality
# values an article whose doc values Lucene built at each flush and again at each merge (without
# those of dedup_bands: 5% less node CPU, 5% faster bulk loads at 100,000 articles, two
# interleaved pairs). A schema-3 collection works as before until `policywatch reindex` (a
# warning says so). 5: stock analysis parts only (template.json's _comment), so any stock
# Elasticsearch 8/9 or OpenSearch cluster takes the template; a schema-4 index names the legacy
# pw_unicode61 / pw_remove_diacritics, which only our es/ module has: it still opens there, with
# the same words, until `policywatch reindex` moves it. Also 5: `indexed`, when the article was
# first written to the collection (what alerts call new); setup adds the field to an older
# collection's mapping, so it takes new articles at once. Also 5 (issue 26): `case_ids` and
# `case_names`, added the same way.
SCHEMA_VERSION = 5
# fields a collection made before them gets on opening (the mapping is strict: a write with a field
# it lacks fails); their documents lack them until rewritten (`reprocess --nlp-only` for the case
# fields: `cases` reads no article without them)
ADDED_FIELDS = {"indexed": {"type": "keyword"}, "case_ids": {"type": "keyword"},
                "case_names": {"type": "keyword", "doc_values": False}}
MAPPINGS = Path(__file__).parent


def mapping(name: str) -> dict:
    """The JSON file NAME.json of this folder (template, urls, runs, archive, leases), without
    its _comment keys."""
    spec = json.loads((MAPPINGS / f"{name}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in spec.items() if not k.startswith("_comment")}


# How an index analyses title_ko/body_ko (its mapping's _meta.korean_analysis; schema 4 and older: nori)
NORI, CJK = "nori", "cjk_bigram"
KOREAN_LABELS = {NORI: "nori", CJK: "cjk bigrams (analysis-nori not installed)"}
NO_NORI_WARNING = ("%s: the cluster has no Korean analysis (the analysis-nori plugin), so Korean articles are "
                   "indexed as two-syllable pieces (cjk_bigram) instead: particles and endings are no longer "
                   "stripped, so a Hangul query word no longer finds its particle and inflected forms unless it "
                   "is spelled inside them (수사하다 misses 수사했다; a one-syllable word finds nothing). To get it "
                   "back: install analysis-nori on every node, restart them, then run `policywatch reindex`")
_warned_no_nori: set[str] = set()


def load_template(korean: str = NORI) -> dict:
    """The index template, its pw_fold char filter filled with the rules of index/elastic/folding.py.
    korean=CJK: the variant for a cluster without analysis-nori — no nori part named, title_ko and
    body_ko on pw_korean_cjk (stock CJK bigrams), and _meta.korean_analysis saying so."""
    spec = mapping("template")
    body = spec["template"]
    analysis = body["settings"]["index"]["analysis"]
    analysis["char_filter"]["pw_fold"]["mappings"] = folding.rules()
    if korean == CJK:
        del analysis["analyzer"]["pw_korean"]
        for field in ("title_ko", "body_ko"):
            body["mappings"]["properties"][field]["analyzer"] = "pw_korean_cjk"
        body["mappings"]["_meta"]["korean_analysis"] = CJK
    return spec


def korean_analysis(spec: dict) -> str:
    """NORI or CJK, from an index's description ({mappings: {_meta: …}})."""
    return (spec.get("mappings", {}).get("_meta") or {}).get("korean_analysis", NORI)


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

    def has_nori(self) -> bool:
        """Whether the cluster can analyse Korean with nori: one _analyze with nori_tokenizer, a
        plain REST call that Elasticsearch and OpenSearch answer alike (400 when it is missing)."""
        try:
            self.client.indices.analyze(tokenizer="nori_tokenizer", text="한국어")
            return True
        except ApiError as exc:
            if exc.status_code == 400:
                return False
            raise

    def put_template(self) -> None:
        """Install the template for the next index this collection makes: with nori when the
        cluster has it, else the CJK-bigram variant and one warning (per collection and process)."""
        korean = NORI if self.has_nori() else CJK
        if korean == CJK and self.location not in _warned_no_nori:
            _warned_no_nori.add(self.location)
            logger.warning(NO_NORI_WARNING, self.location)
        spec = load_template(korean)
        # a longer NAME is more specific: it wins over a shorter one whose pattern also matches
        spec.update(index_patterns=[f"{self.name}-v*"], priority=200 + len(self.name))
        try:
            self.client.indices.put_index_template(name=self.name, **spec)
        except ApiError as exc:
            raise self.refused(exc, "index template") from exc

    def refused(self, exc: ApiError, what: str) -> IndexConfigError:
        """The cluster's refusal of PolicyWatch's template or mapping, as one line that names the
        missing part and the fix."""
        return IndexConfigError(f"{self.location}: " + (stock.refusal(exc) or f"the cluster refused PolicyWatch's {what}: "
                                                        f"{reason(exc.body.get('error') if isinstance(exc.body, dict) else exc)}"))

    def korean(self) -> str:
        """NORI or CJK: how this collection's Korean fields are analysed (queries differ)."""
        if not self._ready:
            self.run(lambda: None)
        return self._korean

    def _setup(self) -> None:
        indices = self.indices()
        if self.name in indices:
            raise IndexConfigError(f"{self.location}: '{self.name}' is an index, not an alias; "
                                   "pick another NAME in the URL or `policywatch copy` it into one")
        if not indices:
            self.put_template()
            versions = self.versions()
            target = versions[-1] if versions else f"{self.name}-v1"
            try:
                if versions:    # a setup that stopped half-way: attach the alias
                    self.client.indices.put_alias(index=target, name=self.name)
                else:
                    self.client.indices.create(index=target, aliases={self.name: {}})
            except ApiError as exc:
                if "resource_already_exists" not in str(exc):   # else another process created it meanwhile
                    raise self.refused(exc, "index mapping") from exc
            indices = self.indices()
        for index, spec in indices.items():
            schema = (spec.get("mappings", {}).get("_meta") or {}).get("policywatch_schema", 0)
            if schema > SCHEMA_VERSION:
                raise IndexConfigError(f"{index} has schema version {schema}; this PolicyWatch knows up to "
                                       f"{SCHEMA_VERSION} — upgrade PolicyWatch")
            known = spec.get("mappings", {}).get("properties") or {}
            added = {f: m for f, m in ADDED_FIELDS.items() if f not in known}
            if added:       # fields added within a schema: older documents simply lack them
                self.client.indices.put_mapping(index=index, properties=added)
            if schema < SCHEMA_VERSION:
                logger.warning("%s has schema version %s, this PolicyWatch writes %s: run `policywatch reindex "
                               "--index %s`", index, schema, SCHEMA_VERSION, self.location)
        self._korean = CJK if any(korean_analysis(spec) == CJK for spec in indices.values()) else NORI
        self._ready = True
