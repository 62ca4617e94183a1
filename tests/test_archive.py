"""The page archive and `policywatch import` on WARC files built here: what is a page, what is
skipped and why, a torn last record, a page in a legacy charset, a file that is not a WARC."""
from __future__ import annotations

import io
import gzip
import json
import os

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warc import ArchiveWriter, NotAWarc, ReadReport, read_at, read_records, summary
from index import open_index, parse
from conftest import run_cli


def article_html(title: str, paragraphs: list[str], charset_meta: bool = False) -> str:
    meta = '<meta charset="windows-1252">' if charset_meta else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang=\"en\"><head>{meta}<title>{title}</title>"
            f"<meta property=\"article:published_time\" content=\"2024-09-03T09:00:00+09:00\"></head>"
            f"<body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>All rights reserved</footer></body></html>")


PARAS = [
    "Seoul police said on Tuesday they had opened an investigation into the messaging platform over the spread "
    "of sexually explicit deepfake images among teenagers in several cities across the country.",
    "Investigators said they would ask the company to hand over information about the operators of chat rooms "
    "where the manipulated images were shared, and would seek help from foreign authorities if needed.",
    "The communications regulator said separately that it had asked the platform to take down the material and "
    "to set up a hotline so that requests from victims could be handled within hours rather than days.",
]
LEGACY = ["Le régulateur français a qualifié l’affaire de « très sérieuse » et promis une coopération rapide "
          "avec les autorités coréennes, selon un communiqué publié à Paris mardi soir après une réunion."] + PARAS


