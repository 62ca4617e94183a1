"""The English model's NER runs on English text only: on a German page it read 'Europäischen
Kommission' as a PERSON (issue: entity quality on real pages from many countries). Gazetteer
matching and actions run in every language."""
from __future__ import annotations

import pytest

from nlp.analyzer import Analyzer

GERMAN = ("Telegram muss Daten herausgeben\n\nDie Patientenakte wurde nach Angaben von Telegram und der "
          "Europäischen Kommission veröffentlicht. Pavel Durov sagte nichts.")


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def names(analysis) -> set[tuple[str, str]]:
    return {(e.name, e.type) for e in analysis.entities}


def test_the_english_model_tags_german_words_as_people(analyzer):
    # what the routing prevents: the same text read as English
    assert ("Europäischen Kommission", "PERSON") in names(analyzer.analyze_many([GERMAN], languages=["en"])[0])


def test_a_german_page_gets_gazetteer_entities_and_no_model_guesses(analyzer):
    found = names(analyzer.analyze_many([GERMAN], languages=["de"])[0])
    assert found == {("Telegram", "PLATFORM"), ("Pavel Durov", "PERSON")}      # both from the gazetteer


def test_unknown_language_is_read_as_english_and_order_is_kept(analyzer):
    english = "Police probe Telegram\n\nPolice said Kim Min-su, a Seoul official, spoke to Telegram."
    results = analyzer.analyze_many([english, GERMAN, english], languages=[None, "de-DE", "en-GB"])
    assert names(results[0]) == names(results[2])
    assert ("Europäischen Kommission", "PERSON") not in names(results[1])


def test_an_acronym_alias_matches_only_as_written(analyzer):
    # folha.uol.com.br's wording: the Portuguese "Eu" (I) is not the European Union (alias EU)
    portuguese = analyzer.analyze_many(["Eu vou votar\n\nEu disse ao Telegram que a UE deveria agir.",
                                        "EU fines X\n\nThe EU said on Friday that X broke the Digital Services Act."],
                                       languages=["pt", "en"])
    found = {e.name: e.mentions for e in portuguese[0].entities}
    assert found.get("European Union") == 1          # "UE" (its Portuguese alias), not either "Eu"
    assert "Telegram" in found
    assert "European Union" in {e.name for e in portuguese[1].entities}


def test_acronyms_are_short_capitals():
    from nlp.gazetteer import Gazetteer, is_acronym
    assert all(map(is_acronym, ["EU", "E.U.", "KCC", "GDPR"])) and not any(map(is_acronym, ["Eu", "X", "Telegram"]))
    gazetteer = Gazetteer.load()
    assert gazetteer.wrong_case("Eu") and not gazetteer.wrong_case("EU")
    assert not gazetteer.wrong_case("Line")       # "Line" and "LINE" are both names of the app


def test_an_alias_of_one_language_links_only_in_that_language(analyzer):
    # "UE" is the EU in French, Spanish, Portuguese, Italian (aliases_fr: [..., UE] in the gazetteer);
    # in English text it is something else (EA.UE, the European Academy of the Urban Environment,
    # in a CleanEval page)
    french = "La UE enquête sur Telegram\n\nLa UE a ouvert une enquête sur Telegram, a indiqué un porte-parole des Nations unies."
    english = "EA.UE report\n\nThe EA.UE report was published in Berlin by UE Press. Telegram was not named."
    fr, en, unknown = analyzer.analyze_many([french, english, english], languages=["fr", "en", None])
    assert {"European Union", "United Nations", "Telegram"} <= {e.name for e in fr.entities}
    assert "European Union" not in {e.name for e in en.entities} | {e.name for e in unknown.entities}
    assert "Telegram" in {e.name for e in en.entities}


def test_language_aliases_in_a_gazetteer_file(tmp_path):
    from nlp.errors import GazetteerError
    from nlp.gazetteer import Gazetteer
    path = tmp_path / "g.yaml"
    path.write_text("entries:\n  - {name: Pavel Durov, type: PERSON, aliases_ru: [Павел Дуров], aliases_fr: [Durov]}\n"
                    "  - {name: Telegram, type: PLATFORM, aliases: [Durov]}\n", encoding="utf-8")
    gazetteer = Gazetteer.load([path], include_default=False)
    assert gazetteer.get("Павел Дуров").name == "Pavel Durov"
    assert gazetteer.applies("Павел Дуров", "ru") and not gazetteer.applies("Павел Дуров", "en")
    assert gazetteer.applies("Durov", "en")          # a plain alias of another entry: any language
    assert "Павел Дуров" in gazetteer.aliases("Pavel Durov")
    path.write_text("entries:\n  - {name: Telegram, type: PLATFORM, aliases_russian: [Телеграм]}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="two-letter ISO 639-1 code"):
        Gazetteer.load([path], include_default=False)
    path.write_text("entries:\n  - {name: Telegram, type: PLATFORM, aliases_ru: Телеграм}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="aliases_ru of 'Telegram' must be a list"):
        Gazetteer.load([path], include_default=False)


def test_korean_text_gets_no_other_language_alias():
    from nlp.gazetteer import Gazetteer
    from nlp.korean import KoreanAnalyzer
    gazetteer = Gazetteer.load()
    korean = KoreanAnalyzer(gazetteer)
    names = {e.name for e in korean.analyze("유럽연합 조사\n\nUnión Europea 관계자가 텔레그램을 조사했다고 밝혔다.").entities}
    assert "Telegram" in names and "European Union" not in names
