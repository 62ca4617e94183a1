"""Publication dates: one test per cause found on real pages (issue 9). Each page here is a short
snippet shaped like the real page that failed; the corpus pages themselves are in
test_extraction_real.py."""
from __future__ import annotations

import logging

import pytest

from extract import dates
from extract.article import Hints, extract

BODY = "<p>" + " ".join(["The regulator said the platform had failed to remove the material in time."] * 12) + "</p>"


def page(head: str = "", top: str = "", title: str = "Regulator fines platform over deepfake videos",
         clock: str = "") -> bytes:
    return (f"<html><head><title>{title}</title>{head}</head><body><header><span class='clock'>{clock}</span>"
            f"</header><article><h1>{title}</h1>{top}{BODY}</article></body></html>").encode()


def day(result) -> str | None:
    return result.published[:10] if result.published else None


@pytest.mark.parametrize("text, expected", [
    ("Posted 2020/07/13 09:15", "2020-07-13"),          # the day group ends at a boundary: not the 1st
    ("27.06.2018, 14:02", "2018-06-27"),                # day first
    ("3. März 2021", "2021-03-03"),                     # German month name
    ("12 janvier 2022", "2022-01-12"),                  # French month name
    ("Monday, 14 January, 2008", "2008-01-14"),
    ("August 9th, 2012", "2012-08-09"),
    ("First Published: 11:57 IST(13/1/2008)", "2008-01-13"),   # 13 cannot be a month
    ("Updated May 22, 2024 | Published May 21, 2024", "2024-05-21"),  # an update time is not the day
    ("12-30-2007, 02h53", "2007-12-30"),                # month first with dashes (turkishpress.com)
    ("Posted on: 17-01-2008", "2008-01-17"),            # day first with dashes: 17 cannot be a month
])
def test_visible_dates_in_every_common_order(text, expected):
    assert str(dates.text_date(text)) == expected


def test_visible_date_by_the_headline_beats_the_site_clock():
    result = extract(page(top="<p class='byline'>By Peter Sayer | Monday, 14 January, 2008</p>",
                          clock="Wednesday, 16 January 2008"),
                     "https://news.example/story")
    assert day(result) == "2008-01-14" and result.published_from == "headline"


def test_a_date_on_the_previous_line_is_not_this_lines():
    # the previous line only says whether this one is an update time ('Updated' / 'May 22, 2024')
    assert dates.text_date("YOU WERE READING", "January 12, 2008") is None
    assert dates.text_date("May 22, 2024", "Updated") is None


def test_another_storys_date_next_to_the_title_is_not_the_storys():
    # Hindustan Times, Jan 2008 (l3s-gn1 9f873f81): an 'ALSO READ' box right under the headline
    # lists other stories with their dates; the story's own dateline comes after it
    related = ("<div class='also'>ALSO READ"
               "<div class='item'><h2><a href='/news/1'>Fire at Burrabazar building yet to be controlled</a></h2>"
               "<div class='when'>January 14, 2008</div></div>"
               "<div class='item'><h2><a href='/news/2'>Jan 12 | 4,000 shops gutted in Kolkata fire</a></h2>"
               "<div class='when'>January 12, 2008</div></div></div>"
               "<div class='dateline'><span>Kolkata, January 13, 2008</span></div>")
    result = extract(page(title="Fire in Burrabazar rages amidst fear building might collapse", top=related),
                     "https://hindustantimes.example/story")
    assert day(result) == "2008-01-13" and result.published_from == "headline"


def test_the_sites_clock_right_above_the_title_loses_to_the_byline_under_it():
    # NY Daily News, Jan 2008 (l3s-gn1 4a3cd9c0): the crawl day printed right above the headline
    html = (f"<html><head><title>Golden Globes show nixed by strike</title></head><body>"
            f"<div class='today'>Tuesday, January 15, 2008</div><div class='story'>"
            f"<h1>Golden Globes show nixed by strike</h1><p class='by'>BY RICHARD HUFF</p>"
            f"<p class='when'>Tuesday, January 8th 2008, 4:00 AM</p>{BODY}</div></body></html>").encode()
    assert day(extract(html, "https://nydailynews.example/story")) == "2008-01-08"


