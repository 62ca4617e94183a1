"""Extraction against hand-checked fixture pages modelled on real outlets (tests/fixtures/extraction).

The scoring is the benchmark's own (bench/extraction_eval.py), so the test and the printed
figures cannot drift apart."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from extract.article import extract

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("extraction_eval", ROOT / "bench" / "extraction_eval.py")
ev = importlib.util.module_from_spec(_spec)
sys.modules["extraction_eval"] = ev          # dataclasses look their module up while it loads
_spec.loader.exec_module(ev)
FIXTURES = ev.load_fixtures(ROOT / "tests" / "fixtures" / "extraction")


def test_fixture_truth_files_match_their_pages():
    problems = [p for f in FIXTURES for p in ev.check_fixture(f)]
    assert problems == []
    assert len(FIXTURES) >= 14


# Known limit: data tables are dropped, since trafilatura's table mode wrecks the many legacy
# sites laid out with tables (asiawire-* is one); this page loses its table and the boxed methodology note.
MIN_F1 = {"datadesk-online-penalty-caps-table": 0.8}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_each_page_extracts_cleanly(fixture):
    result = extract(fixture.html, fixture.truth["url"])
    score = ev.score_page(fixture, result)
    assert result.is_article, result.reason
    assert score.f1 >= MIN_F1.get(fixture.name, 0.9), (score.precision, score.recall)
    assert score.title_ok, result.title
    assert score.published_ok, (result.published, fixture.truth["published"])
    assert score.authors_ok, (result.authors, fixture.truth["authors"])
    assert not any(p.lower().startswith(("by ", "share", "(end)")) for p in result.body)


def test_whole_set_beats_bare_trafilatura():
    ours = ev.summarise(ev.evaluate(FIXTURES, ev.load_extractor("policywatch")))
    bare = ev.summarise(ev.evaluate(FIXTURES, ev.load_extractor("trafilatura-bare")))
    keys = [k for k in ours if "f1" in k]
    assert keys and all(ours[k] >= 0.97 and ours[k] > bare[k] for k in keys), (ours, bare)


def test_dates_keep_their_offset_and_bylines_lose_email_and_by():
    page = next(f for f in FIXTURES if "email-byline" in f.name)
    result = extract(page.html, page.truth["url"])
    assert result.authors == ["Kim Ji-hoon"]
    yonhap = next(f for f in FIXTURES if f.name.startswith("yonhap"))
    assert extract(yonhap.html, yonhap.truth["url"]).published.endswith("+09:00")


@pytest.mark.parametrize("page, reason", [
    (b"", "empty page"),
    (b"<html><head></head><body><p>" + b"words " * 100 + b"</p></body></html>", "no title"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "binary"),
    (b"<html><head><title>Video: police raid</title><meta property='og:type' content='video.other'></head>"
     b"<body><video src='x.mp4'></video><p>Watch the raid.</p></body></html>", "page type"),
    (b"<html><head><title>Log in</title></head><body><form><input name=user><input name=pw></form></body></html>",
     "too little text"),
    (b"<html><head><title>Tech</title></head><body>" + b"".join(
        b"<h3><a href='/a%d'>Headline number %d about policy</a></h3>" % (i, i) for i in range(30)) + b"</body></html>",
     ""),
])
def test_non_articles_are_recognised(page, reason):
    result = extract(page, "https://news.example/x")
    assert not result.is_article
    assert reason in (result.reason or "")


def test_malformed_html_does_not_raise():
    result = extract(b"<html><body><p>Unclosed <div><p>" + b"text " * 200 + b"<<<>>></td></tr>", "https://x.example/a")
    assert isinstance(result.body, list)
