import pytest

from crawler.feeds import parse_feed_or_sitemap
from ingest.sources import SourcesError, load_sources, select, DEFAULT_SOURCES

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Yonhap</title>
<item><title>Police probe Telegram</title><link>https://en.yna.co.kr/view/AEN20240902003500315</link>
<pubDate>Mon, 02 Sep 2024 15:30:00 +0900</pubDate><dc:creator>Kim Eun-jung</dc:creator></item>
</channel></rss>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://dmrnews.com/2024/09/03/durov/</loc><news:news><news:publication><news:name>DMR News</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2024-09-03T10:00:00+00:00</news:publication_date>
<news:title>Durov charged</news:title></news:news></url></urlset>"""


def test_rss_items_keep_date_and_author():
    parsed = parse_feed_or_sitemap(RSS)
    assert parsed.kind == "rss"
    entry = parsed.entries[0]
    assert entry.url == "https://en.yna.co.kr/view/AEN20240902003500315"
    assert entry.published == "2024-09-02T15:30:00+09:00" and entry.authors == ("Kim Eun-jung",)


def test_google_news_sitemap_keeps_publication_date_and_title():
    entry = parse_feed_or_sitemap(NEWS_SITEMAP).entries[0]
    assert (entry.title, entry.published) == ("Durov charged", "2024-09-03T10:00:00+00:00")


def test_sitemap_index_lists_children():
    parsed = parse_feed_or_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                   b'<sitemap><loc>https://x.example/post-sitemap.xml</loc></sitemap></sitemapindex>')
    assert parsed.sitemaps == ["https://x.example/post-sitemap.xml"]


def test_rdf_and_atom():
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><item rdf:about="https://x.example/1"><title>T</title>
      <link>https://x.example/1</link><dc:date>2024-03-01T09:00:00+09:00</dc:date></item></rdf:RDF>"""
    assert parse_feed_or_sitemap(rdf).entries[0].published == "2024-03-01T09:00:00+09:00"
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><link rel="alternate" href="https://x.example/a"/>
      <updated>2024-03-02T00:00:00Z</updated></entry></feed>"""
    assert parse_feed_or_sitemap(atom).entries[0].url == "https://x.example/a"


def test_garbage_is_unknown_not_an_exception():
    assert parse_feed_or_sitemap(b"\x89PNG\r\n\x1a\n\x00\x00").kind == "unknown"
    assert parse_feed_or_sitemap(b"<html><body>not a feed</body></html>").entries == []


def test_shipped_sources_file_is_valid_and_complete():
    sources = load_sources(DEFAULT_SOURCES)
    names = {s.name for s in sources}
    assert {"yonhap", "dmrnews"} <= names or {"yonhap", "dmr"} <= names
    assert len(sources) >= 8
    for s in sources:
        assert s.feeds or s.sitemaps or s.start_urls
        assert all(u.startswith("https://") for u in s.feeds + s.sitemaps + s.start_urls), s.name
        assert s.allowed_domains


def test_bad_sources_files_get_clear_messages(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("sources:\n  - name: Bad Name\n    feeds: [http://x]\n")
    with pytest.raises(SourcesError, match="lower-case"):
        load_sources(bad)
    bad.write_text("sources:\n  - name: ok\n")
    with pytest.raises(SourcesError, match="at least one of feeds"):
        load_sources(bad)
    bad.write_text("sources:\n  - name: ok\n    feeds: [http://x]\n    article_urls: ['(']\n")
    with pytest.raises(SourcesError, match="bad article_urls"):
        load_sources(bad)
    bad.write_text("sources: [\n")
    with pytest.raises(SourcesError, match="not valid YAML"):
        load_sources(bad)
    with pytest.raises(SourcesError, match="unknown source"):
        select(load_sources(DEFAULT_SOURCES), ["nope"])
