"""Unit tests for nlp/: the gazetteer, and each pipeline component on spacy.blank("en").

The statistical NER is replaced by ``fake_ner``, which labels the strings a
test lists, so these tests pin the rules and not the model. NER-quality tests
that load the real model live in test_nlp_quality.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp import ACTION_TAGS, ENTITY_TYPES, Gazetteer, GazetteerError, PatternError
from nlp.actions import ActionPatterns
from nlp.analyzer import to_analysis
from nlp.gazetteer import DEFAULT_PATH, name_key

NLP_DIR = Path(__file__).resolve().parents[1] / "nlp"

# -- a stand-in for the statistical NER ---------------------------------------------------

FAKE_ENTS: dict[str, str] = {}


@Language.component("fake_ner")
def fake_ner(doc: Doc) -> Doc:
    """Label every occurrence of the strings in FAKE_ENTS, as the real NER would."""
    spans = []
    for text, label in FAKE_ENTS.items():
        for m in re.finditer(re.escape(text), doc.text):
            span = doc.char_span(m.start(), m.end(), label=label)
            if span is not None:
                spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def blank_nlp(gazetteer):
    nlp = spacy.blank("en")
    nlp.add_pipe("policywatch_paragraphs")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe(
        "span_ruler", name="gazetteer_ruler", config={"spans_key": "gazetteer", "phrase_matcher_attr": "NORM"}
    )
    ruler.add_patterns(gazetteer.patterns())
    nlp.add_pipe("fake_ner")
    nlp.add_pipe("policywatch_entities").set_gazetteer(gazetteer)
    nlp.add_pipe("policywatch_actions")
    return nlp


def analyse(nlp, text: str, ents: dict[str, str] | None = None):
    FAKE_ENTS.clear()
    FAKE_ENTS.update(ents or {})
    doc = nlp(text)
    return doc, to_analysis(doc)


def names(analysis) -> dict[str, str]:
    return {e.name: e.type for e in analysis.entities}


# -- gazetteer ------------------------------------------------------------------------------


def test_default_gazetteer_has_the_seed_entries(gazetteer):
    assert len(gazetteer) >= 150
    assert {e.type for e in gazetteer.entries} == set(ENTITY_TYPES)
    for name, etype in [
        ("Korean National Police Agency", "AGENCY"),
        ("National Office of Investigation", "AGENCY"),
        ("Korea Communications Commission", "AGENCY"),
        ("Korea Communications Standards Commission", "AGENCY"),
        ("Ministry of Science and ICT", "AGENCY"),
        ("Personal Information Protection Commission", "AGENCY"),
        ("Seoul Metropolitan Police Agency", "AGENCY"),
        ("Supreme Prosecutors' Office", "AGENCY"),
        ("Paris prosecutor's office", "AGENCY"),
        ("European Commission", "AGENCY"),
        ("Ofcom", "AGENCY"),
        ("FBI", "AGENCY"),
        ("Telegram", "PLATFORM"),
        ("KakaoTalk", "PLATFORM"),
        ("X", "PLATFORM"),
        ("Pavel Durov", "PERSON"),
        ("Kakao", "ORG"),
        ("Yonhap News Agency", "ORG"),
        ("DMR News", "ORG"),
        ("Gyeonggi Province", "GPE"),
        ("Online Safety Act", "LAW"),
        ("Network Act", "LAW"),
        ("Act on Special Cases Concerning the Punishment of Sexual Crimes", "LAW"),
    ]:
        assert gazetteer.resolve(name) == (name, etype)


def test_resolve_accepts_aliases_case_the_and_possessives(gazetteer):
    assert gazetteer.resolve("Telegram Messenger") == ("Telegram", "PLATFORM")
    assert gazetteer.resolve("twitter") == ("X", "PLATFORM")
    assert gazetteer.resolve("the European Commission's") == ("European Commission", "AGENCY")
    assert gazetteer.resolve("The Paris prosecutor\u2019s office") == ("Paris prosecutor's office", "AGENCY")
    assert gazetteer.resolve("KCSC") == ("Korea Communications Standards Commission", "AGENCY")
    assert gazetteer.resolve(
        "Act on Promotion of Information and Communications Network Utilization and Information Protection"
    ) == ("Network Act", "LAW")
    assert gazetteer.resolve("Durov's") == ("Pavel Durov", "PERSON")
    assert gazetteer.resolve("Some Unknown Body") is None


def test_aliases_lists_an_entrys_other_names(gazetteer):
    assert "Telegram Messenger" in gazetteer.aliases("Telegram")
    assert "KCC" in gazetteer.aliases("korea communications commission")
    assert gazetteer.aliases("No Such Entity") == []


def test_user_file_adds_overrides_and_disables_entries(tmp_path):
    user = tmp_path / "user.yaml"
    user.write_text(
        "ignore: [Press Release]\n"
        "entries:\n"
        "  - {name: Telegram, type: ORG, aliases: [Durov's app]}\n"
        "  - {name: Korea Media Rating Board, type: AGENCY, aliases: [KMRB], wikidata: Q1234}\n"
        "  - {name: Ofcom, disabled: true}\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([user])
    assert gaz.resolve("Telegram") == ("Telegram", "ORG")
    assert gaz.resolve("Durov's app") == ("Telegram", "ORG")
    # the user entry replaces the default whole: the default aliases are gone
    assert gaz.resolve("Telegram Messenger") is None
    assert gaz.resolve("KMRB") == ("Korea Media Rating Board", "AGENCY")
    assert gaz.get("KMRB").wikidata == "Q1234"
    assert gaz.resolve("Ofcom") is None
    assert gaz.is_ignored("press release") and gaz.is_ignored("Featured Image")
    assert len(gaz) == len(Gazetteer.load()) + 1 - 1  # one added, one disabled


def test_load_without_default_uses_only_the_given_files(tmp_path):
    user = tmp_path / "only.yaml"
    user.write_text("entries:\n  - {name: Acme Watchdog, type: AGENCY}\n", encoding="utf-8")
    gaz = Gazetteer.load([user], include_default=False)
    assert [e.name for e in gaz.entries] == ["Acme Watchdog"]
    # listing the default file again does not load it twice
    assert len(Gazetteer.load([DEFAULT_PATH])) == len(Gazetteer.load())


@pytest.mark.parametrize(
    "body, message",
    [
        ("entries:\n  - {name: Foo, type: COMPANY}\n", "not one of"),
        ("entries:\n  - {type: ORG}\n", "non-empty 'name'"),
        ("entries:\n  - {name: Foo, type: ORG, aliases: Foo Inc}\n", "list of strings"),
        ("entries:\n  - {name: Foo, type: ORG, wikidata: 123}\n", "Q123"),
        ("entries: [\n", "not valid YAML"),
    ],
)
def test_malformed_gazetteer_files_name_the_file_and_entry(tmp_path, body, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message) as info:
        Gazetteer.load([bad])
    assert info.value.path == str(bad)


def test_name_key_normalises_running_text_forms():
    assert name_key("  The  Korea\u2019s ") == "korea"
    assert name_key("Prosecutors'") == "prosecutors"


# -- sentence boundaries ------------------------------------------------------------------------


def test_title_and_paragraphs_start_sentences(blank_nlp):
    doc, _ = analyse(blank_nlp, "Police raid Telegram office\n\nSEOUL, Sept. 2 (Yonhap) -- Police said so. Mr. Kim agreed.")
    sents = [" ".join(s.text.split()) for s in doc.sents]
    assert sents == ["Police raid Telegram office", "SEOUL, Sept. 2 (Yonhap) -- Police said so.", "Mr. Kim agreed."]


# -- entities -------------------------------------------------------------------------------------


def test_gazetteer_names_get_canonical_names_and_types(blank_nlp):
    text = (
        "Title here\n\n"
        "Telegram Messenger's founder met the Korea Communications Standards Commission in Seoul. "
        "The KCSC said Telegram would cooperate."
    )
    _, analysis = analyse(blank_nlp, text)
    found = names(analysis)
    assert found["Telegram"] == "PLATFORM"
    assert found["Korea Communications Standards Commission"] == "AGENCY"
    assert found["Seoul"] == "GPE"
    telegram = next(e for e in analysis.entities if e.name == "Telegram")
    assert telegram.mentions == 2 and len(telegram.sentences) == 2
    kcsc = next(e for e in analysis.entities if e.name.startswith("Korea Communications"))
    assert kcsc.mentions == 2
    assert kcsc.sentences[1] == "The KCSC said Telegram would cooperate."


def test_lowercase_common_words_never_match_capitalised_aliases(blank_nlp):
    _, analysis = analyse(blank_nlp, "Title\n\nThe line was drawn and a signal was sent to x users.")
    assert names(analysis) == {}


def test_common_word_platform_in_a_headline_needs_a_body_mention(blank_nlp):
    _, analysis = analyse(blank_nlp, "Regulators Draw A Line On Deepfake Content\n\nOfcom said rules were coming.")
    assert "Line" not in names(analysis)
    _, analysis = analyse(
        blank_nlp, "Regulators Probe Line Over Data Leak\n\nThe ministry said Line must report by July."
    )
    assert names(analysis)["Line"] == "PLATFORM"


def test_model_names_lose_the_titles_and_possessives(blank_nlp):
    text = "Title\n\nCommissioner General Hong Gil-dong's office said the Acme Privacy Agency would act."
    _, analysis = analyse(
        blank_nlp,
        text,
        {"Commissioner General Hong Gil-dong's": "PERSON", "the Acme Privacy Agency": "ORG"},
    )
    assert names(analysis) == {"Hong Gil-dong": "PERSON", "Acme Privacy Agency": "AGENCY"}


def test_official_looking_orgs_become_agencies_and_media_stay_orgs(blank_nlp):
    text = "Title\n\nThe Busan District Court and the Ministry of Unification read the Daejeon Daily News."
    _, analysis = analyse(
        blank_nlp,
        text,
        {"Busan District Court": "ORG", "Ministry of Unification": "ORG", "Daejeon Daily News": "ORG"},
    )
    found = names(analysis)
    assert found["Busan District Court"] == "AGENCY"
    assert found["Ministry of Unification"] == "AGENCY"
    assert found["Daejeon Daily News"] == "ORG"


def test_place_prefix_inside_a_longer_org_name_belongs_to_that_name(blank_nlp):
    _, analysis = analyse(
        blank_nlp, "Title\n\nStudents at Seoul National University were targeted.", {"Seoul National University": "ORG"}
    )
    assert names(analysis) == {"Seoul National University": "ORG"}


def test_law_like_spans_become_laws_and_loc_only_regions_become_gpe(blank_nlp):
    text = "Title\n\nThe Deepfake Prevention Act covers Chungbuk Province but not the Han River."
    _, analysis = analyse(
        blank_nlp,
        text,
        {"The Deepfake Prevention Act": "ORG", "Chungbuk Province": "LOC", "Han River": "LOC"},
    )
    assert names(analysis) == {"Deepfake Prevention Act": "LAW", "Chungbuk Province": "GPE"}


@pytest.mark.parametrize(
    "junk, label",
    [
        ("Featured Image", "ORG"),
        ("Chatroom 7 Holdings", "ORG"),
        ("deepfake porn", "PERSON"),
        ("Q", "PERSON"),
        ("Emirati", "ORG"),
        ("BREAKING", "PERSON"),
    ],
)
def test_junk_spans_are_dropped(blank_nlp, junk, label):
    _, analysis = analyse(blank_nlp, f"Title\n\nHe said {junk} was there.", {junk: label})
    assert names(analysis) == {}


def test_photo_credit_and_hashtags_are_not_entities(blank_nlp):
    text = "Title\n\nMusk posted #FreePavel in support.\n\nFeatured Image courtesy of Reuters"
    _, analysis = analyse(blank_nlp, text, {"FreePavel": "ORG", "Featured Image": "PERSON"})
    assert names(analysis) == {"Elon Musk": "PERSON", "Reuters": "ORG"}


def test_spans_across_paragraphs_are_dropped(blank_nlp):
    _, analysis = analyse(blank_nlp, "Hana Kim\n\nBank said.", {"Hana Kim\n\nBank": "PERSON"})
    assert names(analysis) == {}


def test_headline_person_fragment_without_body_mention_is_dropped(blank_nlp):
    text = "Telegram Apologizes To Korean Regulator\n\nThe company said it had removed the videos."
    _, analysis = analyse(blank_nlp, text, {"Apologizes To Korean": "PERSON"})
    assert "Apologizes To Korean" not in names(analysis)


def test_surname_only_mentions_fold_into_the_full_name(blank_nlp):
    text = (
        "Hong says police will act\n\n"
        "Hong Gil-dong, head of the unit, spoke on Monday. Hong said arrests were likely. "
        "Later, Jane Doe-Smith agreed. Doe-Smith said so."
    )
    ents = {"Hong Gil-dong": "PERSON", "Hong": "PERSON", "Jane Doe-Smith": "PERSON", "Doe-Smith": "ORG"}
    _, analysis = analyse(blank_nlp, text, ents)
    found = {e.name: (e.type, e.mentions) for e in analysis.entities}
    assert found == {"Hong Gil-dong": ("PERSON", 3), "Jane Doe-Smith": ("PERSON", 2)}


def test_gazetteer_person_surname_folds_without_an_alias(blank_nlp):
    _, analysis = analyse(blank_nlp, "Title\n\nYoon Suk Yeol spoke. Yoon then left.", {"Yoon": "PERSON"})
    assert names(analysis) == {"Yoon Suk Yeol": "PERSON"}
    assert analysis.entities[0].mentions == 2


def test_short_forms_and_acronyms_fold_into_the_organisation(blank_nlp):
    text = "Title\n\nThe Daegu Consumer Rights Board met Hanbit Entertainment. The DCRB said Hanbit shares fell."
    ents = {"Daegu Consumer Rights Board": "ORG", "Hanbit Entertainment": "ORG", "DCRB": "ORG", "Hanbit": "ORG"}
    _, analysis = analyse(blank_nlp, text, ents)
    found = {e.name: e.mentions for e in analysis.entities}
    assert found == {"Daegu Consumer Rights Board": 2, "Hanbit Entertainment": 2}


def test_dateline_place_is_a_gpe_and_its_wire_credit_no_entity(blank_nlp):
    _, analysis = analyse(blank_nlp, "Title\n\nANKARA, Oct. 9 (Reuters) - Officials met. Reuters asked them.",
                          {"ANKARA": "ORG"})
    assert names(analysis) == {"Ankara": "GPE", "Reuters": "ORG"}
    assert next(e for e in analysis.entities if e.name == "Reuters").mentions == 1   # not the credit


def test_doc_ents_carry_types_and_canonical_ids(blank_nlp):
    doc, _ = analyse(blank_nlp, "Title\n\nThe FBI met Twitter.")
    assert [(e.text, e.label_, e.id_) for e in doc.ents] == [("FBI", "AGENCY", "FBI"), ("Twitter", "PLATFORM", "X")]


# -- actions --------------------------------------------------------------------------------------


def test_actions_are_tagged_with_their_first_sentence(blank_nlp):
    text = (
        "Police raid Telegram office\n\n"
        "Police said they had launched an investigation into the app. "
        "A suspect was arrested on Monday and later indicted. "
        "The company was fined 5 million won.\n\n"
        "The KCSC asked Telegram to remove 25 deepfake videos, and Telegram agreed to set up a hotline."
    )
    _, analysis = analyse(blank_nlp, text)
    tags = {a.action: a.sentence for a in analysis.actions}
    assert set(tags) == {"investigation", "arrest", "prosecution", "penalty", "takedown", "cooperation"}
    assert tags["investigation"] == "Police raid Telegram office"  # the first triggering sentence
    assert tags["arrest"] == "A suspect was arrested on Monday and later indicted."
    assert tags["prosecution"] == tags["arrest"]
    assert tags["penalty"] == "The company was fined 5 million won."
    assert tags["takedown"].startswith("The KCSC asked Telegram to remove")
    # every match stays on the Doc, in order
    doc, _ = analyse(blank_nlp, text)
    assert [h.action for h in doc._.pw_actions][:2] == ["investigation", "investigation"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Durov has not been arrested.",
        "No arrests have been made.",
        "Telegram has refused to cooperate with police.",
        "X cited threats of arrest against its staff.",
        "The ruling People Power Party proposed nothing.",
        "Ruling and opposition lawmakers met.",
        "The service is fine, officials said.",
        "Kakao would consider filing a lawsuit.",
        "Bill Gates visited Seoul.",
        "Telegram did not respond to requests from reporters.",
        "Users can delete their accounts when they leave.",
    ],
)
def test_negated_or_misleading_cues_do_not_tag(blank_nlp, sentence):
    _, analysis = analyse(blank_nlp, f"Title\n\n{sentence}")
    assert analysis.actions == []


def test_regulator_orders_are_regulation_but_judges_orders_are_not(blank_nlp):
    text = "Title\n\nThe watchdog ordered Meta to fix its consent forms."
    _, analysis = analyse(blank_nlp, text)
    assert [a.action for a in analysis.actions] == ["regulation"]
    text = "Title\n\nThe judge ordered Meta to fix its consent forms."
    _, analysis = analyse(blank_nlp, text)
    assert [a.action for a in analysis.actions] == ["court"]


def test_action_patterns_file_covers_every_tag_and_needs_no_tagger():
    spec = ActionPatterns.load()
    assert set(spec.phrases) == set(ACTION_TAGS)
    assert spec.required_pipes() == set()


def test_lemma_patterns_ask_for_the_lemmatizer(tmp_path):
    path = tmp_path / "actions.yaml"
    path.write_text("tags:\n  arrest:\n    patterns:\n      - [{LEMMA: arrest}]\n", encoding="utf-8")
    assert {"tagger", "attribute_ruler", "lemmatizer"} <= ActionPatterns.load(path).required_pipes()


@pytest.mark.parametrize(
    "body, message",
    [
        ("tags:\n  raid:\n    phrases: [raid]\n", "unknown action"),
        ("negations: [no]\ntags:\n  arrest:\n    phrases: [arrest]\n", "quote words"),
        ("tags:\n  arrest:\n    patterns: [arrest]\n", "token dicts"),
        ("tags: [arrest]\n", "mapping of action tags"),
    ],
)
def test_malformed_action_files_are_reported(tmp_path, body, message):
    path = tmp_path / "actions.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(PatternError, match=message):
        ActionPatterns.load(path)


def test_invalid_matcher_pattern_names_the_tag(tmp_path):
    path = tmp_path / "actions.yaml"
    path.write_text("tags:\n  arrest:\n    patterns:\n      - [{LOWER: {IN: 5}}]\n", encoding="utf-8")
    nlp = spacy.blank("en")
    with pytest.raises(PatternError, match="tags.arrest.patterns"):
        nlp.add_pipe("policywatch_actions", config={"patterns_path": str(path)})


# -- package boundaries -------------------------------------------------------------------------


def test_nlp_imports_neither_crawler_nor_index():
    for path in NLP_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                mods = [node.module or ""]
            else:
                continue
            for mod in mods:
                assert mod.split(".")[0] not in ("crawler", "index", "web"), f"{path.name} imports {mod}"


def test_empty_doc_gives_empty_analysis(blank_nlp):
    _, analysis = analyse(blank_nlp, "")
    assert analysis.entities == [] and analysis.actions == []
