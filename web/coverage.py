"""Coverage over time in the web UI: the chart above the search results, the compare view
(/trend?q=…&q=…) and their downloads — `policywatch trend` rows (index/trend.py), drawn by
charts.coverage_chart. The search form's filters apply to every query compared."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from index.base import TrendRow
from index.trend import trend
from policywatch.config import parse_range

from . import charts
from .search import SearchForm, build_query

MAX_QUERIES = 4


@dataclass
class Coverage:
    form: SearchForm                 # the shared state: filters, dates, interval, measure, by story
    queries: list[str]
    rows: list[TrendRow]
    chart: charts.Chart
    notices: list[str] = field(default_factory=list)

    @property
    def metric(self) -> str:
        return chart_metric(self.form)


def chart_metric(form: SearchForm) -> str:
    """What the chart plots: the share of all articles, else stories (one result per story) or articles."""
    if form.measure == "share":
        return "share"
    return "stories" if form.collapse else "articles"


def trend_rows(services, form: SearchForm, queries: list[str]) -> list[TrendRow]:
    """Rows for each query with the form's filters and dates. Raises QueryError, UsageError."""
    named = [(text, build_query(services, replace(form, q=text))) for text in queries]
    date_from, date_to = parse_range(form.date_from or None, form.date_to or None)
    return trend(services.index, named, form.interval, None, date_from, date_to)


def coverage(services, form: SearchForm, queries: list[str] | None = None) -> Coverage:
    """The chart for the form's query, or for up to MAX_QUERIES queries compared."""
    wanted = [q.strip() for q in (queries if queries is not None else [form.q])]
    wanted = list(dict.fromkeys(q for q in wanted if q)) if queries is not None else wanted
    notices = []
    if len(wanted) > MAX_QUERIES:
        notices.append(f"A chart compares at most {MAX_QUERIES} queries; the first {MAX_QUERIES} are shown.")
        wanted = wanted[:MAX_QUERIES]
    rows = trend_rows(services, form, wanted) if wanted else []
    named = [(q, [r for r in rows if r.query == q]) for q in wanted]
    metric = chart_metric(form)
    chart = charts.coverage_chart(named, form.interval, metric,
                                  link=lambda label, start: replace(form, q=label).in_period(start, form.interval))
    return Coverage(form, wanted, rows, chart, notices)


def compare_url(form: SearchForm, queries: list[str], **changes) -> str:
    """The compare view for these queries with the form's filters (and some changes)."""
    state = replace(form, q="", page=1, **changes)
    return "/trend?" + urlencode([("q", q) for q in queries] + state.pairs())


def download_url(form: SearchForm, queries: list[str], fmt: str) -> str:
    pairs = [(k, v) for k, v in replace(form, q="", page=1).pairs() if k not in ("sort", "collapse", "measure")]
    return "/api/trend?" + urlencode([("q", q) for q in queries] + pairs + [("format", fmt)])
