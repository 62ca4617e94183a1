"""The cases pages in real headless Chromium against the app under uvicorn: the cases list with
its filters, a case page with its stage timeline and evidence in two languages, an entity page's
cases, and the JSON API. The index holds articles with statements (no NLP run)."""
from __future__ import annotations

import json
import urllib.request

import pytest

from core.config import Config
from index import Article, StatementRef, content_hash, open_index

# browser and page are test_web_browser's fixtures, over this module's base_url
from test_web_browser import browser, page, require_chromium, served, shot  # noqa: F401

pytestmark = pytest.mark.browser


def article(id_, source, title, sentence, published, language, statements):
    return Article(id=id_, url=f"https://{source}.example/{id_}", source=source, title=title, body=[sentence],
                   published=published, language=language, content_hash=content_hash(title, [sentence]),
                   statements=statements)


def st(authority, role, country, track, action, stage, target, sentence, when=None, target_type="PLATFORM"):
    return StatementRef(authority, role, country, track, action, stage, target, target_type, "happened", when,
                        sentence, [])


POLICE_EN = "South Korean police said on Monday they had opened an investigation into Telegram."
POLICE_KO = "경찰청 국가수사본부가 텔레그램 법인에 대한 내사에 착수했다."
TAKEDOWN = "Telegram removed 25 deepfake videos flagged by the Korea Communications Standards Commission."
CORPUS = [
    article("p1", "yonhap", "Police launch investigation into Telegram", POLICE_EN, "2024-09-02T18:00:00+09:00", "en",
            [st("Korean National Police Agency", "police", "KR", "criminal", "investigation", "investigation",
                "Telegram", POLICE_EN, "on Monday")]),
    article("p2", "yonhap_ko", "경찰, 텔레그램 내사 착수", POLICE_KO, "2024-09-02T10:30:00+09:00", "ko",
            [st("National Office of Investigation", "police", "KR", "criminal", "investigation", "investigation",
                "Telegram", POLICE_KO)]),
    article("t1", "dmr", "Telegram takes down deepfake videos", TAKEDOWN, "2024-09-03T09:00:00+00:00", "en",
            [st("Korea Communications Standards Commission", "regulator", "KR", "regulatory", "takedown", "takedown",
                "Telegram", TAKEDOWN)]),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from web.app import create_app

    require_chromium()
    data = tmp_path_factory.mktemp("cases-browser")
    url = f"sqlite:///{data}/index.db"
    ix = open_index(url)
    ix.write(CORPUS)
    ix.close()
    yield from served(create_app(Config(index_url=url), state=str(data / "web.db")))


def test_cases_list_filters_and_opens_a_case_with_its_timeline(page):
    page.goto("/")
    page.click("nav.site-nav >> text=Cases")
    page.wait_for_url("**/cases")
    rows = page.locator("table.cases tbody tr")
    assert rows.count() == 2
    shot(page, "cases")

    page.fill("#c-authority", "KCSC")
    page.click("text=Filter")
    page.wait_for_url("**authority=KCSC*")
    assert page.locator("table.cases tbody tr").all_inner_texts()[0].startswith(
        "South Korea: regulatory action against Telegram")
    page.goto("/cases?since=2024-09-03")
    assert page.locator("table.cases tbody tr").count() == 1
    page.goto("/cases?stage=investigation")
    page.click("text=South Korea: criminal case against Telegram")
    page.wait_for_url("**/cases/*")
    assert page.locator("h1").inner_text() == "South Korea: criminal case against Telegram"
    stage = page.locator("li.stage").first
    assert stage.locator("h2").inner_text().startswith("investigation")
    evidence = stage.locator("blockquote").all_inner_texts()
    assert POLICE_EN in evidence and POLICE_KO in evidence
    assert stage.locator("blockquote[lang=ko]").count() == 1
    shot(page, "case")


def test_entity_page_lists_its_cases_as_target_and_authority(page):
    page.goto("/entities/Telegram")
    section = page.locator("section[aria-labelledby=cases-heading]")
    assert section.locator("h3").all_inner_texts() == ["As target"]
    assert section.locator("li").count() == 2
    page.goto("/entities/KCSC")          # an alias: redirected to the canonical page
    section = page.locator("section[aria-labelledby=cases-heading]")
    assert section.locator("h3").all_inner_texts() == ["As authority"]
    shot(page, "entity-cases")


def test_cases_in_the_json_api_and_a_missing_case_is_404(base_url):
    listed = json.load(urllib.request.urlopen(f"{base_url}/api/cases?target=Telegram"))
    assert {c["title"] for c in listed} == {"South Korea: criminal case against Telegram",
                                            "South Korea: regulatory action against Telegram"}
    police = next(c for c in listed if c["track"] == "criminal")
    one = json.load(urllib.request.urlopen(f"{base_url}/api/cases/{police['id']}"))
    assert one["stages"][0]["sources"] == ["yonhap", "yonhap_ko"] and len(one["stages"][0]["reports"]) == 2
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base_url}/api/cases/0123456789ab")
    assert missing.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(f"{base_url}/api/cases?since=yesterday")
    assert bad.value.code == 400
