"""Timeline charts as plain geometry; templates/_chart.html draws it as inline SVG (no script,
no chart library). One entity → bars; two to four → one line each, on shared periods."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from index.timeline import next_period

WIDTH, HEIGHT = 800, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 44
MAX_X_LABELS = 10
# Distinguishable for the common colour-vision deficiencies (Okabe–Ito), dark enough on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
METRICS = ("articles", "stories", "mentions")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str           # the tooltip
    href: str = ""       # the period's results, when the chart links them


@dataclass
class Point:
    x: float
    y: float
    label: str
    href: str = ""


@dataclass
class Series:
    name: str
    color: str
    values: list[int]
    path: str = ""                       # SVG path data, for lines
    points: list[Point] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class Chart:
    title: str
    description: str
    metric: str
    periods: list[str]
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    unit: str = ""                       # "%" for shares
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not self.periods

    @property
    def kind(self) -> str:
        return "bars" if len(self.series) == 1 else "lines"

    def table(self) -> list[list]:
        """The same numbers as rows (period, value per series), for readers without the picture."""
        return [[p, *(s.values[i] for s in self.series)] for i, p in enumerate(self.periods)]


def periods(series_rows: list[list], interval: str) -> list[str]:
    """Every period from the earliest to the latest among all series, gaps included."""
    starts = {date.fromisoformat(r.date) for rows in series_rows for r in rows}
    if not starts:
        return []
    out, current, last = [], min(starts), max(starts)
    while current <= last:
        out.append(current.isoformat())
        current = next_period(current, interval)
    return out


def nice_max(value: int) -> tuple[int, int]:
    """(top of the axis, step) with at most five integer steps of 1, 2 or 5 × 10^k."""
    value = max(value, 1)
    raw = value / 5
    magnitude = 10 ** max(math.floor(math.log10(raw)), 0) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return math.ceil(value / step) * step, step


def period_label(iso: str, interval: str, first: bool = False) -> str:
    day = date.fromisoformat(iso)
    if interval == "month":
        return day.strftime("%b %Y")
    label = f"{day.day} {day.strftime('%b')}"
    return f"{label} {day.year}" if first or (day.month == 1 and day.day <= 7) else label


def timeline_chart(named_rows: list[tuple[str, list]], interval: str, metric: str = "articles") -> Chart:
    """named_rows: (entity, TimelineRow list) per entity, the page's entity first."""
    keys = periods([rows for _, rows in named_rows], interval)
    names = [name for name, _ in named_rows]
    what = {"articles": "articles mentioning", "stories": "stories mentioning", "mentions": "mentions of"}[metric]
    title = f"{metric.capitalize()} per {interval}: " + ", ".join(names)
    series = []
    for i, (name, rows) in enumerate(named_rows):
        by_date = {r.date: getattr(r, metric) for r in rows}
        series.append(Series(name, PALETTE[i % len(PALETTE)], [by_date.get(k, 0) for k in keys]))
    if not keys:
        return Chart(title, f"No {what} {', '.join(names)} in this period.", metric, [], series, [], [])
    return _draw(Chart(title, "", metric, keys, series, [], []), interval, what)


# metric -> (the title's word, the description's words before the query)
COVERAGE_METRICS = {"articles": ("articles", "articles matching"), "stories": ("stories", "stories matching"),
                    "share": ("share of all articles", "of all articles matching")}


def coverage_chart(named_rows: list[tuple[str, list]], interval: str, metric: str = "articles",
                   link=None) -> Chart:
    """named_rows: (query label, TrendRow list on shared periods) per query. metric: articles,
    stories or share (drawn as a percentage). link(label, period start) -> that period's results."""
    keys = [r.date for r in named_rows[0][1]] if named_rows else []
    names = [name or "all articles" for name, _ in named_rows]
    word, what = COVERAGE_METRICS[metric]
    title = f"Coverage per {interval} ({word}): " + ", ".join(names)
    series = []
    for i, (name, rows) in enumerate(named_rows):
        values = [round(r.share * 100, 2) if metric == "share" else getattr(r, metric) for r in rows]
        series.append(Series(names[i], PALETTE[i % len(PALETTE)], values))
    if not keys or not any(v for s in series for v in s.values):
        return Chart(title, "Nothing matches in this period.", metric, [], series, [], [])
    everything = all(not name for name, _ in named_rows)      # no query: "12 articles", not "… matching all articles"
    chart = _draw(Chart(title, "", metric, keys, series, [], [], unit="%" if metric == "share" else ""),
                  interval, word if everything else what, named=not everything)
    if link:
        for (name, _), s in zip(named_rows, chart.series):
            for i, mark in enumerate(s.bars or s.points):
                mark.href = link(name, keys[i])
    return chart


def _draw(chart: Chart, interval: str, what: str, named: bool = True) -> Chart:
    """Lay out the chart's series: bars for one, lines for several; axes, ticks, a description."""
    keys, series, unit = chart.periods, chart.series, chart.unit
    top_value, step = nice_max(math.ceil(max(max(s.values) for s in series)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(keys)

    def y_of(value: float) -> float:
        return round(TOP + plot_h - value / top_value * plot_h, 1)

    def x_mid(i: int) -> float:
        return round(LEFT + slot * (i + 0.5), 1)

    labels = [period_label(k, interval, first=(i == 0)) for i, k in enumerate(keys)]
    for s in series:
        tips = [f"{labels[i]}: {v}{unit} {chart.metric} — {s.name}" for i, v in enumerate(s.values)]
        if len(series) == 1:
            width = max(round(slot * 0.72, 1), 1.0)
            s.bars = [Bar(round(x_mid(i) - width / 2, 1), y_of(v), width, round(TOP + plot_h - y_of(v), 1), tips[i])
                      for i, v in enumerate(s.values)]
        else:
            s.points = [Point(x_mid(i), y_of(v), tips[i]) for i, v in enumerate(s.values)]
            s.path = "M" + " L".join(f"{p.x},{p.y}" for p in s.points)

    every = math.ceil(len(keys) / MAX_X_LABELS)
    chart.x_ticks = [Tick(x_mid(i), labels[i]) for i in range(0, len(keys), every)]
    chart.y_ticks = [Tick(y_of(v), f"{v}{unit}") for v in range(0, top_value + 1, step)]
    peak = max(((s.name, labels[s.values.index(max(s.values))], max(s.values)) for s in series),
               key=lambda t: t[2])
    if peak[2] == 1 and not unit:
        what = what.replace("articles", "article").replace("mentions", "mention").replace("stories", "story")
    when = {"day": "on", "week": "in the week of", "month": "in"}[interval]
    chart.description = (f"{len(keys)} {interval}{'' if len(keys) == 1 else 's'} from {labels[0]} to "
                         f"{period_label(keys[-1], interval)}; the highest is {peak[2]}{unit} {what}{' ' + peak[0] if named else ''} "
                         f"{when} {peak[1]}.")
    return chart
