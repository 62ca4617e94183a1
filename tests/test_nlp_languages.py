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
    assert "European Union" not in {e.name for e in portuguese[0].entities}
    assert "Telegram" in {e.name for e in portuguese[0].entities}
    assert "European Union" in {e.name for e in portuguese[1].entities}


def test_acronyms_are_short_capitals():
    from nlp.gazetteer import Gazetteer, is_acronym
    assert all(map(is_acronym, ["EU", "E.U.", "KCC", "GDPR"])) and not any(map(is_acronym, ["Eu", "X", "Telegram"]))
    gazetteer = Gazetteer.load()
    assert gazetteer.wrong_case("Eu") and not gazetteer.wrong_case("EU")
    assert not gazetteer.wrong_case("Line")       # "Line" and "LINE" are both names of the app
