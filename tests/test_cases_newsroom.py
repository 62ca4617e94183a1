"""Cases on the sample newsroom (English yonhap and dmr, Korean yonhap_ko) crawled over real HTTP
with NLP into a real SQLite index: `policywatch cases --entity Telegram` follows the Korean police
investigation, the regulator's takedown requests and the French case against Durov, each with
English and Korean sources; `policywatch case ID` shows one's stages; reprocess rebuilds them."""
from __future__ import annotations

import json

import pytest

from conftest import FAST_CRAWL, run_cli


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from newsroom import sources_yaml, start
    tmp = tmp_path_factory.mktemp("cases")
    newsroom = start(outlets=("yonhap", "dmr", "yonhap_ko"))
    sources = tmp / "sources.yaml"
    sources.write_text(sources_yaml(newsroom.urls), encoding="utf-8")
    index = f"sqlite:///{tmp}/index.db"
    run_cli("crawl", "--sources", str(sources), "--index", index, *FAST_CRAWL)
    yield index
    newsroom.stop()


def telegram_cases(index):
    found = json.loads(run_cli("cases", "--entity", "Telegram", "--index", index, "--format", "json").stdout)
    return {c["title"]: c for c in found}


def stage(case, name):
    return next(s for s in case["stages"] if s["stage"] == name)


def test_telegram_cases_follow_each_matter_across_outlets_and_languages(crawled):
    cases = telegram_cases(crawled)
    police = cases["South Korea: criminal case against Telegram"]
    investigation = stage(police, "investigation")
    assert {"yonhap", "yonhap_ko", "dmr"} <= set(investigation["sources"])
    assert investigation["date"] <= "2024-09-02" and investigation["status"] == "happened"
    assert "Korean National Police Agency" in police["authorities"] and police["languages"] == ["en", "ko"]

    regulator = cases["South Korea: regulatory action against Telegram"]
    takedown = stage(regulator, "takedown")
    assert {"yonhap", "yonhap_ko", "dmr"} <= set(takedown["sources"])
    assert "Korea Communications Standards Commission" in regulator["authorities"]
    assert any("25" in r["sentence"] and r["language"] == "ko" for r in takedown["reports"])

    durov = cases["France: criminal case against Pavel Durov"]
    names = [s["stage"] for s in durov["stages"]]
    assert {"arrest", "charge"} <= set(names) and names.index("arrest") < names.index("charge")
    assert stage(durov, "arrest")["date"] == "2024-08-24"            # "on Saturday", in an article of Aug. 26
    assert durov["languages"] == ["en", "ko"] and "Telegram" in durov["related"]
    # no case merges two targets: each case's reports all name its target's case
    assert all(c["target"] in {"Telegram", "Pavel Durov"} or "Telegram" in c["related"] for c in cases.values())


def test_case_command_shows_stages_in_time_order(crawled):
    police = telegram_cases(crawled)["South Korea: criminal case against Telegram"]
    shown = run_cli("case", police["id"], "--index", crawled).stdout
    assert shown.startswith(f"South Korea: criminal case against Telegram  [{police['id']}]")
    assert "investigation" in shown and "Korean National Police Agency" in shown
    rows = json.loads(run_cli("case", police["id"], "--index", crawled, "--format", "json").stdout)["stages"]
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    missing = run_cli("case", "0123456789ab", "--index", crawled, check=False)
    assert missing.returncode == 1 and missing.stderr.startswith("policywatch: no case 0123456789ab")


def test_cases_filters_and_formats(crawled):
    table = run_cli("cases", "--entity", "Telegram", "--index", crawled).stdout
    assert table.splitlines()[0].split()[:3] == ["ID", "TITLE", "CURRENT"]
    rows = run_cli("cases", "--authority", "KCSC", "--index", crawled, "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("id,title,current") and any("regulatory action against Telegram" in r for r in rows)
    assert json.loads(run_cli("cases", "--country", "FR", "--stage", "charge", "--index", crawled,
                              "--format", "json").stdout)[0]["target"] == "Pavel Durov"
    assert json.loads(run_cli("cases", "--entity", "Telegram", "--to", "2023-12-31", "--index", crawled,
                              "--format", "json").stdout) == []
    bad = run_cli("cases", "--from", "2024-09-10", "--to", "2024-09-01", "--index", crawled, check=False)
    assert bad.returncode == 2 and "reversed range" in bad.stderr


def test_reprocess_nlp_only_rebuilds_the_same_cases(crawled):
    before = telegram_cases(crawled)
    run_cli("reprocess", "--nlp-only", "--index", crawled)
    assert telegram_cases(crawled) == before
