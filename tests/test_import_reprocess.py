"""The crawl's WARC archive end to end: a crawl of the sample newsroom archives what it fetched,
`import` of those files rebuilds the same articles, `reprocess` updates stored articles from
their archived pages (or re-tags them after a gazetteer edit), on both backends."""
from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.urls import normalize_url
from index import content_hash, open_index, parse
from conftest import run_cli
from test_archive import PARAS, article_html


def archive_of(site) -> Path:
    return Path(site["index"][len("sqlite:///"):]).parent / "archive"


def all_articles(url: str) -> dict:
    ix = open_index(url)
    ix.refresh()                          # Elasticsearch: make the subprocess's writes searchable
    found = {a.id: a for a in ix.export(parse(""))}
    ix.close()
    return found


def entity_set(article) -> set:
    return {(e.name, e.type, e.mentions) for e in article.entities}


def test_the_crawl_archives_every_article_response_as_warc(site, stored):
    files = sorted(archive_of(site).glob("*.warc.gz"))
    assert files, "the crawl wrote no WARC file beside its index"
    records = []
    for path in files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh, check_digests=True):
                body = record.content_stream().read()
                assert record.digest_checker.passed is not False
                records.append((record.rec_type, record.rec_headers, record.http_headers, body))
    responses = [r for r in records if r[0] == "response"]
    requests = {r[1].get_header("WARC-Concurrent-To") for r in records if r[0] == "request"}
    assert all(r[1].get_header("WARC-Record-ID") in requests for r in responses)      # each with its request
    assert all(r[1].get_header("WARC-Date") and r[1].get_header("WARC-Payload-Digest") for r in responses)
    archived = {r[1].get_header("WARC-Target-URI") for r in responses if r[2].get_statuscode() == "200"}
    assert {a.url for a in stored.values()} <= {normalize_url(u) for u in archived}
    metadata = [json.loads(r[3]) for r in records if r[0] == "metadata"]
    assert {m["source"] for m in metadata} >= {"yonhap", "dmr"}
    stats = json.loads(run_cli("stats", "--index", site["index"]).stdout)
    assert stats["archive"]["files"] == len(files) and stats["archive"]["bytes"] == sum(f.stat().st_size for f in files)
    assert stats["archived_articles"] == stats["articles"]
    status = run_cli("status", "--index", site["index"], "--sources", str(site["sources"])).stderr
    assert f"{stats['articles']} archived articles in {len(files)} file(s)" in status


def test_import_of_the_crawl_archive_gives_the_same_articles(site, stored, index_url):
    result = run_cli("import", str(archive_of(site)), "--index", index_url, "--sources", str(site["sources"]),
                     "--format", "json")
    report = json.loads(result.stdout)
    assert report["damaged"] == [] and all(s["errors"] == 0 for s in report["sources"])
    imported = all_articles(index_url)
    crawled = {a.id: a for a in stored.values()}
    assert set(imported) == set(crawled)
    for aid, a in crawled.items():
        b = imported[aid]
        assert (b.url, b.source, b.title, b.body, b.published) == (a.url, a.source, a.title, a.body, a.published)
        assert entity_set(b) == entity_set(a), a.url
        assert {(x.action, x.sentence) for x in b.actions} == {(x.action, x.sentence) for x in a.actions}
    again = json.loads(run_cli("import", str(archive_of(site)), "--index", index_url, "--format", "json").stdout)
    assert sum(s["new"] for s in again["sources"]) == 0          # a second import changes nothing


def one_article_warc(path: Path, url: str, title: str, paragraphs: list[str]) -> None:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True, warc_version="1.1")
    body = article_html(title, paragraphs).encode()
    w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                                                      protocol="HTTP/1.1"),
                                        warc_headers_dict={"WARC-Date": "2024-09-04T00:00:00Z"}))
    path.write_bytes(buf.getvalue())


ZEPHYR = ["The Zephyr Online Safety Bureau said on Wednesday that it had fined three platforms for failing to remove "
          "sexually explicit deepfake images within the deadline set by the law passed last year."] + PARAS


def test_reprocess_nlp_only_tags_old_articles_after_a_gazetteer_entry(tmp_path, index_url):
    warc = tmp_path / "zephyr.warc.gz"
    one_article_warc(warc, "https://news.example.org/2024/09/zephyr", "Bureau fines platforms over deepfakes", ZEPHYR)
    run_cli("import", str(warc), "--index", index_url, "--source", "wire")
    (before,) = all_articles(index_url).values()
    assert "Zephyr Regulator" not in {e.name for e in before.entities}
    extra = tmp_path / "extra.yaml"
    extra.write_text("entries:\n  - name: Zephyr Regulator\n    type: AGENCY\n"
                     "    aliases: [Zephyr Online Safety Bureau]\n")
    result = run_cli("reprocess", "--nlp-only", "--gazetteer", str(extra), "--index", index_url)
    assert before.id in result.stdout and "entities" in result.stdout and "+Zephyr Regulator" in result.stdout
    assert "1 changed" in result.stderr
    (after,) = all_articles(index_url).values()
    assert ("Zephyr Regulator", "AGENCY") in {(e.name, e.type) for e in after.entities}
    assert after.body == before.body and after.revisions == 0             # new entities are not a revision
    hits = json.loads(run_cli("search", 'entity:"Zephyr Regulator"', "--index", index_url, "--gazetteer", str(extra),
                              "--format", "json").stdout)
    assert [h["id"] for h in hits] == [before.id]
    again = run_cli("reprocess", "--nlp-only", "--gazetteer", str(extra), "--index", index_url)
    assert "0 changed" in again.stderr and again.stdout == ""


def test_reprocess_restores_text_from_the_archive_and_leaves_unarchived_articles_alone(tmp_path, index_url):
    warc = tmp_path / "zephyr.warc.gz"
    one_article_warc(warc, "https://news.example.org/2024/09/zephyr", "Bureau fines platforms over deepfakes", ZEPHYR)
    run_cli("import", str(warc), "--index", index_url, "--source", "wire", "--no-nlp")
    (good,) = all_articles(index_url).values()
    # What an older, worse extraction left: a body with boilerplate in it, and an article whose
    # page was never archived.
    ix = open_index(index_url)
    worse = good.body + ["Share this article on social media"]
    ix.write([replace(good, body=worse, content_hash=content_hash(good.title, worse))])
    orphan = replace(good, id="orphan-1", url="https://news.example.org/2024/09/orphan")
    ix.write([orphan])
    ix.refresh()              # Elasticsearch: searchable before reprocess reads them (a flake under load)
    ix.close()
    result = run_cli("reprocess", "--index", index_url)
    assert f"{good.id}  {good.url}: body" in result.stdout and "orphan-1" not in result.stdout
    assert "1 changed" in result.stderr and "1 with no archived page" in result.stderr
    now = all_articles(index_url)
    assert now[good.id].body == good.body and now[good.id].revisions == 2      # the worse version is kept as history
    assert now["orphan-1"].body == orphan.body
    history = run_cli("history", good.id, "--index", index_url).stdout
    assert "-Share this article on social media" in history
