"""A digest for an alert that watches a case (index/cases.py): what is new to a channel is a
stage the case had not reached before its mark, or a source reporting a stage it had not reported
before (a second outlet confirming the charge). A story (near-duplicate copies, one cluster) is one
item per stage, with the stage, its evidence sentence and whether the stage or only the source is
new."""
from __future__ import annotations

from urllib.parse import quote

from index.base import StatementRow

from .coverage import Coverage
from .digest import MAX_ITEMS, Digest, Item
from .model import Alert


def _before(row: StatementRow, start: str | None) -> bool:
    # an article without a stamp (an index older than alerts) is old news
    return start is not None and (row.indexed is None or row.indexed < start)


def build_case(index, alert: Alert, start: str | None, end: str, coverage: Coverage,
               base_url: str | None) -> Digest:
    """The case's reports indexed in [start, end) that bring a new stage or a new source to a stage."""
    rows = list(index.statements(case=alert.case))
    old_stages = {r.statement.stage for r in rows if _before(r, start)}
    old_reports = {(r.statement.stage, r.source) for r in rows if _before(r, start)}
    base = base_url.rstrip("/") if base_url else None
    digest = Digest(alert.name, alert.query_text(), alert.every, start, end, coverage,
                    search_link=f"{base}/cases/{quote(alert.case)}" if base else None)
    items: dict[tuple[str, str], Item] = {}        # (stage, story) -> item
    outlets: dict[tuple[str, str], set[str]] = {}   # the sources of each item's story
    articles = set()
    for row in rows:
        stage = row.statement.stage
        if _before(row, start) or row.indexed is None or row.indexed >= end or (stage, row.source) in old_reports:
            continue
        articles.add(row.article)
        key = (stage, row.cluster)
        if key in items:
            outlets[key].add(row.source)
            items[key].more = len(outlets[key]) - 1
            continue
        news = "source" if stage in old_stages else "stage"
        item = Item(title=row.title, url=row.url, link=f"{base}/articles/{quote(row.article)}" if base else None,
                    source=row.source, published=row.published, language=row.language,
                    snippet=row.statement.sentence, more=0,
                    actions=[{"action": stage, "sentence": row.statement.sentence, "news": f"new {news}",
                              "authority": row.statement.authority, "status": row.statement.status}])
        items[key], outlets[key] = item, {row.source}
    ordered = list(items.values())
    digest.stories, digest.articles = len(ordered), len(articles)
    digest.items = ordered[:MAX_ITEMS]
    return digest
