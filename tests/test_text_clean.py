"""XML-illegal characters never reach the index (issue 11, item 10): the pipeline passes every
extraction through extract.text.cleaned before it builds the article."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from extract.article import Hints, extract
from extract.text import cleaned, xml_safe

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Telegram\x01 probe widens</title>
<meta property="og:title" content="Telegram\x01 probe widens">
<meta name="author" content="Kim\x02 Ji-won">
<meta property="article:published_time" content="2024-09-02T10:00:00+09:00">
</head><body><article><h1>Telegram\x01 probe widens</h1>
<p>Police\x0b in Seoul said on Monday they had widened their investigation into Telegram over the spread of
sexually explicit deepfakes in chat rooms, after a surge of complaints from schools and universities.</p>
<p>The Korean National Police Agency said investigators\x1f would ask French authorities for help with
account data, as Telegram has not answered earlier requests from Korean police in similar cases.</p>
<p>Lawmakers meanwhile prepared a bill that would make possessing or watching such deepfakes a crime,
with prison terms of up to three years for offenders found guilty under the new rules.</p>
</article></body></html>"""


def test_control_characters_are_removed_from_title_body_and_authors():
    raw = extract(PAGE.encode(), "https://news.example.org/2024/09/02/probe", Hints(), "utf-8")
    article = cleaned(raw)
    texts = [article.title, *article.body, *article.authors]
    assert article.title == "Telegram probe widens"
    assert all(xml_safe(t) == t for t in texts)
    ET.fromstring("<t>" + "".join(texts).replace("&", "&amp;").replace("<", "&lt;") + "</t>")
    assert any("Police in Seoul" in p for p in article.body)
    assert article.authors == ["Kim Ji-won"]


def test_tabs_newlines_and_other_scripts_are_kept():
    assert xml_safe("a\tb\nc\r 우종수 \u20ac") == "a\tb\nc\r 우종수 \u20ac"
    assert xml_safe("\ufffe\uffffx\x00") == "x"



def test_word_count_counts_chinese_japanese_and_thai_by_characters():
    from extract.wordcount import first_words, words
    assert words("The police opened a probe into Telegram.") == 7
    assert words("今日は晴れ。") == 2                          # 5 characters, 2 a word (the module doc)
    assert words("警察は テレグラムを 捜査") == 11 // 2          # spaces between phrases do not add words
    assert words("Telegram 本社を捜索した") == 1 + 7 // 2       # mixed: the Latin word and 7 characters
    assert words("ตำรวจสอบสวน") == 11 // 4
    japanese = "警察庁は二日、通信アプリのテレグラムが違法な画像の流通を放置したとして捜査を始めた。" * 10
    assert words(japanese) >= 60 > len(japanese.split())      # a story, not "too little text"
    assert first_words(japanese, 12).endswith(" …") and len(first_words(japanese, 12)) < 60
