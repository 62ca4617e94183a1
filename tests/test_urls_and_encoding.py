from extract.encoding import decode_html
from ingest.urls import article_id, normalize_url


def test_tracking_parameters_fragments_and_case_are_dropped():
    assert normalize_url("HTTPS://EN.Yna.co.kr:443/view/AEN2024?utm_source=twitter&utm_medium=social&fbclid=x#top") \
        == "https://en.yna.co.kr/view/AEN2024"


def test_meaningful_parameters_and_their_order_are_kept():
    assert normalize_url("http://a.example/news?id=3&page=2&utm_campaign=z") == "http://a.example/news?id=3&page=2"


def test_default_port_dropped_other_port_kept():
    assert normalize_url("http://a.example:80/x") == "http://a.example/x"
    assert normalize_url("http://127.0.0.1:8701/x") == "http://127.0.0.1:8701/x"


def test_same_story_same_id():
    assert article_id("https://dmrnews.com/2024/09/03/story/?utm_source=rss#comments") == \
        article_id("https://DMRNEWS.com/2024/09/03/story/")
    assert article_id("https://dmrnews.com/2024/09/03/story/") != article_id("https://dmrnews.com/2024/09/04/story/")


def test_declared_charset_is_used_when_it_decodes():
    text, enc, wrong = decode_html('<meta charset="euc-kr"><p>텔레그램 수사</p>'.encode("euc-kr"))
    assert "텔레그램" in text and enc == "euc_kr" and not wrong


def test_wrong_declared_charset_is_detected():
    text, enc, wrong = decode_html("<p>“Deepfake” café</p>".encode("cp1252"), header_charset="utf-8")
    assert text == "<p>“Deepfake” café</p>" and wrong


def test_utf8_wins_over_a_wrong_single_byte_declaration():
    text, enc, wrong = decode_html("<p>Durov’s case</p>".encode("utf-8"), header_charset="iso-8859-1")
    assert "Durov’s" in text and enc == "utf-8" and wrong


# Real article URLs whose query parameter names the article: two articles must keep two ids.
ARTICLES_BY_PARAMETER = [
    ("http://www.jpost.com/servlet/Satellite?c=JPArticle&cid=1196847353521&pagename=JPost%2FJPArticle%2FShowFull",
     "http://www.jpost.com/servlet/Satellite?c=JPArticle&cid=1196847353522&pagename=JPost%2FJPArticle%2FShowFull"),
    ("http://oheraldo.in/pagedetails.asp?nid=7295&cid=2", "http://oheraldo.in/pagedetails.asp?nid=7295&cid=3"),
    ("https://laws.example.go.kr/view?ref=2024-0123", "https://laws.example.go.kr/view?ref=2024-0124"),
    ("https://docs.example.org/doc?share=9f3a", "https://docs.example.org/doc?share=77bc"),
]


def test_parameters_that_name_an_article_somewhere_are_kept():
    for one, other in ARTICLES_BY_PARAMETER:
        assert article_id(one) != article_id(other), one


def test_the_tracking_list_strips_no_parameter_of_a_real_article_url():
    """Every article URL in the shared corpora and the sources file's patterns: a parameter the
    list strips is one that only says how the reader came (utm_*, fbclid…), never one like cid."""
    import json
    import re
    from pathlib import Path
    from urllib.parse import parse_qsl, urlsplit

    import pytest
    from ingest.urls import TRACKING_PARAMS
    corpora = Path(__file__).resolve().parents[2] / "shared" / "corpora"
    if not corpora.is_dir():
        corpora = Path("/work/shared/corpora")
    if not corpora.is_dir():
        pytest.skip("the shared corpora (../shared/corpora) are not here")
    stripped = set()
    for truth in corpora.glob("*/truth.jsonl"):
        for line in truth.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                url = json.loads(line).get("url") or ""
            except (ValueError, AttributeError):
                continue
            stripped |= {k for k, _ in parse_qsl(urlsplit(url).query) if TRACKING_PARAMS.match(k)}
    sources = (Path(__file__).resolve().parents[1] / "crawler" / "sources.yaml").read_text(encoding="utf-8")
    stripped |= {k for k in re.findall(r"[?&]([A-Za-z_]+)=", sources) if TRACKING_PARAMS.match(k)}
    assert stripped <= {"utm_campaign", "utm_medium", "utm_source"}, stripped


def test_the_stored_url_is_the_one_the_page_declared(tmp_path):
    """An imported page at …/index.html keeps that URL (normalisation is for its id only)."""
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from conftest import run_cli
    from index import open_index, parse
    from test_archive import PARAS, article_html
    warc = tmp_path / "pages.warc.gz"
    with open(warc, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url in ("https://news.example.org/2024/09/police/index.html",
                    "https://news.example.org/view?c=JPArticle&cid=1196847353521"):
            body = article_html(f"Story at {url}", PARAS).encode()
            w.write_record(w.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")))
    index = f"sqlite:///{tmp_path}/i.db"
    out = json.loads(run_cli("import", str(warc), "--index", index, "--no-nlp", "--format", "json").stdout)
    assert out["sources"][0]["new"] == 2
    ix = open_index(index)
    try:
        urls = sorted(a.url for a in ix.export(parse("")))
    finally:
        ix.close()
    assert urls == ["https://news.example.org/2024/09/police/index.html",
                    "https://news.example.org/view?c=JPArticle&cid=1196847353521"]
