"""Entity and action fixes found on the demo and on real pages (issue 14): ambiguous aliases need
context, lone one-word "persons" are dropped, a bracketed acronym is its full name's alias, and
three action patterns. The real English model runs (as in test_nlp_quality.py)."""
from __future__ import annotations

import pytest

from nlp import Analyzer, Gazetteer
from nlp.gazetteer import GazetteerError



@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def names(analysis) -> dict[str, str]:
    return {e.name: e.type for e in analysis.entities}


def tags(analysis) -> set[str]:
    return {a.action for a in analysis.actions}


def test_an_ambiguous_alias_links_only_with_its_country_in_the_article(analyzer):
    us = names(analyzer.analyze("Democrats push deepfake rules\n\nLawmakers from the Democratic Party in "
                                "Washington introduced a bill on Tuesday, a spokesperson said."))
    assert "Democratic Party of Korea" not in us and us.get("Democratic Party") == "ORG"
    korea = names(analyzer.analyze("Opposition backs deepfake bill\n\nThe Democratic Party said Monday it would "
                                   "pass the bill at the National Assembly in Seoul this month."))
    assert korea.get("Democratic Party of Korea") == "ORG"


def test_a_bare_commission_is_not_the_european_commission_without_the_eu(analyzer):
    korea = names(analyzer.analyze("Election body counts deepfakes\n\nThe National Election Commission (NEC) said "
                                   "Monday it found 129 deepfake videos. The NEC asked YouTube to remove them, and "
                                   "the Commission said it would refer cases to police."))
    assert "European Commission" not in korea and "NEC" not in korea
    assert korea.get("National Election Commission") == "AGENCY"
    eu = names(analyzer.analyze("Brussels acts on TikTok\n\nThe European Commission opened proceedings against "
                                "TikTok under the Digital Services Act. The Commission said minors were at risk."))
    assert eu.get("European Commission") == "AGENCY"


def test_a_one_word_person_needs_a_full_name_or_a_surnamed_introduction(analyzer):
    moon = names(analyzer.analyze("Lander reaches the Moon\n\nA private spacecraft landed on the Moon on Sunday, "
                                  "and Meta said its Messenger app would stream the pictures."))
    assert "Moon" not in moon and "Messenger" not in moon
    kept = names(analyzer.analyze("Deepfake maker jailed\n\nA court sentenced a man surnamed Park to five years. "
                                  "Park had shared the videos on Telegram."))
    assert kept.get("Park") == "PERSON"


def test_action_patterns_from_real_pages(analyzer):
    law = analyzer.analyze("Deepfake purchase to be a crime\n\nThe government announced plans to introduce stricter "
                           "laws that would criminalize the purchase or viewing of sexually exploitative deepfakes, "
                           "weeks after a trial of age verification technology ended.")
    assert tags(law) == {"legislation"}                                  # and no "court" for a pilot scheme
    referral = analyzer.analyze("Watchdog refers cases\n\nThe watchdog said it would refer serious cases to "
                                "the relevant authorities and investigative agencies.")
    assert "investigation" not in tags(referral)
    assert "court" in tags(analyzer.analyze("Trial opens\n\nThe trial of Kim began in Seoul on Monday."))


def test_ambiguous_names_must_be_aliases(tmp_path):
    bad = tmp_path / "g.yaml"
    bad.write_text("entries:\n  - {name: Foo Agency, type: AGENCY, aliases: [Foo], ambiguous: [Bar]}\n")
    with pytest.raises(GazetteerError, match="ambiguous names of 'Foo Agency' must be among its aliases"):
        Gazetteer.load([bad])
