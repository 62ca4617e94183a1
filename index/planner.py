"""The write planner: the rules both backends follow when an article arrives, so SQLite and
Elasticsearch decide alike and only store what was decided.

- Outcome: an id not stored is `new`; the same text (content hash) is `unchanged` and only its
  fetch time is noted, unless the caller rewrites (reprocess: new entities, same text); other
  text is `updated`, and the stored version becomes a revision — a rewrite of the same text
  keeps no revision.
- Story cluster of a new article: the cluster of its earliest-seen near-duplicate (by first
  seen, then id) among the candidates the backend found, else its own id.
- First seen: what the article says, else when it was fetched, else now.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from common.dates import now_iso
from . import dedup
from .document import Article

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"     # WriteResult's counters


@dataclass(frozen=True)
class Step:
    outcome: str              # NEW, UPDATED or UNCHANGED
    keep_revision: bool       # the stored version is kept as a revision (its text changed)

    @property
    def touch_only(self) -> bool:
        """Only the fetch time changes: nothing else is written."""
        return self.outcome == UNCHANGED


def plan(stored_hash: str | None, article: Article, rewrite: bool = False) -> Step:
    """What writing `article` over the stored version (its content hash, None if absent) does."""
    if stored_hash is None:
        return Step(NEW, False)
    same_text = stored_hash == article.content_hash
    if same_text and not rewrite:
        return Step(UNCHANGED, False)
    return Step(UPDATED, not same_text)


def plan_batch(articles: Iterable[Article], stored: dict[str, str],
               rewrite: bool = False) -> tuple[dict[str, Article], dict[str, list[str]]]:
    """For a batch written at once: the last version of each id (the one to store) and each id's
    outcomes as if the batch were written one article at a time."""
    latest: dict[str, Article] = {}
    outcomes: dict[str, list[str]] = {}
    before = dict(stored)
    for a in articles:
        outcomes.setdefault(a.id, []).append(plan(before.get(a.id), a, rewrite).outcome)
        latest[a.id] = a
        before[a.id] = a.content_hash
    return latest, outcomes


def first_seen(article: Article) -> str:
    return article.first_seen or article.fetched or now_iso()


def signature(article: Article):
    """The MinHash signature near-duplicates are found by (None for a text too short to tell)."""
    return dedup.signature_of(article.fingerprint, article.text)


def signed(article: Article) -> tuple:
    """(MinHash signature, band keys) of an article; (None, []) for a text too short to tell."""
    sig = signature(article)
    return sig, ([] if sig is None else dedup.band_keys(sig))


def cluster_of(article_id: str, sig, candidates: Iterable[tuple]) -> str:
    """The story cluster: that of the earliest-seen near-duplicate among `candidates`
    ((first_seen, id, cluster, signature) each; the article itself, if listed, and repeats do
    not count), else the article's own id."""
    if sig is None:
        return article_id
    candidates = list(candidates)
    # the near-duplicates first (one vectorised comparison), then the earliest-seen of those few
    found = [c for c in (candidates[i] for i in dedup.similar(sig, [c[3] for c in candidates]))
             if c[1] != article_id]
    if not found:
        return article_id
    return min(found, key=lambda c: (c[0] or "", c[1]))[2] or article_id
