"""The ``policywatch_actions`` component: enforcement-action tags from ``nlp/actions.yaml``.

It writes ``doc._.pw_actions``, a list of :class:`ActionHit` - every
non-negated match, in document order, with the sentence it sits in. The
Analyzer keeps the first hit of each tag; the full list stays on the Doc for
callers that want every triggering sentence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from common import yamlfile

from .errors import PatternError
from .model import ACTION_TAGS
from .sentences import sentence_text

logger = logging.getLogger(__name__)

DEFAULT_PATTERNS_PATH = Path(__file__).with_name("actions.yaml")

if not Doc.has_extension("pw_actions"):
    Doc.set_extension("pw_actions", default=None)
# Hits a negation word cancelled: no action tag, but nlp/cases.py reports "has not been charged"
# as a denied statement.
if not Doc.has_extension("pw_denied"):
    Doc.set_extension("pw_denied", default=None)

# Token attributes that need pipes besides the tokenizer, and which pipes.
_ATTR_PIPES = {
    "LEMMA": {"tok2vec", "tagger", "attribute_ruler", "lemmatizer"},
    "POS": {"tok2vec", "tagger", "attribute_ruler"},
    "TAG": {"tok2vec", "tagger"},
    "MORPH": {"tok2vec", "tagger", "attribute_ruler"},
    "DEP": {"tok2vec", "parser"},
}


@dataclass(frozen=True)
class ActionHit:
    action: str
    sentence: str
    trigger: str  # the matched text, for debugging and evaluation
    start_char: int


@dataclass(frozen=True)
class ActionPatterns:
    phrases: dict[str, list[str]]
    patterns: dict[str, list[list[dict]]]
    negations: dict[str, frozenset[str]]
    vetoes: dict[str, frozenset[str]]
    window: int

    @classmethod
    def load(cls, path: str | Path | None = None) -> "ActionPatterns":
        path = Path(path or DEFAULT_PATTERNS_PATH)
        try:
            with open(path, encoding="utf-8") as fh:
                data = yamlfile.load(fh) or {}
        except yaml.YAMLError as exc:
            raise PatternError(path, "file", f"not valid YAML: {exc}") from exc
        tags = data.get("tags")
        if not isinstance(tags, dict) or not tags:
            raise PatternError(path, "tags", "expected a mapping of action tags")
        common = set(_words(path, "negations", data.get("negations")))
        phrases, patterns, negations, vetoes = {}, {}, {}, {}
        for tag, spec in tags.items():
            if tag not in ACTION_TAGS:
                raise PatternError(path, f"tags.{tag}", f"unknown action; expected one of {', '.join(ACTION_TAGS)}")
            spec = spec or {}
            tag_phrases = spec.get("phrases") or []
            tag_patterns = spec.get("patterns") or []
            tag_phrases = _words(path, f"tags.{tag}.phrases", tag_phrases)
            if not all(isinstance(p, list) and all(isinstance(t, dict) for t in p) for p in tag_patterns):
                raise PatternError(path, f"tags.{tag}.patterns", "each pattern must be a list of token dicts")
            phrases[tag] = [str(p) for p in tag_phrases]
            patterns[tag] = tag_patterns
            negations[tag] = frozenset(common | set(_words(path, f"tags.{tag}.negations", spec.get("negations"))))
            vetoes[tag] = frozenset(_words(path, f"tags.{tag}.vetoes", spec.get("vetoes")))
        return cls(phrases, patterns, negations, vetoes, int(data.get("negation_window", 4)))

    def required_pipes(self) -> set[str]:
        """The trained pipes whose annotations the patterns read (empty for LOWER/ORTH-only files)."""
        needed: set[str] = set()
        for tag_patterns in self.patterns.values():
            for pattern in tag_patterns:
                for token in pattern:
                    for attr in token:
                        needed |= _ATTR_PIPES.get(str(attr).upper(), set())
        return needed


def _words(path: Path, where: str, value) -> list[str]:
    """A list of lower-cased strings; YAML's bare no/on/yes become booleans, which is an error here."""
    value = value or []
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise PatternError(path, where, "must be a list of strings (quote words such as \"no\" and \"on\")")
    return [w.lower() for w in value]


@Language.factory("policywatch_actions", default_config={"patterns_path": None})
def make_action_tagger(nlp: Language, name: str, patterns_path: str | None):
    return ActionTagger(nlp, name, patterns_path=patterns_path)


class ActionTagger:
    def __init__(self, nlp: Language, name: str = "policywatch_actions", *, patterns_path: str | Path | None = None) -> None:
        self.name = name
        self.spec = ActionPatterns.load(patterns_path)
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab, validate=True)
        for tag, phrases in self.spec.phrases.items():
            if phrases:
                self.phrase_matcher.add(tag, list(nlp.tokenizer.pipe(phrases)))
        for tag, patterns in self.spec.patterns.items():
            if patterns:
                try:
                    self.matcher.add(tag, patterns)
                except ValueError as exc:  # spaCy reports invalid patterns as ValueError
                    raise PatternError(patterns_path or DEFAULT_PATTERNS_PATH, f"tags.{tag}.patterns", str(exc)) from exc

    def __call__(self, doc: Doc) -> Doc:
        matches = sorted(self.phrase_matcher(doc) + self.matcher(doc), key=lambda m: (m[1], m[2]))
        hits, denied = [], []
        for match_id, start, end in matches:
            tag = doc.vocab.strings[match_id]
            span = doc[start:end]
            if self._vetoed(span, self.spec.vetoes[tag]):
                logger.debug("vetoed %s trigger %r", tag, span.text)
                continue
            hit = ActionHit(tag, sentence_text(span), span.text, span.start_char)
            if self._negated(span, self.spec.negations[tag]):
                logger.debug("cancelled %s trigger %r", tag, span.text)
                denied.append(hit)
                continue
            hits.append(hit)
        doc._.pw_actions = hits
        doc._.pw_denied = denied
        return doc

    @staticmethod
    def _vetoed(span: Span, vetoes: frozenset[str]) -> bool:
        if not vetoes:
            return False
        sent = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
        return any(t.lower_ in vetoes for t in sent)

    def _negated(self, span: Span, negations: frozenset[str]) -> bool:
        """True if a negation word precedes the match within the window, in the same clause."""
        doc = span.doc
        sent_start = span.sent.start if doc.has_annotation("SENT_START") else 0
        i = span.start - 1
        while i >= max(sent_start, span.start - self.spec.window):
            token = doc[i]
            if token.is_punct and token.text not in ("-", "'"):
                return False
            if token.lower_ in negations:
                return True
            i -= 1
        return False
