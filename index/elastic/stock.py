"""The analysis parts a PolicyWatch template may name: those every stock Elasticsearch 8/9 and
OpenSearch 2/3 cluster has, each with where it comes from — `builtin` (the server itself),
`analysis-common` (the module every official distribution ships) or `analysis-nori` (the
official Korean plugin, optional: without it Korean is indexed as CJK bigrams). Our es/ module
registers these same names with the same behaviour, plus the legacy pw_* ones
(tests/test_stock_analysis.py holds both to this list).

Also: a cluster's refusal of a template or mapping as one line that names the missing part and
the fix."""
from __future__ import annotations

import re

BUILTIN, COMMON, NORI = "builtin", "analysis-common", "analysis-nori"

STOCK: dict[str, dict[str, str]] = {
    "analyzer": {"custom": BUILTIN, "standard": BUILTIN, "keyword": COMMON, "simple": COMMON,
                 "whitespace": COMMON, "english": COMMON, "cjk": COMMON, "nori": NORI},
    "tokenizer": {"standard": BUILTIN, "pattern": COMMON, "whitespace": COMMON, "keyword": COMMON,
                  "letter": COMMON, "nori_tokenizer": NORI},
    "char_filter": {"html_strip": COMMON, "mapping": COMMON, "pattern_replace": COMMON},
    "filter": {"lowercase": BUILTIN, "porter_stem": COMMON, "asciifolding": COMMON, "kstem": COMMON,
               "stemmer": COMMON, "snowball": COMMON, "truncate": COMMON, "cjk_width": COMMON,
               "cjk_bigram": COMMON, "nori_part_of_speech": NORI, "nori_readingform": NORI},
    "normalizer": {"custom": BUILTIN, "lowercase": BUILTIN},
}

# PolicyWatch's own names from before schema 5: registered by the es/ module only so that an
# older index still opens there until `policywatch reindex`; no template may name them.
LEGACY = {"tokenizer": {"pw_unicode61"}, "filter": {"pw_remove_diacritics"}}

_FIELD_KEYS = {"analyzer": "analyzer", "search_analyzer": "analyzer", "search_quote_analyzer": "analyzer",
               "normalizer": "normalizer"}


def parts(spec: dict) -> set[tuple[str, str]]:
    """(kind, stock name) of every analysis part a template or index spec ({settings, mappings}
    or an index template's {template: …}) names, its own custom parts resolved to their types.
    A name that is neither defined in the spec nor stock comes back as it is (the test then
    reports it)."""
    body = spec.get("template", spec)
    settings = body.get("settings", {})
    analysis = (settings.get("index") or {}).get("analysis") or settings.get("analysis") or {}
    defined = {kind: analysis.get(kind, {}) for kind in STOCK}
    found: set[tuple[str, str]] = set()

    def use(kind: str, name: str) -> None:
        own = defined[kind].get(name)
        if own is None:
            found.add((kind, name))
            return
        found.add((kind, own.get("type", "custom")))
        if "tokenizer" in own:
            use("tokenizer", own["tokenizer"])
        for sub in ("char_filter", "filter"):
            for item in own.get(sub, []):
                use(sub, item)

    for kind in ("analyzer", "normalizer"):
        for name in defined[kind]:
            use(kind, name)

    def walk(properties: dict) -> None:
        for field in properties.values():
            for key, kind in _FIELD_KEYS.items():
                if key in field:
                    use(kind, field[key])
            walk(field.get("properties", {}))
            walk(field.get("fields", {}))

    walk(body.get("mappings", {}).get("properties", {}))
    return found


def module_of(kind: str, name: str) -> str | None:
    return STOCK.get(kind, {}).get(name)


_KINDS = {"tokenizer": "tokenizer", "token filter": "filter", "token_filter": "filter", "filter": "filter",
          "char filter": "char_filter", "char_filter": "char_filter", "analyzer": "analyzer",
          "normalizer": "normalizer"}
_MISSING = re.compile(r"(?:failed to find|[Uu]nknown) (?:global )?(token filter|token_filter|char filter|char_filter|"
                      r"tokenizer|filter|analyzer|normalizer)(?: type)? (?:under name )?\[([^\]]+)\]")


def refusal(exc: Exception) -> str | None:
    """One line for a cluster's refusal of a template or mapping because it lacks an analysis
    part: which part, where it comes from, and the fix. None for any other refusal."""
    found = _MISSING.search(str(exc))
    if not found:
        return None
    kind, name = _KINDS[found.group(1)], found.group(2)
    module = module_of(kind, name)
    if module == NORI:
        return (f"the cluster has no {kind} [{name}] (Korean analysis, from the analysis-nori plugin): install "
                "analysis-nori on every node and restart them, then run `policywatch reindex`")
    if module == COMMON:
        return (f"the cluster has no {kind} [{name}], which comes from the analysis-common module that every "
                "Elasticsearch/OpenSearch distribution ships: use a full distribution (or scripts/es-start)")
    if name in LEGACY.get(kind, ()):
        return (f"this index names [{name}], an analysis part of PolicyWatch's own es/ node from before schema 5: "
                "run `policywatch reindex` on that node, or `policywatch copy` the collection to this cluster")
    return f"the cluster has no {kind} [{name}] that PolicyWatch's index names: {str(exc)[:200]}"
