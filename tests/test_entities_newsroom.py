"""Entities, enforcement actions, entity filters and timelines on the crawled sample newsroom.

Expected values are computed here, independently: from the newsroom's ground-truth text, or by
re-aggregating the exported records with this file's own code."""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from conftest import run_cli


def entities(article) -> dict[str, tuple[str, int]]:
    return {e.name: (e.type, e.mentions) for e in article.entities}


def by_path(site, pattern):
    return [t for t in site["truth"] if re.search(pattern, t["title"] + "\n" + t["text"])]


def test_types_and_canonical_names(stored):
    durov_charged = stored["/2024/08/28/pavel-durov-charged-in-france-released-on-bail/"]
    found = entities(durov_charged)
    assert found["Pavel Durov"][0] == "PERSON"
    assert found["Telegram"][0] == "PLATFORM"
    assert found["France"][0] == "GPE"
    assert found["Paris prosecutor's office"][0] == "AGENCY"
    aliexpress = next(a for a in stored.values() if a.title.startswith("European Commission Opens DSA Investigation"))
    assert entities(aliexpress)["Digital Services Act"][0] == "LAW"
    assert entities(aliexpress)["European Commission"][0] == "AGENCY"


def test_surname_only_mentions_fold_into_the_full_name(site, stored):
    for t in by_path(site, r"Pavel Durov"):
        article = stored[t["path"]]
        names = entities(article)
        assert "Durov" not in names, t["path"]
        # every "Durov" in the text, full name or surname alone, is one mention of Pavel Durov
        assert names["Pavel Durov"][1] == len(re.findall(r"\bDurov\b", t["title"] + "\n" + t["text"])), t["path"]


def test_aliases_map_to_the_canonical_name(site, stored):
    (messenger,) = by_path(site, "Telegram Messenger")
    names = entities(stored[messenger["path"]])
    assert "Telegram" in names and "Telegram Messenger" not in names
    for t in by_path(site, r"\bKCSC\b"):
        names = entities(stored[t["path"]])
        assert "Korea Communications Standards Commission" in names and "KCSC" not in names
    for t in by_path(site, "formerly Twitter"):
        assert entities(stored[t["path"]]).get("X", ("",))[0] == "PLATFORM"


def test_possessives_and_titles_are_stripped(site, stored):
    for t in by_path(site, "Telegram[’']s"):
        names = entities(stored[t["path"]])
        assert "Telegram" in names
        assert not any(n.endswith(("'s", "’s")) for n in names), names
    for article in stored.values():
        for name in entities(article):
            assert not re.match(r"^(the|The|Commissioner|President|Chairman|Minister|Mr\.?|Ms\.?) ", name), name


def test_junk_spans_never_become_entities(stored):
    for article in stored.values():
        for name, (type_, _) in entities(article).items():
            assert "Featured Image" not in name and "\n" not in name and (len(name) > 1 or name == "X"), name
            assert not re.search(r"\(Yonhap\)|SEOUL,", name), name


def test_a_wire_credit_in_the_dateline_is_not_an_entity(site, stored):
    only_credit = [t for t in site["truth"] if t["outlet"] == "yonhap"
                   and re.sub(r"\(Yonhap\)", "", t["text"]).count("Yonhap") == 0]
    assert len(only_credit) >= 10
    for t in only_credit:
        assert "Yonhap News Agency" not in entities(stored[t["path"]]), t["path"]


def test_actions_keep_the_sentence_that_triggered_them(stored):
    arrest = stored["/2024/08/26/telegram-founder-pavel-durov-detained-in-france/"]
    tags = {a.action: a.sentence for a in arrest.actions}
    assert "arrest" in tags
    assert re.search(r"arrest|detain", tags["arrest"], re.I)
    for article in stored.values():
        for action in article.actions:
            assert action.sentence in article.title + "\n" + article.text
    law = stored["/2024/09/26/deepfake-bill/"]
    assert "legislation" in {a.action for a in law.actions}


def test_entity_type_and_action_filters(site, stored):
    def ids(query):
        out = run_cli("search", query, "--index", site["index"], "--format", "json", "--limit", "200")
        return {urlsplit(h["url"]).path for h in json.loads(out.stdout)}

    with_durov = {p for p, a in stored.items() if "Pavel Durov" in entities(a)}
    assert ids('entity:"Pavel Durov"') == with_durov and len(with_durov) >= 4
    assert ids("entity:Durov") == with_durov                      # an alias or surname resolves
    assert ids("type:LAW") == {p for p, a in stored.items() if any(e.type == "LAW" for e in a.entities)}
    arrests = {p for p, a in stored.items() if any(x.action == "arrest" for x in a.actions)}
    assert ids("action:arrest") == arrests
    assert ids('entity:Telegram action:arrest source:dmr') == {
        p for p in arrests if "Telegram" in entities(stored[p]) and stored[p].source == "dmr"}


