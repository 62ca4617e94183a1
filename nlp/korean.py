"""Korean articles: entities and enforcement actions, on the same canonical entities as English.

The English pipeline (spaCy + gazetteer ruler) cannot read Korean: particles attach to the
word they follow (텔레그램에, 경찰청이), so a phrase matcher on space-separated tokens never
sees the name alone, and the English NER knows no Hangul. Korean text therefore goes through
this module instead (Analyzer.analyze_many routes it here):

- **Gazetteer names.** Every Hangul alias in the gazetteer (텔레그램 -> Telegram, 경찰청 ->
  Korean National Police Agency, ...) is matched where a word begins, followed only by
  particles (이/가/은/는/을/를/의/에/에서/으로/와/과/도/...) and then the end of the word:
  경찰청이 matches, 경찰청장 (the police chief) does not. Latin-script names of four or more
  letters match too (Telegram은). Longer aliases win (서울경찰청 before 서울).
- **Unknown names, precision first.** kiwipiepy (with its PyPI model, nothing downloaded at run
  time) proposes nouns; a run of nouns inside one word is kept only when a rule of
  nlp/korean.yaml types it: an agency suffix (…청, …위원회, …부, …지검) or a person name
  (a surname and two or three syllables) right before a title (본부장, 장관, 대통령, …).
- **Heads of bodies.** A title compound (경찰청장, 방송통신위원장, 국가수사본부장) links the agency it
  heads: the gazetteer's (each Hangul agency alias gets its head-title forms, nlp/korean.yaml
  head_titles) or an unknown one typed by the agency rule (경기남부경찰청장 -> 경기남부경찰청).
- **Laws.** `…에 관한 법률(…법)` — a long name and its official short form in brackets — is one
  LAW entity; an unknown noun ending in 법 (성폭력처벌법) is a LAW unless a common word
  (방법, 수법, 현행법; nlp/korean.yaml not_laws).
- **Actions** are cue patterns per tag (nlp/korean.yaml) matched on each sentence with entity
  names masked (국가수사본부 is no 수사), unless a negation or "considering" follows closely.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path


from common import yamlfile
from extract.korean import is_korean_text    # how extraction tells a Korean page; nlp asks the same

from .errors import PatternError
from .gazetteer import Gazetteer
from .cases import korean_statements
from .model import ACTION_TAGS, Action, Analysis, Entity

RULES_PATH = Path(__file__).with_name("korean.yaml")

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
# Particles (and the copula) that may follow a name inside one word, longest first so that
# 에서 is tried before 에. Up to three stack: 텔레그램에서는, 경찰청으로부터도.
_PARTICLES = sorted("""이 가 은 는 을 를 의 에 에서 에게 께서 으로 로 와 과 도 만 까지 부터 이나 나 이며 며 이고
    이다 였다 이었다 처럼 보다 이라고 라고 이라는 라는 이란 란 엔 측 들 께 한테 더러 마저 조차 으로부터 로부터 하고
    랑 이랑""".split(), key=len, reverse=True)
# what may follow a name inside its word (also used by the web UI to mark names in Korean text)
AFTER_NAME = r"(?:%s){0,3}(?![\uac00-\ud7a3A-Za-z0-9])" % "|".join(_PARTICLES)
_BEFORE_NAME = r"(?<![\uac00-\ud7a3A-Za-z0-9])"
_PARTICLE_TAIL = re.compile(r"(?:%s){0,3}[^\w]*" % "|".join(_PARTICLES))
_NOUN_TAGS = ("NNG", "NNP", "XPN", "XSN", "SL", "SN", "NR")


@dataclass(frozen=True)
class Rules:
    actions: dict[str, list[re.Pattern]]
    negation: re.Pattern
    negation_window: int
    agency_suffixes: tuple[str, ...]
    not_agencies: frozenset[str]
    person_titles: tuple[str, ...]
    surnames: frozenset[str]
    head_titles: tuple[tuple[str, str], ...] = ()        # (agency ending, title), longest ending first
    not_laws: tuple[str, ...] = ()

    def head_title(self, agency: str) -> str | None:
        """경찰청 -> 경찰청장, 방송통신위원회 -> 방송통신위원장; None when no ending fits."""
        for ending, title in self.head_titles:
            if agency.endswith(ending):
                return agency[:-len(ending)] + title
        return None

    def headed_agency(self, text: str) -> str | None:
        """경기남부경찰청장 -> 경기남부경찰청 (the body a title compound heads), or None."""
        for ending, title in self.head_titles:
            if text.endswith(title) and len(text) > len(title):
                return text[:-len(title)] + ending
        return None

    @classmethod
    def load(cls, path: str | Path = RULES_PATH) -> "Rules":
        data = yamlfile.read(path, PatternError, "Korean rules")
        actions: dict[str, list[re.Pattern]] = {}
        for tag, patterns in (data.get("actions") or {}).items():
            if tag not in ACTION_TAGS:
                raise PatternError(path, f"actions.{tag}", f"unknown action tag (one of {', '.join(ACTION_TAGS)})")
            try:
                actions[tag] = [re.compile(p) for p in patterns]
            except re.error as exc:
                raise PatternError(path, f"actions.{tag}", f"bad regular expression: {exc}") from exc
        negations = data.get("negations") or []
        return cls(actions=actions,
                   negation=re.compile("|".join(re.escape(n) for n in negations) or r"(?!)"),
                   negation_window=int(data.get("negation_window", 12)),
                   agency_suffixes=tuple(sorted(data.get("agency_suffixes") or (), key=len, reverse=True)),
                   not_agencies=frozenset(data.get("not_agencies") or ()),
                   person_titles=tuple(sorted(data.get("person_titles") or (), key=len, reverse=True)),
                   surnames=frozenset(str(data.get("surnames") or "")),
                   head_titles=tuple(sorted((data.get("head_titles") or {}).items(), key=lambda kv: len(kv[0]),
                                            reverse=True)),
                   not_laws=tuple(data.get("not_laws") or ()))


class KoreanAnalyzer:
    """Entities and actions of Korean texts ("title\\n\\npara 1\\n\\npara 2", like Analyzer)."""

    def __init__(self, gazetteer: Gazetteer, rules: Rules | None = None) -> None:
        self.gazetteer = gazetteer
        self.rules = rules or Rules.load()
        names: dict[str, str] = {}               # alias as written -> canonical name
        for entry in gazetteer.entries:
            for alias in entry.names:
                if not gazetteer.applies(alias, "ko"):       # another language's alias
                    continue
                if _HANGUL.search(alias) or (alias.isascii() and len(alias) >= 4 and alias[0].isupper()):
                    names.setdefault(alias, entry.name)
        for entry in gazetteer.entries:          # 경찰청장 names the 경찰청 it heads (a real alias wins)
            if entry.type == "AGENCY":
                for alias in entry.names:
                    if _HANGUL.search(alias) and (title := self.rules.head_title(alias)):
                        names.setdefault(title, entry.name)
        self._canonical = names
        self._types = {e.name: e.type for e in gazetteer.entries}
        alternation = "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))
        self._names = re.compile(f"{_BEFORE_NAME}({alternation}){AFTER_NAME}") if names else None
        self._kiwi = None
        self._lock = threading.Lock()

    def _analyzer(self):
        with self._lock:
            if self._kiwi is None:
                from kiwipiepy import Kiwi      # loaded on first Korean text (about two seconds)
                self._kiwi = Kiwi()
            return self._kiwi

    # -- public ----------------------------------------------------------------------------
    def analyze(self, text: str) -> Analysis:
        entities: OrderedDict[str, Entity] = OrderedDict()
        actions: OrderedDict[str, Action] = OrderedDict()
        statements = []
        for sentence in sentences(text):
            spans = []
            mentions = self._mentions(sentence)
            for name, type_, start, end in mentions:
                entity = entities.get(name)
                if entity is None:
                    entity = entities[name] = Entity(name=name, type=type_, mentions=0, sentences=[])
                entity.mentions += 1
                entity.sentences.append(sentence)
                spans.append((start, end))
            hits = self._hits(sentence, spans)
            for tag in dict.fromkeys(tag for tag, _, _, negated in hits if not negated):
                actions.setdefault(tag, Action(action=tag, sentence=sentence))
            statements.extend(korean_statements(sentence, hits, mentions))
        return Analysis(entities=list(entities.values()), actions=list(actions.values()), statements=statements)

    # -- entities --------------------------------------------------------------------------
    def _mentions(self, sentence: str) -> list[tuple[str, str, int, int]]:
        found: list[tuple[str, str, int, int]] = []

        def add(name: str, type_: str, start: int, end: int) -> None:
            if not any(start < e and s < end for _, _, s, e in found):
                found.append((name, type_, start, end))
        for law in self._laws(sentence):         # first: a law's long name holds other names
            add(*law)
        if self._names:
            for m in self._names.finditer(sentence):
                canonical = self._canonical[m.group(1)]
                add(canonical, self._types[canonical], m.start(1), m.end(1))
        for proposal in self._proposals(sentence):
            add(*proposal)
        return sorted(found, key=lambda f: f[2])

    def _laws(self, sentence: str) -> list[tuple[str, str, int, int]]:
        """`…에 관한 법률(…법)`: one LAW from the long name's first word to the closing bracket."""
        out = []
        for m in _LAW_LONG.finditer(sentence):
            start = _law_start(sentence, m.start())
            long_name = " ".join(sentence[start:m.start("tail")].split())
            short = (m.group("short") or "").replace(" ", "")
            known = next((self._canonical[n] for n in (short, long_name) if n in self._canonical), None)
            if known:
                out.append((known, self._types[known], start, m.end()))
            else:
                out.append((short or long_name, "LAW", start, m.end()))
        return out

    def _proposals(self, sentence: str) -> list[tuple[str, str, int, int]]:
        """Unknown names the analyzer finds and a rule types: (name, type, start, end)."""
        if not _HANGUL.search(sentence):
            return []
        runs = _noun_runs(self._analyzer().tokenize(sentence), sentence)
        out = []
        for i, (text, start, end, whole_word) in enumerate(runs):
            if not whole_word or not _HANGUL.search(text):
                continue
            if self._is_agency(text):
                out.append((text, "AGENCY", start, end))
            elif (agency := self.rules.headed_agency(text)) and self._is_agency(agency):
                out.append((self._canonical.get(agency, agency), "AGENCY", start, end))   # 경기남부경찰청장
            elif self._is_law(text):
                out.append((text, "LAW", start, end))
            elif self._is_person(text) and i + 1 < len(runs):
                title, t_start, _, _ = runs[i + 1]
                if sentence[end:t_start].strip() == "" and title.endswith(self.rules.person_titles) \
                        and end == _word_end(sentence, start):
                    out.append((text, "PERSON", start, end))
        return out

    def _is_agency(self, text: str) -> bool:
        r = self.rules
        return (len(text) >= 3 and text not in r.not_agencies and text.endswith(r.agency_suffixes)
                and not text.endswith(r.person_titles) and not any(text.endswith(n) for n in r.not_agencies
                                                                  if len(n) >= 2))

    def _is_law(self, text: str) -> bool:
        return len(text) >= 4 and text.endswith("법") and all(_HANGUL.match(c) for c in text) \
            and not text.endswith(self.rules.not_laws)

    def _is_person(self, text: str) -> bool:
        return 2 <= len(text) <= 4 and text[0] in self.rules.surnames and all(_HANGUL.match(c) for c in text) \
            and not text.endswith(self.rules.person_titles)

    # -- actions ---------------------------------------------------------------------------
    def _hits(self, sentence: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int, bool]]:
        """Every cue match: (tag, start, end, negated), in order of tag. A tag counts for the
        article when one of its matches is not negated; nlp/cases.py reads the rest as denied."""
        masked = list(sentence)
        for start, end in spans:                 # 국가수사본부 names an agency; it is no 수사
            masked[start:end] = "□" * (end - start)
        text = "".join(masked)
        hits = []
        for tag, patterns in self.rules.actions.items():
            for pattern in patterns:
                for m in pattern.finditer(text):
                    negated = self.rules.negation.search(text[m.end():m.end() + self.rules.negation_window]) is not None
                    hits.append((tag, m.start(), m.end(), negated))
        return hits


