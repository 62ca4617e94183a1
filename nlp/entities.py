"""The ``policywatch_entities`` component: gazetteer matches + NER -> typed, canonical mentions.

It runs after the statistical ``ner`` and after a ``span_ruler`` that writes
gazetteer matches to ``doc.spans[spans_key]`` (the canonical name in
``span.id_``, the type in ``span.label_``). It reconciles the two, maps spaCy
labels onto the six PolicyWatch types, normalises names, drops junk, folds
surnames into full names, and writes

* ``doc._.pw_mentions``: a list of :class:`EntityMention`, in document order;
* ``doc.ents``: the same spans, labelled with the PolicyWatch type and with
  ``ent.id_`` set to the canonical name (handy with displaCy).

Why the ruler writes to ``doc.spans`` rather than ``doc.ents`` before ``ner``:
a pre-set entity forces the NER around it, so "Seoul" from the gazetteer would
split "Seoul National University"; reconciling afterwards lets a longer NER
name win when a gazetteer place is only its prefix.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from common import yamlfile

from .errors import DataFileError
from .gazetteer import Gazetteer, GazetteerEntry, name_key
from .sentences import sentence_text

logger = logging.getLogger(__name__)

DEFAULT_RULES_PATH = Path(__file__).with_name("entity_rules.yaml")

if not Doc.has_extension("pw_mentions"):
    Doc.set_extension("pw_mentions", default=None)
# The text's language (ISO 639-1, None = unknown): an alias of one language links only in it.
if not Doc.has_extension("pw_language"):
    Doc.set_extension("pw_language", default=None)

# spaCy labels that can become one of our types; everything else (NORP, DATE,
# MONEY, ...) is dropped before any rule runs.
_KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "LAW", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP"}
_BAD_CHARS = re.compile(r"[\d()\[\]{}\"“”:;|/\\@#=+*<>]|--|—|–")
_POSSESSIVES = {"'s", "\u2019s", "'", "\u2019"}
_MONTHS = {
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
    "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
}


@dataclass(frozen=True)
class EntityMention:
    start_char: int
    end_char: int
    text: str  # the surface text of the (normalised) span
    name: str  # canonical name
    type: str  # one of model.ENTITY_TYPES
    sentence: str  # whitespace-normalised sentence containing the mention
    source: str  # "gazetteer" or "model"
    in_title: bool = False
    # False when the span sits in a headline (where NER and capitalisation are
    # unreliable); such mentions survive only if the body names them too.
    reliable: bool = True


@dataclass(frozen=True)
class EntityRules:
    titles: frozenset[str]
    agency_words: frozenset[str]
    agency_phrases: tuple[str, ...]
    media_words: frozenset[str]
    region_words: frozenset[str]
    law_words: frozenset[str]
    name_particles: frozenset[str]
    norp_words: frozenset[str]
    portfolio_words: frozenset[str]
    person_cues: frozenset[str]
    determiners: frozenset[str]

    @classmethod
    def load(cls, path: str | Path | None = None) -> "EntityRules":
        path = Path(path or DEFAULT_RULES_PATH)
        try:
            with open(path, encoding="utf-8") as fh:
                data = yamlfile.load(fh) or {}
        except yaml.YAMLError as exc:
            raise DataFileError(path, "file", f"not valid YAML: {exc}") from exc
        values = {}
        for field in cls.__dataclass_fields__:
            words = data.get(field)
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise DataFileError(path, field, "must be a list of strings")
            lowered = [w.lower() for w in words]
            values[field] = tuple(lowered) if field == "agency_phrases" else frozenset(lowered)
        return cls(**values)


def _word(token) -> str:
    return token.lower_.rstrip(".")


def is_headline_cased(span: Span) -> bool:
    """True when most content words are capitalised, as in "Police Raid Telegram Office"."""
    words = [t for t in span if t.is_alpha and len(t) > 3]
    if len(words) < 3:
        return False
    return sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


@Language.factory(
    "policywatch_entities",
    default_config={"spans_key": "gazetteer", "rules_path": None},
)
def make_entity_resolver(nlp: Language, name: str, spans_key: str, rules_path: str | None):
    return EntityResolver(nlp, name, spans_key=spans_key, rules_path=rules_path)


class EntityResolver:
    def __init__(self, nlp: Language, name: str = "policywatch_entities", *, spans_key: str = "gazetteer",
                 rules_path: str | Path | None = None) -> None:
        self.name = name
        self.spans_key = spans_key
        self.rules = EntityRules.load(rules_path)
        self._gazetteer: Gazetteer | None = None
        self._lowercase_ok: set[str] = set()

    # The gazetteer is an object, not config, so it is handed over after
    # construction (the Analyzer does this); without one the default file is used.
    def set_gazetteer(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        # Names written in lower case ("eSafety Commissioner") may match in any case;
        # all others must start with a capital, so "line" is never Line.
        self._lowercase_ok = {
            name_key(n) for e in gazetteer.entries for n in e.names if not n[:1].isupper()
        }

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self.set_gazetteer(Gazetteer.load())
        return self._gazetteer

    # -- pipeline entry point ---------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        gaz = self.gazetteer
        title_end = doc.text.find("\n\n")
        title = doc.char_span(0, title_end, alignment_mode="contract") if title_end > 0 else None
        headline = title is not None and is_headline_cased(title)

        def in_title(span: Span) -> bool:
            return title is not None and span.start_char < title_end

        gaz_spans = [s for s in doc.spans[self.spans_key] if self._case_ok(s)] if self.spans_key in doc.spans else []
        gaz_spans = filter_spans(gaz_spans)
        model_spans, gaz_spans = self._reconcile(list(doc.ents), gaz_spans)

        mentions: list[EntityMention] = []
        for span in gaz_spans:
            entry = gaz.get(span.id_) or gaz.get(span.text)
            if entry is None or _is_wire_credit(span):
                continue
            if self._unconfirmed(entry, span):
                # unlinked: a name of several words stays as written ("Democratic Party" of the
                # United States); one word ("Commission") says too little to keep
                surface = re.sub(r"^(?:the|The)\s+", "", span.text)
                if len(surface.split()) > 1:
                    mentions.append(self._mention(span, surface, entry.type, "model", in_title(span), True))
                continue
            t = in_title(span)
            reliable = not (t and headline and entry.common_word)
            mentions.append(self._mention(span, entry.name, entry.type, "gazetteer", t, reliable))
        for ent in model_spans:
            found = self._from_model(ent)
            if found is None:
                continue
            span, name, etype, entry = found
            if entry is not None and self._unconfirmed(entry, span):
                continue
            t = in_title(span)
            # An NER span that the gazetteer recognises is as good as a ruler match;
            # any other headline span needs confirmation from the body.
            reliable = not t or (entry is not None and not (headline and entry.common_word))
            source = "gazetteer" if entry is not None else "model"
            mentions.append(self._mention(span, name, etype, source, t, reliable))
        mentions.extend(self._missed_surnames(doc, mentions, gaz_spans, title_end if title is not None else -1))
        mentions.sort(key=lambda m: m.start_char)
        mentions = _unify_case(mentions)

        if title is not None:
            mentions = _confirm_title_mentions(mentions)
        mentions = _fold_surnames(mentions)
        mentions = _drop_lone_words(mentions, doc.text)
        mentions = _fold_parenthesised(mentions, doc.text)
        mentions = _fold_short_forms(mentions)
        mentions = _harmonise_types(mentions)
        doc._.pw_mentions = mentions
        doc.ents = [
            Span(doc, s.start, s.end, label=m.type, span_id=m.name)
            for m in mentions
            if (s := doc.char_span(m.start_char, m.end_char)) is not None
        ]
        return doc

    @staticmethod
    def _unconfirmed(entry: GazetteerEntry, span: Span) -> bool:
        """An ambiguous alias ("the Democratic Party") with nothing in the article saying which."""
        return entry.needs_context(span.text) and not entry.confirmed_by(span.doc.text)

    # -- reconciling the gazetteer with the NER -----------------------------------
    def _case_ok(self, span: Span) -> bool:
        if self.gazetteer.wrong_case(span.text):       # "Eu" (Portuguese "I") is not the EU
            return False
        if not self.gazetteer.applies(span.text, span.doc._.pw_language):   # French "UE" in English text
            return False
        return span.text[:1].isupper() or name_key(span.text) in self._lowercase_ok

    def _reconcile(self, ents: list[Span], gaz_spans: list[Span]) -> tuple[list[Span], list[Span]]:
        """Decide, where NER and gazetteer spans overlap, which one stands.

        The gazetteer wins, except when the only gazetteer matches inside a
        longer NER ORG/FAC name are places: then the place is part of the name
        ("Seoul National University", "Federal Court of Australia") and the NER
        span is kept. A possessive inside the span ("Brazil's Supreme Court")
        means two names, so there the gazetteer still wins.
        """
        kept_ents: list[Span] = []
        dropped_gaz: set[tuple[int, int]] = set()
        for ent in ents:
            overlapping = [g for g in gaz_spans if g.start < ent.end and ent.start < g.end]
            if not overlapping:
                kept_ents.append(ent)
                continue
            core = self._strip_determiners(ent)
            if core is None or ent.label_ not in ("ORG", "FAC") or self.gazetteer.get(core.text) is not None:
                continue
            inside = all(core.start <= g.start and g.end <= core.end for g in overlapping)
            covered = {i for g in overlapping for i in range(g.start, g.end)}
            rest = [t for t in core if t.i not in covered]
            if (
                inside
                and all(g.label_ == "GPE" for g in overlapping)
                and any(t.is_alpha and t.text[0].isupper() for t in rest)
                and not any(t.text in _POSSESSIVES for t in core)
            ):
                kept_ents.append(ent)
                dropped_gaz.update((g.start, g.end) for g in overlapping)
        return kept_ents, [g for g in gaz_spans if (g.start, g.end) not in dropped_gaz]

    def _missed_surnames(
        self, doc: Doc, mentions: list[EntityMention], gaz_spans: list[Span], title_end: int
    ) -> list[EntityMention]:
        """Bare surnames of the article's people that the NER did not tag.

        The small model often misses "Woo said ..." after "Woo Jong-soo, head
        of ..."; a name's first word (Korean order) or last word (Western
        order) standing alone, not next to another capitalised word, is
        taken as a mention and folded onto the full name later.
        """
        keys = {w for m in mentions if m.type == "PERSON" for w in (m.name.split()[0], m.name.split()[-1])
                if len(m.name.split()) > 1 and w[:1].isupper()}
        if not keys:
            return []
        taken = [(m.start_char, m.end_char) for m in mentions] + [(g.start_char, g.end_char) for g in gaz_spans]
        found = []
        pattern = re.compile(r"(?<![\w\-'’])(%s)(?![\w\-])" % "|".join(re.escape(k) for k in sorted(keys)))
        for match in pattern.finditer(doc.text):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            span = doc.char_span(start, end)
            if span is None or not self._stands_alone(span):
                continue
            t = title_end >= 0 and start < title_end
            found.append(self._mention(span, span.text, "PERSON", "model", t, reliable=not t))
        return found

    def _stands_alone(self, span: Span) -> bool:
        doc = span.doc
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and after.text[:1].isupper() and after.is_alpha:
            return False  # "Woo Won-shik": another person
        if before is not None and before.is_alpha and before.text[:1].isupper():
            return _word(before) in self.rules.titles or before.is_sent_start
        return True

    # -- spans from the statistical model --------------------------------------------
    def _strip_determiners(self, span: Span) -> Span | None:
        doc, start, end = span.doc, span.start, span.end
        while start < end and (doc[start].lower_ in self.rules.determiners or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].text in _POSSESSIVES or doc[end - 1].is_punct):
            end -= 1
        return doc[start:end] if end > start else None

    def _from_model(self, ent: Span) -> tuple[Span, str, str, GazetteerEntry | None] | None:
        """(span, canonical name, type, gazetteer entry or None) for an NER span; None if junk."""
        label = ent.label_
        if label not in _KEPT_LABELS or any(t.is_space or "\n" in t.text for t in ent):
            return None
        doc = ent.doc
        if ent.start > 0 and doc[ent.start - 1].text in ("#", "@"):  # a hashtag or a handle
            return None
        if ent.end < len(doc) and _word(doc[ent.end]) in self.rules.portfolio_words:
            return None
        span = self._strip_determiners(ent)
        if ent.start > 0 and _word(doc[ent.start - 1]) in self.rules.person_cues:
            label = "PERSON"
        if span is not None and label == "PERSON":
            start = span.start
            while start < span.end and _word(span.doc[start]) in self.rules.titles:
                start += 1
            span = span.doc[start:span.end] if start < span.end else None
        if span is None:
            return None
        text = span.text
        if _is_wire_credit(span):
            return None
        entry = self.gazetteer.get(text)
        if entry is not None and self.gazetteer.applies(text, doc._.pw_language):
            return span, entry.name, entry.type, entry
        if _is_dateline(span):
            # "ISTANBUL, Oct 9 (Reuters) -": the NER often calls the place an ORG.
            return span, text.title(), "GPE", None
        etype = self._map_label(span, label)
        if etype is None or self._is_junk(span, etype):
            return None
        return span, " ".join(text.split()), etype, None

    def _map_label(self, span: Span, label: str) -> str | None:
        r = self.rules
        words = [_word(t) for t in span]
        if len(words) >= 2 and words[-1] in r.law_words and label != "GPE":
            return "LAW"
        if label == "LAW":
            return "LAW"
        looks_official = any(w in r.agency_words for w in words) or any(
            p in span.text.lower().replace("\u2019", "'") for p in r.agency_phrases
        )
        if looks_official and not any(w in r.media_words for w in words):
            if label in ("ORG", "FAC") or (label in ("PERSON", "NORP") and len(words) >= 2):
                return "AGENCY"
        if label == "ORG":
            return "ORG"
        if label == "PERSON":
            return "PERSON"
        if label == "GPE":
            return "GPE"
        if label == "LOC" and words[-1] in r.region_words:
            return "GPE"
        return None

    def _is_junk(self, span: Span, etype: str) -> bool:
        text = span.text
        if self.gazetteer.is_ignored(text) or _BAD_CHARS.search(text):
            return True
        if len(text.replace(".", "")) < 2 or not any(c.isupper() for c in text):
            return True
        if all(_word(t) in self.rules.norp_words for t in span):
            return True
        if etype == "PERSON":
            words = text.split()
            if len(words) > 5:
                return True
            # A real name capitalises every word but its particles; "Durov said"
            # or "the deepfake" are fragments.
            if any(not w[:1].isupper() and w.lower() not in self.rules.name_particles for w in words):
                return True
            if len(words) == 1 and text.isupper():  # "SEOUL", "TELEGRAM": a dateline or headline shout
                return True
        return False

    @staticmethod
    def _mention(span: Span, name: str, etype: str, source: str, in_title: bool, reliable: bool) -> EntityMention:
        return EntityMention(
            start_char=span.start_char, end_char=span.end_char, text=span.text, name=name, type=etype,
            sentence=sentence_text(span), source=source, in_title=in_title, reliable=reliable,
        )


# -- article-level passes -------------------------------------------------------------
def _confirm_title_mentions(mentions: list[EntityMention]) -> list[EntityMention]:
    """Drop unreliable headline mentions unless the body names the same entity.

    Headlines are written in title case and telegraphic style, where the NER
    turns fragments such as "Telegram Apologizes" into people; a wire story
    repeats every name of its headline in the body, so requiring a body
    mention costs little recall. Surnames are accepted as confirmation of a
    full name and vice versa.
    """
    body_names = {m.name.casefold() for m in mentions if not m.in_title}
    body_words = {w.casefold() for m in mentions if not m.in_title and m.type == "PERSON" for w in m.name.split()}
    kept = []
    for m in mentions:
        if m.reliable or not m.in_title:
            kept.append(m)
        elif m.name.casefold() in body_names:
            kept.append(m)
        elif m.type == "PERSON" and len(m.name.split()) == 1 and m.name.casefold() in body_words:
            kept.append(m)
        else:
            logger.debug("dropped unconfirmed headline mention %r (%s)", m.text, m.type)
    return kept


def _fold_surnames(mentions: list[EntityMention]) -> list[EntityMention]:
    """Map a one-word person mention ("Durov", "Cho") onto the full name it abbreviates.

    The full name is the most recent earlier mention whose first word (Korean
    order: "Cho Ji-ho") or last word (Western order: "Pavel Durov") matches;
    failing that, the only such full name anywhere in the article (headlines
    use the surname before the body spells the name out). One-word ORG/GPE
    spans from the model that match a person's name are folded the same way,
    since the small NER often mislabels bare Korean surnames.
    """
    full_names = [(i, m) for i, m in enumerate(mentions) if m.type == "PERSON" and len(m.name.split()) > 1]
    if not full_names:
        return mentions
    out = list(mentions)
    for i, m in enumerate(mentions):
        if m.source != "model" or m.type not in ("PERSON", "ORG", "GPE") or len(m.name.split()) != 1:
            continue
        key = m.name.casefold()
        matches = [(j, f) for j, f in full_names if key in (f.name.split()[0].casefold(), f.name.split()[-1].casefold())]
        earlier = [f for j, f in matches if j < i]
        target = earlier[-1] if earlier else (matches[0][1] if len({f.name for _, f in matches}) == 1 else None)
        if target is not None:
            out[i] = replace(m, name=target.name, type="PERSON")
    return out


_SURNAMED = re.compile(r"\bsurnamed\s+([A-Z][\w-]*)")


def _drop_lone_words(mentions: list[EntityMention], text: str) -> list[EntityMention]:
    """Drop a one-word person from the model that folded onto no full name of the article.

    On real pages most such spans are not people: a band ("Steelers"), a product
    ("Messenger"), "the Moon", words of another language; a real person is named in
    full somewhere in the story, or introduced by surname alone ("a man surnamed
    Park", Korean crime reports). The gazetteer's own one-word names stay."""
    introduced = set(_SURNAMED.findall(text))
    kept = []
    for m in mentions:
        if m.source == "model" and m.type == "PERSON" and len(m.name.split()) == 1 and m.name not in introduced:
            logger.debug("dropped lone one-word person %r", m.text)
        else:
            kept.append(m)
    return kept


_PAREN_BEFORE = re.compile(r"\s*\(\s*$")


def _fold_parenthesised(mentions: list[EntityMention], text: str) -> list[EntityMention]:
    """"National Election Commission (NEC)": the bracketed short form is that name's alias in
    this article, whatever the model or the gazetteer made of it elsewhere."""
    aliases: dict[str, EntityMention] = {}
    for full, short in zip(mentions, mentions[1:]):
        if (len(full.name.split()) > 1 and len(short.text.split()) == 1 and short.text.isupper()
                and _PAREN_BEFORE.match(text[full.end_char:short.start_char])
                and text[short.end_char:short.end_char + 1] == ")"):
            aliases[short.text] = full
    if not aliases:
        return mentions
    return [replace(m, name=aliases[m.text].name, type=aliases[m.text].type) if m.text in aliases else m
            for m in mentions]


def _is_wire_credit(span: Span) -> bool:
    """The agency in a dateline, "SEOUL, Sept. 2 (Yonhap) --": who filed the story, not who is in it."""
    doc = span.doc
    if span.start < 2 or span.end + 1 >= len(doc):
        return False
    return (doc[span.start - 1].text == "(" and doc[span.end].text == ")"
            and doc[span.end + 1].text in ("--", "-", "—", "–"))


def _is_dateline(span: Span) -> bool:
    """An upper-case place opening a paragraph and followed by "," or "(", as in wire datelines."""
    doc = span.doc
    at_start = span.start == 0 or (doc[span.start - 1].is_space and "\n" in doc[span.start - 1].text)
    if not (at_start and span.text.isupper() and len(span.text) > 2 and span.end + 1 < len(doc)):
        return False
    follows, then = doc[span.end].text, doc[span.end + 1].text.rstrip(".").lower()
    return follows == "(" or (follows == "," and then in _MONTHS)


def _unify_case(mentions: list[EntityMention]) -> list[EntityMention]:
    """Give an upper-case model mention ("ISTANBUL") the spelling used elsewhere in the article."""
    spellings = {m.name.casefold(): m.name for m in mentions if not m.name.isupper()}
    return [
        replace(m, name=spellings[m.name.casefold()])
        if m.source == "model" and m.name.isupper() and m.name.casefold() in spellings
        else m
        for m in mentions
    ]


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _fold_short_forms(mentions: list[EntityMention]) -> list[EntityMention]:
    """Map a one-word organisation mention onto the longer name it shortens.

    Wire copy names an organisation in full once and then shortens it: to its
    first word ("SM Entertainment" -> "SM") or to an acronym of all or the
    trailing part of the name ("Korea Fair Trade Commission" -> "KFTC", "FTC").
    Only unrecognised one-word ORG/AGENCY spans are folded, and only when
    exactly one longer organisation of the article fits.
    """
    longer = {m.name: m.type for m in mentions if m.type in ("ORG", "AGENCY", "PLATFORM") and len(m.name.split()) > 1}
    if not longer:
        return mentions
    out = list(mentions)
    for i, m in enumerate(mentions):
        if m.source != "model" or m.type not in ("ORG", "AGENCY") or len(m.name.split()) != 1:
            continue
        word = m.name
        fits = [
            name for name in longer
            if name.split()[0] == word or (word.isupper() and len(word) >= 2 and _initials(name).endswith(word))
        ]
        if len(fits) == 1:
            out[i] = replace(m, name=fits[0], type=longer[fits[0]])
    return out


def _harmonise_types(mentions: list[EntityMention]) -> list[EntityMention]:
    """Give every mention of a name one type: the gazetteer's, else the most frequent."""
    by_name: dict[str, Counter] = {}
    fixed: dict[str, str] = {}
    for m in mentions:
        if m.source == "gazetteer":
            fixed[m.name] = m.type
        by_name.setdefault(m.name, Counter())[m.type] += 1
    chosen = {name: fixed.get(name) or counts.most_common(1)[0][0] for name, counts in by_name.items()}
    return [m if m.type == chosen[m.name] else replace(m, type=chosen[m.name]) for m in mentions]