def month_start(iso: str, tz) -> date:
    return datetime.fromisoformat(iso).astimezone(tz).date().replace(day=1)


def test_timeline_csv_matches_an_independent_count(site, stored):
    out = run_cli("timeline", "Telegram", "--index", site["index"], "--interval", "month")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == ["date", "entity", "articles", "stories", "mentions"]
    expected = defaultdict(lambda: [0, 0])
    clusters = defaultdict(set)
    for article in stored.values():
        if "Telegram" in entities(article):
            month = month_start(article.published, timezone.utc).isoformat()
            bucket = expected[month]
            bucket[0] += 1
            bucket[1] += entities(article)["Telegram"][1]
            clusters[month].add(article.cluster or article.id)
    got = {r["date"]: [int(r["articles"]), int(r["mentions"])] for r in rows}
    assert {k: v for k, v in got.items() if v != [0, 0]} == dict(expected)
    assert {r["date"]: int(r["stories"]) for r in rows if int(r["stories"])} == {m: len(c) for m, c in clusters.items()}
    months = sorted(got)
    assert months[0] == min(expected) and months[-1] == max(expected)
    assert len(months) == len({d for d in months})                   # one row per month, gaps filled
    assert all(r["entity"] == "Telegram" for r in rows)


def test_timeline_alias_weeks_and_time_zone(site, stored):
    alias = run_cli("timeline", "Telegram Messenger", "--index", site["index"], "--format", "json")
    assert json.loads(alias.stdout)[0]["entity"] == "Telegram"
    weeks = json.loads(run_cli("timeline", "Telegram", "--index", site["index"], "--interval", "week",
                               "--format", "json", "--tz", "Asia/Seoul").stdout)
    seoul = ZoneInfo("Asia/Seoul")
    expected = Counter()
    for article in stored.values():
        if "Telegram" in entities(article):
            day = datetime.fromisoformat(article.published).astimezone(seoul).date()
            expected[(day - timedelta(days=day.weekday())).isoformat()] += 1
    assert {w["date"]: w["articles"] for w in weeks if w["articles"]} == dict(expected)
    assert all(date.fromisoformat(w["date"]).weekday() == 0 for w in weeks)


def test_timeline_detail_has_one_row_per_mention(site, stored, tmp_path):
    out = tmp_path / "detail.csv"
    run_cli("timeline", "Pavel Durov", "--index", site["index"], "--detail", "--output", str(out),
            "--from", "2024-08-01", "--to", "2024-09-30")
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["date", "entity", "source", "url", "title", "sentence"]
    in_range = [a for a in stored.values() if "Pavel Durov" in entities(a)
                and "2024-08-01" <= datetime.fromisoformat(a.published).astimezone(timezone.utc).date().isoformat() <= "2024-09-30"]
    assert len(rows) == sum(entities(a)["Pavel Durov"][1] for a in in_range)
    assert all("Durov" in r["sentence"] for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    page = tmp_path / "newest.csv"
    run_cli("timeline", "Pavel Durov", "--index", site["index"], "--newest", "3", "--output", str(page),
            "--from", "2024-08-01", "--to", "2024-09-30")
    newest = list(csv.DictReader(page.open()))
    assert [r["date"] for r in newest] == sorted((r["date"] for r in rows), reverse=True)[:3]
    assert all(r in rows for r in newest)


def test_entities_command_ranks_by_articles(site, stored):
    top = json.loads(run_cli("entities", "--index", site["index"], "--format", "json", "--limit", "5").stdout)
    counts = Counter(name for a in stored.values() for name in entities(a))
    assert top[0]["name"] == counts.most_common(1)[0][0]
    assert top[0]["articles"] == counts.most_common(1)[0][1]
    clusters = {a.cluster or a.id for a in stored.values() if top[0]["name"] in entities(a)}
    assert top[0]["stories"] == len(clusters)
    agencies = json.loads(run_cli("entities", "deepfake", "--type", "AGENCY", "--index", site["index"],
                                  "--format", "json").stdout)
    assert agencies and all(e["type"] == "AGENCY" for e in agencies)
    table = run_cli("entities", "source:yonhap", "--index", site["index"]).stdout
    assert table.splitlines()[0].split() == ["NAME", "TYPE", "ARTICLES", "STORIES", "MENTIONS"]


def test_export_carries_entities_and_actions(site):
    records = [json.loads(line) for line in run_cli("export", 'entity:"Pavel Durov"', "--index", site["index"]).stdout.splitlines()]
    assert records
    for r in records:
        assert any(e["name"] == "Pavel Durov" and e["type"] == "PERSON" and e["mentions"] >= 1 for e in r["entities"])
        assert all(set(a) == {"action", "sentence"} for a in r["actions"])