def sentences(text: str) -> list[str]:
    """Paragraphs split at sentence ends, whitespace-normalised."""
    out = []
    for part in _SENTENCE_END.split(text):
        part = " ".join(part.split())
        if part:
            out.append(part)
    return out


_NON_SPACE = re.compile(r"\S+")
# "…에 관한 법률" and its short form in brackets: "(정보통신망법)"
_LAW_LONG = re.compile(r"에\s*관한\s*(?P<tail>특례법|특별법|법률|법)(?:\s*\(\s*(?P<short>[\uac00-\ud7a3·ㆍ ]{1,30}?법)\s*\))?")
# A word ending like one of these (a particle or a verb ending) is not part of the law's name
# before it: "경찰은 [정보통신망 이용촉진 및 정보보호 등에 관한 법률]".
_NOT_IN_LAW_NAME = re.compile(r"(?:은|는|을|를|이|가|도|로|서|고|며|다|면|해|된|한|던|과|와|께|[,.\"'“”‘’)\]])$")
LAW_NAME_WORDS = 8


def _law_start(sentence: str, anchor: int) -> int:
    """Where a law's long name begins: the words before `anchor` (the 에 of "…에 관한"), back to
    one that ends a clause or LAW_NAME_WORDS words."""
    start = anchor
    while start > 0 and not sentence[start - 1].isspace():     # the word that holds 에 (등에, 성보호에)
        start -= 1
    for _ in range(LAW_NAME_WORDS):
        prev_end = start
        while prev_end > 0 and sentence[prev_end - 1].isspace():
            prev_end -= 1
        prev_start = prev_end
        while prev_start > 0 and not sentence[prev_start - 1].isspace():
            prev_start -= 1
        word = sentence[prev_start:prev_end]
        if not word or _NOT_IN_LAW_NAME.search(word) or not _HANGUL.search(word[-1]):
            break
        start = prev_start
    return start


def _word_end(text: str, start: int) -> int:
    m = _NON_SPACE.match(text, start)
    return m.end() if m else start


def _noun_runs(tokens, sentence: str) -> list[tuple[str, int, int, bool]]:
    """Maximal runs of adjacent noun morphemes inside one word: (text, start, end, whole_word),
    whole_word when only particles follow the run in its word (경찰청이: yes; for 경찰청장 the run
    is 경찰청장 itself)."""
    runs = []
    current: list = []

    def close():
        if current:
            start, end = current[0].start, current[-1].start + current[-1].len
            whole = _PARTICLE_TAIL.fullmatch(sentence[end:_word_end(sentence, start)]) is not None
            runs.append((sentence[start:end], start, end, whole))
            current.clear()

    for t in tokens:
        if t.tag in _NOUN_TAGS:
            if current and t.start != current[-1].start + current[-1].len:
                close()
            current.append(t)
        else:
            close()
    close()
    return runs
