"""A page's language comes from py3langid on its text (common/language.py), the page's declaration
where the text is too short to be sure (issue 27 item 5). Real pages from ../shared/corpora, and
short texts (headlines) as regression cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import real_pages as rp
from common.language import identify, page_language
from extract.article import extract

LABELS = Path(__file__).resolve().parent.parent / "bench" / "data" / "language" / "labels.jsonl"

needs_corpora = pytest.mark.skipif(not rp.available(), reason=f"real-page corpora not found at {rp.CORPORA} "
                                   "(../shared/corpora next to the checkout; see its README)")


def labelled_pages() -> list[tuple[rp.Page, str]]:
    labels = {(r["dataset"], r["id"]): r["lang"] for r in map(json.loads, LABELS.read_text().splitlines())}
    foreign = {k for k, lang in labels.items() if lang != "en"}
    return [(p, labels[p.key]) for p in rp.load(["readability"], foreign)]


@needs_corpora
def test_real_pages_in_other_languages_get_their_language():
    # the stop-word heuristic left gmw, qq, youth (Chinese), hukumusume (Japanese) and la-nacion
    # (Spanish) unknown — read as English by the analyzer — since none declares its language
    pages = labelled_pages()
    assert len(pages) == 15
    got = {p.id: extract(p.html, p.url).language for p, _ in pages}
    assert got == {p.id: lang for p, lang in pages}


@needs_corpora
def test_english_text_outweighs_a_wrong_declaration():
    # trend.az's English edition (l3s-gn1, 2008) declares Russian over a Reuters story: it used to
    # get no English NER at all
    page = rp.load(["l3s-gn1"], {("l3s-gn1", "bdc7803f-ac9f-44db-8250-8779e8c33d3e")})[0]
    assert '<meta http-equiv="content-language" content="ru">' in page.html.decode("utf-8", "replace")
    assert extract(page.html, page.url).language == "en"


@pytest.mark.parametrize("title, lang", [
    ("경찰, 텔레그램 수사 착수", "ko"),
    ("텔레그램", "ko"),
    ("テレグラムの創業者を逮捕", "ja"),
    ("警方调查电报", "zh"),
    ("Telegram-Gründer in Frankreich festgenommen", "de"),
    ("O fundador do Telegram foi preso na França", "pt"),
    ("Pavel Durov detenido en Francia", "es"),
])
def test_headlines_get_their_language(title, lang):
    assert page_language(None, None, title, []) == lang


@pytest.mark.parametrize("title", ["Police probe Telegram", "Korea fines Meta over data", "EU fines X", "KCC",
                                   "Durov arrested in Paris", "Telegram"])
def test_short_english_headlines_are_never_another_language(title):
    # over all 140 of py3langid's labels these are Nigerian Pidgin, Norwegian, Kabyle, Luxembourgish…
    # Unknown is read as English by the analyzer.
    assert page_language(None, None, title, []) in ("en", None)


def test_the_declaration_decides_where_the_text_is_unsure():
    title = "La France met en examen Pavel Durov"
    assert identify(title)[1] < 0.9
    assert page_language("fr-FR", None, title, []) == "fr"
    assert page_language(None, "fr", title, []) == "fr"             # the outlet's language, from the sources file
    assert page_language("fr", "en", title, []) == "fr"             # the page's word before the outlet's


def test_a_sure_identification_overrides_the_declaration():
    body = ["Police in Seoul said on Monday they had opened an investigation into Telegram over the spread "
            "of sexually explicit deepfake images, and asked the company to cooperate with the inquiry."] * 3
    assert page_language("ru", "ko", "Police probe Telegram", body) == "en"
    assert page_language("en", None, "경찰, 텔레그램 수사 착수", ["경찰청은 2일 텔레그램에 대한 내사에 착수했다고 밝혔다."]) == "ko"


def test_text_without_letters_has_no_language():
    assert identify("2024-09-02 10:30") == (None, 0.0)
    assert page_language(None, None, "", []) is None
    assert page_language("en-GB", None, "", ["12345"]) == "en"
