"""The shape of an article in Elasticsearch (index/elastic/template.json) and back, and the facet
aggregations over it — kept apart from the backend's I/O in backend.py and its parts."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from .. import korean
from ..cases import case_id, case_names
from ..document import Article
from nlp.model import ENTITY_TYPES
from common.dates import utc_iso

# what a search hit needs: no mention sentences, no earlier versions
HIT_SOURCE = {"includes": ["id", "url", "title", "source", "published", "body", "revisions",
                           "detail.entities.name", "detail.entities.type", "detail.entities.mentions",
                           "detail.actions.action"]}
ARTICLE_SOURCE = {"excludes": ["detail.revisions", "fingerprint", "dedup_bands", "title_ko", "body_ko"]}


def to_doc(a: Article, *, cluster: str, first_seen: str, fingerprint: str | None, bands: list[str],
           revisions: list[dict], indexed: str | None) -> dict:
    """The stored document: searchable fields, keyword fields for filters and facets, nested
    entities (one per name and type, like SQLite's primary key) for timelines and entity counts,
    and `detail` (not indexed): every entity with its sentences, every action with its sentence,
    and the earlier versions of the article."""
    unique: dict[tuple[str, str], object] = {}
    for e in a.entities:
        unique[(e.name.lower(), e.type)] = e          # the last one wins, as INSERT OR REPLACE
    return {
        "id": a.id, "url": a.url, "source": a.source, "title": a.title, "body": a.text,
        "published": a.published, "published_utc": utc_iso(a.published), "modified": a.modified,
        "authors": list(a.authors), "language": a.language, "section": a.section, "image": a.image,
        "fetched": a.fetched, "content_hash": a.content_hash,
        "entity_names": sorted({e.name for e in a.entities}),
        "entity_types": sorted({e.type for e in a.entities}),
        "actions": sorted({x.action for x in a.actions}),
        "entities": [{"name": e.name, "type": e.type, "mentions": e.mentions, "key": f"{e.name}|{e.type}",
                      "group": f"{e.name.lower()}\x01{e.type}"} for e in unique.values()],
        "case_ids": sorted({case_id(st) for st in a.statements}),
        "case_names": sorted(case_names(a.statements)),
        "cluster": cluster, "first_seen": first_seen, "indexed": indexed, "revisions": len(revisions),
        "fingerprint": fingerprint, "dedup_bands": bands,
        "detail": {"entities": [{"name": e.name, "type": e.type, "mentions": e.mentions} for e in a.entities],
                   "mentions": sentences_by_key(a.entities), "keyed": True,
                   "actions": [{"action": x.action, "sentence": x.sentence} for x in a.actions],
                   "statements": [dict(st.record(), case=case_id(st)) for st in a.statements],
                   "revisions": revisions},
        # the Korean fields (nori) are filled for Korean articles only, as SQLite's articles_fts_ko
        **({"title_ko": a.title, "body_ko": a.text} if korean.is_korean(a.language) else {}),
    }


@lru_cache(maxsize=65_536)      # names recur from article to article: hashed once each (~7 an article)
def mention_key(name: str, type_: str) -> str:
    """Where an entity's sentences sit in detail.mentions: a timeline's mention rows are read
    with source filtering on these few keys instead of every entity's sentences (1.2 s for one
    entity at 50,000 articles). Hashed: names hold dots, which source filtering reads as paths."""
    return "m" + hashlib.blake2b(f"{name.lower()}|{type_}".encode(), digest_size=8).hexdigest()


def mention_keys(name: str) -> list[str]:
    return [mention_key(name, t) for t in ENTITY_TYPES]


def sentences_by_key(entities) -> dict[str, list[list[str]]]:
    """{key: [sentences of each entity reference with that name and type, in order]}."""
    keyed: dict[str, list[list[str]]] = {}
    for e in entities:
        keyed.setdefault(mention_key(e.name, e.type), []).append(list(e.sentences))
    return keyed


def _with_sentences(detail: dict) -> list[dict]:
    """detail.entities with their sentences, from detail.mentions (written since schema 2's
    keyed detail) or inline (earlier documents)."""
    if not detail.get("keyed"):
        return detail.get("entities") or []
    queues = {k: list(v) for k, v in (detail.get("mentions") or {}).items()}
    out = []
    for e in detail.get("entities") or []:
        queue = queues.get(mention_key(e["name"], e["type"])) or [[]]
        out.append(dict(e, sentences=queue.pop(0) if queue else []))
    return out


def from_doc(d: dict) -> Article:
    detail = d.get("detail") or {}
    body = d.get("body") or ""
    return Article.from_dict(dict(
        id=d["id"], url=d["url"], source=d["source"], title=d["title"], body=body.split("\n\n") if body else [],
        published=d.get("published"), modified=d.get("modified"), authors=d.get("authors") or [],
        language=d.get("language"), section=d.get("section"), image=d.get("image"), fetched=d.get("fetched"),
        content_hash=d.get("content_hash") or "", entities=_with_sentences(detail),
        actions=detail.get("actions") or [], statements=statements(detail), revisions=d.get("revisions") or 0, cluster=d.get("cluster"),
        first_seen=d.get("first_seen")))


def statements(detail: dict) -> list[dict]:
    """detail.statements without the case ids written beside them (SQLite's statements.case_id)."""
    return [{k: v for k, v in st.items() if k != "case"} for st in detail.get("statements") or []]


def _by_count(field: str, size: int) -> dict:
    return {"terms": {"field": field, "size": size, "order": [{"_count": "desc"}, {"_key": "asc"}]}}


# SQLite's _facets: sources (all), the 15 commonest entities as "Name|TYPE", entity types, actions
FACET_AGGS = {
    "source": _by_count("source", 10_000),
    "language": _by_count("language.lower", 100),
    "entity": {"nested": {"path": "entities"},
               "aggs": {"groups": dict(_by_count("entities.group", 15), aggs={
                   "shown": {"terms": {"field": "entities.key", "size": 1}}})}},
    "type": _by_count("entity_types", 100),
    "action": _by_count("actions", 100),
}


def facets(aggs: dict) -> dict[str, list[tuple[str, int]]]:
    return {
        "source": [(b["key"], b["doc_count"]) for b in aggs["source"]["buckets"]],
        "language": [(b["key"], b["doc_count"]) for b in aggs["language"]["buckets"]],
        "entity": [(b["shown"]["buckets"][0]["key"], b["doc_count"]) for b in aggs["entity"]["groups"]["buckets"]],
        "type": [(b["key"], b["doc_count"]) for b in aggs["type"]["buckets"]],
        "action": [(b["key"], b["doc_count"]) for b in aggs["action"]["buckets"]],
    }
