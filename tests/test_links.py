"""Links of a listing page (crawler/links.py), read off the page as Scrapy hands it over."""
from scrapy.http import HtmlResponse

from crawler.links import listing_links

PAGE = """<html><head><base href="https://news.example/ko/"><link rel="next" href="/ko/list?page=2"></head><body>
<a href="view/1">First story</a>
<a href="view/1#comments">First story, comments</a>
<a href="view/1?utm_source=x">First story, shared</a>
<a href=" /ko/기사/2 ">Second <b>story</b></a>
<a href="javascript:void(0)">Menu</a><a href="mailto:desk@news.example">Write to us</a><a>No href</a>
<map><area href="https://elsewhere.example/x"></map>
<a rel="Next" href="list?page=2">2</a></body></html>"""


def links_of(body: str, url: str = "https://news.example/ko/list"):
    return listing_links(HtmlResponse(url=url, body=body.encode(), encoding="utf-8"))


def test_links_are_absolute_against_the_base_escaped_and_kept_once_per_normalised_url():
    found = links_of(PAGE)
    assert [(link.url, link.text) for link in found.links] == [
        ("https://news.example/ko/view/1", "First story"),
        ("https://news.example/ko/%EA%B8%B0%EC%82%AC/2", "Second story"),   # as Scrapy escapes a request's URL
        ("https://elsewhere.example/x", ""),                                 # off-site: the spider decides
        ("https://news.example/ko/list?page=2", "2"),
    ]


def test_rel_next_comes_from_links_and_anchors_whatever_the_case():
    assert links_of(PAGE).rel_next == {"https://news.example/ko/list?page=2"}


def test_a_page_without_links_has_none():
    found = links_of("<html><body><p>Nothing to follow.</p></body></html>")
    assert found.links == [] and found.rel_next == set()