def test_a_masthead_h1_linking_home_is_not_the_headline():
    # The Columbus Dispatch (l3s-gn1 234b1541): the <h1> is the paper's name linking to "/", and
    # the date beside it is the site's clock
    from extract.metadata import parse_tree
    tree = parse_tree("<html><body><h1><a href='/' title='Home'>The Columbus Dispatch</a></h1>"
                      "<span>Jan 15, 2008 |</span><p>Weather</p></body></html>")
    assert dates.headline_date(tree, "The Columbus Dispatch") is None


def test_a_photo_captions_date_is_not_the_storys():
    top = ("<figure><img src='a.jpg'><figcaption>Cybill Shepherd arrives at the Race to Erase MS on May 18, "
           "2012, in Century City.</figcaption></figure><p class='date'>July 24, 2012 11:25 AM</p>")
    result = extract(page(title="Cybill Shepherd is engaged to her jeweler", top=top), "https://cbs.example/a")
    assert day(result) == "2012-07-24"


def test_json_ld_with_comments_and_trailing_garbage_is_read():
    ld = """<script type="application/ld+json">
    // generated by the CMS
    {"@context": "https://schema.org", "@type": "NewsArticle", /* v2 */ "url": "https://news.example/a",
     "datePublished": "2021-03-03T08:30:00+01:00", "author": {"@type": "Person", "name": "Anna Weber"},}
    </div>garbage</script>"""
    result = extract(page(head=ld), "https://news.example/a")
    assert result.published == "2021-03-03T08:30:00+01:00" and result.published_from == "json-ld"
    assert result.authors == ["Anna Weber"]


def test_date_published_on_a_non_article_type_is_read():
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"QAPage",'
          '"datePublished":"2019-11-05T10:00:00-05:00","mainEntity":{"@type":"Question","name":"Why?"}}</script>')
    result = extract(page(head=ld), "https://qa.example/q/1")
    assert result.published == "2019-11-05T10:00:00-05:00"


def test_bengali_digits_neither_lose_the_page_nor_the_date(caplog):
    ld = ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"২০২৩-০৫-১২T১০:৩০:০০+০৬:০০",'
          '"dateModified":"২০২৩-০৫-১২T১১:০০:০০+০৬:০০"}</script>')
    result = extract(page(head=ld), "https://bn.example/news/1")
    assert result.is_article
    assert result.published == "2023-05-12T10:30:00+06:00"
    assert result.modified == "2023-05-12T11:00:00+06:00"


def test_a_metadata_field_that_cannot_be_read_is_left_empty_with_a_reason(monkeypatch, caplog):
    def broken(*args):
        raise ValueError("bad digits")
    monkeypatch.setattr(dates, "modified_date", broken)
    with caplog.at_level(logging.INFO, logger="extract.article"):
        result = extract(page(head='<meta property="og:type" content="article">',
                              top="<p class='date'>March 3, 2021</p>"), "https://news.example/b")
    assert result.is_article and result.modified is None and day(result) == "2021-03-03"
    assert "modification date left empty" in caplog.text and "bad digits" in caplog.text


def test_archive_org_url_does_not_give_the_capture_date():
    result = extract(page(title="Council adopts online safety rules"),
                     "https://web.archive.org/web/20230415083000/https://news.example/council-adopts-rules")
    assert not (result.published or "").startswith("2023-04-15")
    assert dates.page_url("http://web.archive.org/web/20230415083000id_/https://news.example/x") == \
        "https://news.example/x"


def test_us_evening_story_keeps_its_local_day():
    head = ('<meta property="article:published_time" content="2020-07-14T01:30:00Z">'
            '<script type="application/ld+json">{"@type":"WebPage",'
            '"datePublished":"2020-07-13T21:30:00-04:00"}</script>')
    result = extract(page(head=head, top="<p class='date'>July 13, 2020 9:30 PM ET</p>"),
                     "https://us.example/evening")
    assert result.published == "2020-07-13T21:30:00-04:00"


def test_utc_instant_is_shown_on_the_sources_local_day():
    head = '<meta property="article:published_time" content="2020-07-14T01:30:00Z">'
    result = extract(page(head=head), "https://us.example/utc", Hints(timezone="America/New_York"))
    assert result.published == "2020-07-13T21:30:00-04:00"


def test_xhtml_page_with_an_xml_declaration_is_parsed():
    xhtml = b'<?xml version="1.0" encoding="utf-8"?>\n' + page(
        top="<p class='date'>Posted Jan. 5, 2008</p>")
    result = extract(xhtml, "https://old.example/story")
    assert result.is_article and day(result) == "2008-01-05"
