"""bench/date_signals.py's table: precision, coverage and the head-to-head with htmldate that
decides dates.DAY_ORDER (issue 27)."""
from __future__ import annotations

from bench.date_signals import report


def page(**days):
    found = {name: None for name in ("json-ld", "meta", "time", "feed", "structured", "headline", "htmldate",
                                     "htmldate-fast", "trafilatura", "cascade")}
    found.update(days)
    return found


def test_head_to_head_counts_only_pages_where_both_decide_and_disagree():
    labels = {("d", "1"): "2008-01-08", ("d", "2"): "2008-01-14", ("d", "3"): "2008-01-10", ("d", "4"): "2008-01-02"}
    results = {
        ("d", "1"): page(headline="2008-01-08", htmldate="2008-01-15", cascade="2008-01-08"),  # headline wins
        ("d", "2"): page(headline="2008-01-16", htmldate="2008-01-14", cascade="2008-01-16"),  # htmldate wins
        ("d", "3"): page(headline="2008-01-10", htmldate="2008-01-10", cascade="2008-01-10"),  # agree: not counted
        ("d", "4"): page(htmldate="2008-01-02", meta="2008-01-03", cascade="2008-01-02"),      # headline silent
    }
    alone, head_to_head, cascade = report(results, labels, {("d", "4"): 2}).split("\n\n")[1:4]
    row = {line.split()[0]: line.split() for line in head_to_head.splitlines()[2:]}
    assert row["headline"][1:5] == ["2", "1", "1", "0"] and row["headline"][-2:] == ["after", "htmldate"]  # a tie
    assert row["meta"][1:5] == ["1", "0", "1", "0"]
    signal = {line.split()[0]: line.split() for line in alone.splitlines()[3:]}
    assert signal["headline"][1:4] == ["0.750", "0.667", "0.500"]        # coverage, precision, day accuracy
    assert "(3/4)" in cascade.splitlines()[1] and "round 2: 1.000" in cascade.splitlines()[1]
