"""The Elasticsearch backend's pieces that need no node: query compilation, snippets, the spool,
URL parsing."""
from __future__ import annotations

import pytest

from index import Article, IndexConfigError, content_hash, open_index, parse
from index.base import UrlState
from index.elastic.query import OPEN, CLOSE, compile_query, fold, snippet
from index.spool import Spool


def test_user_text_only_becomes_term_match_or_prefix_values():
    q = compile_query(parse('telegram "sexually explicit" investigat* -durov source:DMR'))
    text = repr(q)
    assert "query_string" not in text and "simple_query_string" not in text
    assert "'match_phrase': {'title': {'query': 'sexually explicit'" in text
    assert "'prefix': {'body.exact': {'value': 'investigat'" in text
    assert "'must_not'" in text and "'term': {'source.lower': 'dmr'}" in text


def test_prefixes_are_folded_like_the_exact_analyzer():
    assert fold("café") == "cafe" and fold("łódź") == "łodz" and fold("straße") == "straße"
    assert fold("ǘ") == "u" and fold("ά") == "ά"          # FTS5 folds to ASCII letters only


def test_snippet_marks_escapes_and_cuts_around_the_match():
    words = [f"w{i}" for i in range(60)]
    words[40] = f"{OPEN}Telegram{CLOSE}"
    body = " ".join(words).replace(OPEN, "").replace(CLOSE, "") + " <b>&"
    cut = snippet(" ".join(words) + " <b>&", body)
    assert "<mark>Telegram</mark>" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(cut.split()) == 24
    assert snippet(None, "Short body with <tags> & more.") == "Short body with &lt;tags&gt; &amp; more."
    whole = f"A short body about {OPEN}Telegram{CLOSE}."
    assert snippet(whole, whole) == "A short body about <mark>Telegram</mark>."


def art(i: int) -> Article:
    title, body = f"Title {i}", [f"Body {i}."]
    return Article(id=f"s{i}", url=f"https://x.example/{i}", source="x", title=title, body=body,
                   content_hash=content_hash(title, body))


def test_spool_keeps_the_latest_version_once_and_replays_oldest_first(tmp_path):
    spool = Spool(tmp_path / "s.db")
    assert spool.count() == 0 and not spool.path.exists()          # nothing spooled, no file
    spool.put([art(1), art(2)], "down")
    newer = art(1)
    newer.title = "Title 1, updated"
    spool.put([newer], "down")
    assert spool.count() == 2
    assert spool.hashes(["s1", "s9"]) == {"s1": newer.content_hash}
    batches = list(spool.batches(10))
    assert [a.id for _, a in batches[0]] == ["s2", "s1"] and batches[0][1][1].title == "Title 1, updated"
    spool.remove([seq for seq, _ in batches[0]])
    assert spool.count() == 0
    spool.put_records("url_state", {"https://x.example/1": {"url": "https://x.example/1", "source": "x"}})
    assert list(spool.records("url_state")) == ["https://x.example/1"]
    spool.delete()
    assert not spool.path.exists()


def test_elasticsearch_urls_are_checked_without_contacting_the_node(tmp_path):
    ix = open_index("http://user:p%40ss@127.0.0.1:1/my-collection", spool_dir=tmp_path)   # nothing listens
    assert ix.name == "my-collection" and ix.location == "http://127.0.0.1:1/my-collection"
    assert "p@ss" not in ix.location
    assert ix.write([art(1)]).spooled == 1                              # down: spooled, no exception
    ix.save_url_states([UrlState("https://x.example/1", "x", "2024-09-02T00:00:00Z", "article")])
    assert ix.pending() == 1
    ix.close()
    for bad in ["http://127.0.0.1:9200/Upper", "http://127.0.0.1:9200/a/b", "http://:9200/x"]:
        with pytest.raises(IndexConfigError):
            open_index(bad)
    with pytest.raises(IndexConfigError):
        open_index("http://127.0.0.1:9200", colour="blue")