def http(status: str, ctype: str | None, extra=()) -> StatusAndHeaders:
    headers = ([("Content-Type", ctype)] if ctype else []) + list(extra)
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def build_warc(path, truncate_last: bool = True) -> None:
    """A WARC as other tools write them: warcinfo, request, responses of every kind, a revisit,
    a page in windows-1252, and a last record cut short (a crawler killed mid-write)."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True, warc_version="1.1")
    w.write_record(w.create_warcinfo_record("test.warc.gz", {"software": "wget/1.21"}))

    def response(url, status, ctype, body: bytes, extra=()):
        w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                            http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")],
                                                                          is_http_request=True)))
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                            http_headers=http(status, ctype, extra),
                                            warc_headers_dict={"WARC-Date": "2024-09-03T01:00:00Z"}))

    response("https://news.example.org/2024/09/police-telegram", "200 OK", "text/html; charset=utf-8",
             article_html("Police open investigation into deepfake chat rooms", PARAS).encode())
    response("https://news.example.org/2024/09/missing", "404 Not Found", "text/html", b"<html>gone</html>")
    response("https://news.example.org/report.pdf", "200 OK", "application/pdf", b"%PDF-1.4 binary")
    response("https://news.example.org/2024/09/french-regulator", "200 OK", "text/html; charset=windows-1252",
             article_html("French regulator promises “cooperation”", LEGACY).encode("cp1252"))
    w.write_record(w.create_revisit_record("https://news.example.org/2024/09/police-telegram",
                                           digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                           refers_to_uri="https://news.example.org/2024/09/police-telegram",
                                           refers_to_date="2024-09-03T01:00:00Z",
                                           http_headers=http("200 OK", "text/html")))
    complete = buf.tell()
    response("https://news.example.org/2024/09/last", "200 OK", "text/html",
             article_html("A last article", PARAS).encode())
    data = buf.getvalue()
    if truncate_last:
        data = data[:complete + (len(data) - complete) // 2]
    path.write_bytes(data)


def test_archive_writer_writes_request_response_and_metadata_records_with_digests(tmp_path):
    writer = ArchiveWriter(tmp_path / "archive")
    warc, offset = writer.write_exchange("https://news.example.org/a?x=1", "GET", [("User-Agent", "PolicyWatch")],
                                         200, "OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                                         b"<html>page</html>", metadata={"source": "news", "hints": {"title": "T"}})
    with open(warc, "rb") as fh:
        records = [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(fh)]
    assert [r[0] for r in records] == ["warcinfo", "request", "response", "metadata"]
    _, req_headers, req_http, _ = records[1]
    _, headers, resp_http, body = records[2]
    assert req_http.protocol == "GET" and req_http.get_header("User-Agent") == "PolicyWatch"
    assert req_headers.get_header("WARC-Concurrent-To") == headers.get_header("WARC-Record-ID")
    assert headers.get_header("WARC-Date").startswith("20") and headers.get_header("WARC-Block-Digest")
    assert headers.get_header("WARC-Payload-Digest") and headers.protocol == "WARC/1.1"
    assert body == b"<html>page</html>" and resp_http.get_header("Content-Encoding") is None   # stored decoded
    assert json.loads(records[3][3]) == {"source": "news", "hints": {"title": "T"}}
    record, meta = read_at(warc, offset)
    assert record.url == "https://news.example.org/a?x=1" and record.body == b"<html>page</html>"
    assert meta == {"source": "news", "hints": {"title": "T"}}


def test_archive_rotates_files_by_size(tmp_path):
    writer = ArchiveWriter(tmp_path, max_bytes=2000)
    for i in range(6):
        writer.write_exchange(f"https://x.example/{i}", "GET", [], 200, "OK", [], os.urandom(1500))
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 3
    assert summary(tmp_path) == {"dir": str(tmp_path), "files": len(files),
                                 "bytes": sum(f.stat().st_size for f in files)}
    assert sum(1 for f in files for _ in read_records(f)) == 6 * 2 + len(files)   # request + response each, a warcinfo per file


def test_a_torn_last_record_is_detected_and_skipped(tmp_path):
    writer = ArchiveWriter(tmp_path)
    for i in range(3):
        warc, last = writer.write_exchange(f"https://x.example/{i}", "GET", [], 200, "OK", [], b"<p>%d</p>" % i * 400)
    size = os.path.getsize(warc)
    for cut in (size - 40, last + 60, last + 10):          # a crawl killed while writing the last record
        with open(warc, "r+b") as fh:
            fh.truncate(cut)
        report = ReadReport()
        urls = [r.url for r in read_records(warc, report) if r.type == "response"]
        assert urls == ["https://x.example/0", "https://x.example/1"], cut
        assert report.damaged and "offset" in report.damaged


def test_import_takes_html_responses_and_says_why_it_skipped_the_rest(tmp_path):
    warc = tmp_path / "other-tool.warc.gz"
    build_warc(warc)
    index = f"sqlite:///{tmp_path}/index.db"
    result = run_cli("import", str(warc), "--index", index, "--no-nlp", "--format", "json")
    report = json.loads(result.stdout)
    source = report["sources"][0]
    assert source["source"] == "news.example.org"                  # no --source, no listed outlet: the host
    assert source["new"] == 2 and source["errors"] == 0
    assert source["reasons"] == {"skipped/HTTP 404": 1, "skipped/not HTML (application/pdf)": 1,
                                 "skipped/revisit record (no page)": 1}
    assert len(report["damaged"]) == 1 and "offset" in report["damaged"][0]
    assert "the rest of that file was skipped" in result.stderr
    ix = open_index(index)
    articles = {a.url.rsplit("/", 1)[1]: a for a in ix.export(parse(""))}
    ix.close()
    assert set(articles) == {"police-telegram", "french-regulator"}
    french = articles["french-regulator"]
    assert "régulateur" in french.text and "« très sérieuse »" in french.text and "\ufffd" not in french.text
    assert "“cooperation”" in french.title
    assert french.fetched == "2024-09-03T01:00:00Z"                 # WARC-Date is the fetch time


def test_import_source_flag_dates_and_listed_outlets(tmp_path):
    warc = tmp_path / "a.warc.gz"
    build_warc(warc, truncate_last=False)
    index = f"sqlite:///{tmp_path}/index.db"
    out = json.loads(run_cli("import", str(warc), "--index", index, "--no-nlp", "--source", "wire",
                             "--to", "2024-09-02", "--format", "json").stdout)
    assert out["outside_dates"] == 6 and out["sources"][0]["new"] == 0
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: elsewhere\n    feeds: [https://elsewhere.example/rss]\n")
    out = json.loads(run_cli("import", str(warc), "--index", index, "--no-nlp", "--sources", str(sources),
                             "--format", "json").stdout)
    assert out["unlisted"] == 6 and not any(s["new"] for s in out["sources"])
    out = json.loads(run_cli("import", str(warc), "--index", index, "--no-nlp", "--source", "wire",
                             "--format", "json").stdout)
    assert [(s["source"], s["new"]) for s in out["sources"]] == [("wire", 3)]


@pytest.mark.parametrize("content", [
    b"# notes\nnot a warc\n", b"", b"\x1f\x8b\x08\x00garbage",
    # text warcio would read as an ARC record (five fields a line) and import nothing, exit 0
    b"meeting notes on the policy 2024 draft 12\nsecond line with five words\n",
    gzip.compress(b"meeting notes on the policy 2024 draft 12\nsecond line\n"),
    gzip.compress(b"<html><body>a saved page</body></html>\n"),
])
def test_a_file_that_is_not_a_warc_is_bad_input(tmp_path, content):
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(content)
    result = run_cli("import", str(path), "--index", f"sqlite:///{tmp_path}/i.db", check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "not a WARC" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("import", str(tmp_path / "nope.warc"), "--index", f"sqlite:///{tmp_path}/i.db", check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_read_records_rejects_a_non_warc(tmp_path):
    path = tmp_path / "x.warc"
    path.write_text("hello\n")
    with pytest.raises(NotAWarc):
        list(read_records(path))
