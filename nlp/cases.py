"""Who acts against whom: one statement per action sentence (authority, action, target).

Each action hit of an article (nlp/actions.py for English, nlp/korean.py for Korean) becomes a
:class:`~nlp.model.Statement` when its sentence names an authority and a target:

- **Authorities** are AGENCY entities (their role and country from ``authorities.yaml``) and
  role words ("police", "prosecutors", 경찰, 검찰) resolved to the country's body: the country
  is the one an adjective right before the word gives ("French judges", "South Korean police"),
  else the article's (Korean text; else the country its names and place words point to most).
- **Targets** are platforms, companies and persons (for legislation also laws); a person
  quoted as speaking ("Woo said", "told reporters") is no target.
- **Rules over spans, not a parser.** English: an agent after "by", "at the request of" or
  "flagged by" is the authority; a passive trigger ("was charged", "has been detained") takes
  its target from before it; otherwise the authority is the nearest one before the trigger
  (else after it, as in "..., the KCSC said") and the target the first one after it (else
  before it). Takedowns and cooperation are done by the platform itself, so their target is
  the platform nearest the trigger. "Telegram founder Pavel Durov" is Durov for arrests,
  charges and trials. Korean: particles say the roles (은/는/이/가 on the authority, 을/를,
  에 대해, 에 대한 on the target), and a trigger in a relative clause ("두로프를 기소한 프랑스
  수사당국") takes the authority it modifies.
- **Status**: denied when a negation cancelled the trigger ("has not been charged", 수사하지
  않았다), planned when a modal stands before it ("will seek", "plans to", 방침, 계획), else
  happened. ``when`` is the date phrase of the sentence, resolved against the publication date
  by index/cases.py (the nlp stage does not know that date).

The dependency parser was measured and is not used (bench/cases_eval.py --parser); clauses are
cut at punctuation and conjunctions instead (_clause).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from common import yamlfile

from .errors import PatternError
from .model import Statement

AUTHORITIES_PATH = Path(__file__).with_name("authorities.yaml")
TARGET_TYPES = ("PLATFORM", "ORG", "PERSON")
PERSON_ACTIONS = frozenset({"arrest", "prosecution", "court", "penalty"})
PLATFORM_ACTIONS = frozenset({"takedown", "cooperation"})

_HARD_NEGATIONS = frozenset({"not", "n't", "no", "never", "neither", "nor", "denied", "denies", "deny", "without"})
_MODALS = frozenset({"will", "would", "'ll", "plans", "plan", "planned", "planning", "intends", "intend", "seek",
                     "seeks", "seeking", "expected", "could", "may", "might", "aims", "aim", "set", "considering",
                     "consider", "weighing", "mulling", "vowed", "vows", "pledged", "threatened", "proposed", "urged"})
_PASSIVE_AUX = frozenset({"was", "were", "been", "being", "is", "are", "be", "got", "get"})
_AGENT_CUES = (("by",), ("request", "of"), ("request", "from"), ("requested", "by"), ("flagged", "by"),
               ("ordered", "by"), ("requests", "from"), ("demand", "of"), ("order", "of"))
# a trigger's arguments stay in its clause: these words open another one ("..., but noted that
# cooperation ...", "... after Japan's guidance was seen as pressuring Naver", "; police ...")
_CLAUSE_WORDS = frozenset({"but", "while", "whereas", "although", "though", "because", "unless"})
# "after"/"before" open a clause only when a verb follows ("after police raided ..."), not a noun
# phrase ("after a five-year investigation by ...")
_CLAUSE_PREPS = frozenset({"after", "before", "since"})
_FINITE = frozenset({"was", "were", "is", "are", "had", "has", "have", "said", "did", "does", "will", "would"})
_CLAUSE_PUNCT = frozenset({";", "—", "–", ":"})
_RELATIVES = frozenset({"which", "who", "whom", "whose"})
_SPEECH = frozenset({"said", "says", "told", "added", "noted", "stated", "wrote", "explained", "according"})
_VENUE_BEFORE = frozenset({"on", "via", "through", "using", "across", "in", "from", "into"}) - {"into"}
_VENUE_AFTER = frozenset({"chatroom", "chatrooms", "channel", "channels", "group", "groups", "chats", "chat", "users",
                          "user", "app", "accounts", "account", "messenger", "rooms", "posts", "videos"})
_KO_VENUE = re.compile(r"\s*(?:\S+\s+)?(?:대화방|채널|단체방|메신저|이용자|사용자)|\s*(?:방|에서|을 통해|를 통해|등|과 같은|같은)")
# which roles may take which actions: a regulator does not legislate, a legislature does not arrest
_ACTION_ROLES = {
    "legislation": {"legislature", "government", "agency"},
    "arrest": {"police", "prosecutor", "court", "government", "agency"},
    "prosecution": {"police", "prosecutor", "court", "government", "agency"},
}
_ROLE_LABELS = {"police": "police", "prosecutor": "prosecutors", "court": "courts", "legislature": "legislature",
                "regulator": "regulator", "government": "authorities", "agency": "agency"}
_LEADER_WORDS = frozenset({"founder", "co-founder", "chief", "ceo", "head", "executive", "boss", "owner", "creator",
                           "president", "chairman", "operator", "operators", "administrator"})
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|Mar\.|April|Apr\.|May|June|July|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WHEN_EN = re.compile(rf"\b(?:{_MONTH} \d{{1,2}}(?:, \d{{4}})?|(?:on |last )(?:Monday|Tuesday|Wednesday|Thursday|"
                      r"Friday|Saturday|Sunday)|last week|yesterday|(?:in|since) " + _MONTH + r"(?: \d{4})?)\b")
_WHEN_KO = re.compile(r"(?:(?:지난달|이달|지난해)\s*)?(?:\d{1,2}월\s*)?\d{1,2}일(?![가-힣])|지난달|지난주")
_PASSED = re.compile(r"\b(passed|approved|adopted|enacted|signed into law)\b|통과|가결|의결|처리했|공포",
                     re.IGNORECASE)
_IN_FORCE = re.compile(r"\b(took effect|takes effect|came into force|comes into force|entered into force|"
                       r"went into force|go into force|goes into effect|went into effect)\b|시행", re.IGNORECASE)
_KO_AUTHORITY_PARTICLE = re.compile(r"(?:은|는|이|가|에서는|에서|측은|께서)(?![가-힣])")
_KO_TARGET_PARTICLE = re.compile(r"(?:을|를|에 대해|에 대한|에게|의)")
_KO_RELATIVE = re.compile(r"^[가-힣]{0,3}(?:한|된|했던|하는|중인)\s+")
_KO_COOPERATION = re.compile(r"\s*(?:에\s*)?(?:협조|공조|협력)")
_KO_PLANNED = re.compile(r"계획|예정|방침|추진|하겠|할 것|키로|기로|검토")
_KO_DENIED = re.compile(r"지 않|않았|않는|없다|없었|부인|거부")


@dataclass(frozen=True)
class Authority:
    role: str
    country: str | None


@dataclass(frozen=True)
class Country:
    code: str
    adjective: str
    words: frozenset[str]
    bodies: dict


@dataclass(frozen=True)
class AuthorityTable:
    tracks: dict[str, str]              # role -> track
    known: dict[str, Authority]         # canonical name -> role, country
    words: dict[str, str]               # role word (lower-case) -> role
    countries: dict[str, Country]
    generic: dict[str, dict]            # word -> {role: R} or {name_ends: S}: one body the article names
    acts: dict[str, tuple[str, ...]]    # action -> roles a country named as the actor stands for

    @classmethod
    def load(cls, path: str | Path = AUTHORITIES_PATH) -> "AuthorityTable":
        data = yamlfile.read(path, PatternError, "the authority table")
        tracks = dict(data.get("roles") or {})
        known = {}
        for name, spec in (data.get("authorities") or {}).items():
            if not isinstance(spec, dict) or spec.get("role") not in tracks:
                raise PatternError(path, f"authorities.{name}", f"needs a role, one of {', '.join(tracks)}")
            known[name] = Authority(spec["role"], spec.get("country"))
        words = {}
        for role, listed in (data.get("words") or {}).items():
            if role not in tracks:
                raise PatternError(path, f"words.{role}", f"unknown role (one of {', '.join(tracks)})")
            words.update({str(w).lower(): role for w in listed})
        countries = {code: Country(code, spec.get("adjective", code), frozenset(str(w).lower() for w in spec.get("words") or ()),
                                   dict(spec.get("bodies") or {}))
                     for code, spec in (data.get("countries") or {}).items()}
        generic = {str(w).lower(): dict(spec) for w, spec in (data.get("generic") or {}).items()}
        for w, spec in generic.items():
            if spec.get("role") not in tracks and not spec.get("name_ends"):
                raise PatternError(path, f"generic.{w}", "needs a role or a name_ends")
        acts = {action: tuple(roles) for action, roles in (data.get("acts") or {}).items()}
        return cls(tracks, known, words, countries, generic, acts)

    def authority(self, name: str) -> Authority:
        return self.known.get(name, Authority("agency", None))

    def track(self, role: str, action: str) -> str:
        """Which matter a role's action belongs to; a government acting through the criminal
        process (an arrest, a charge) works the criminal matter."""
        track = self.tracks.get(role, "own")
        if role == "government" and action in ("arrest", "prosecution", "court", "investigation"):
            return "criminal"
        if role == "government" and action == "legislation":
            return "legislative"
        return track

    def generic_body(self, word: str, country: str | None, agencies: list[str]) -> str | None:
        """The one body of the article a generic word ("the watchdog", "the commission") stands
        for, or None when the article names none or several."""
        spec = self.generic.get(word.lower())
        if spec is None:
            return None
        found = {n for n in agencies
                 if (n.endswith(spec["name_ends"]) if spec.get("name_ends") else self.authority(n).role == spec["role"])
                 and (country is None or self.authority(n).country == country)}
        return found.pop() if len(found) == 1 else None

    def country_body(self, country: str | None, action: str) -> tuple[str, str] | None:
        """(body, role) a country named as the actor stands for: "EU Investigates Meta" is the
        European Commission."""
        bodies = self.countries[country].bodies if country in self.countries else {}
        role = next((r for r in self.acts.get(action, ()) if r in bodies), None)
        return (bodies[role], role) if role else None

    def country_of_word(self, word: str) -> str | None:
        w = word.lower().strip(".,")
        for code, country in self.countries.items():
            if w in country.words:
                return code
        return None

    def body(self, role: str, country: str | None, word: str, named: dict | None = None) -> tuple[str, str | None]:
        """The name a role word stands for: the country's body for the role, else the one body of
        that role and country the article names, else '<adjective> <role>'."""
        if country is None:
            return word.lower(), None
        c = self.countries.get(country)
        if c is None:       # a country the gazetteer knows that nlp/authorities.yaml gives no bodies
            return (named[(role, country)] if named and (role, country) in named else word.lower()), country
        if role in c.bodies:
            return c.bodies[role], country
        if named and (role, country) in named:
            return named[(role, country)], country
        return f"{c.adjective} {_ROLE_LABELS.get(role, role)}", country


@lru_cache(maxsize=4)
def default_table(path: str = str(AUTHORITIES_PATH)) -> AuthorityTable:
    return AuthorityTable.load(path)


def stage_of(action: str, sentence: str) -> str:
    """The stage a statement reports: the action, with legislation split into bill, passed and
    in force (the three steps of a law)."""
    if action != "legislation":
        return {"prosecution": "charge"}.get(action, action)
    if _IN_FORCE.search(sentence):
        return "in force"
    if _PASSED.search(sentence):
        return "passed"
    return "bill"


def when_of(sentence: str, korean: bool = False) -> str | None:
    m = (_WHEN_KO if korean else _WHEN_EN).search(sentence)
    return m.group(0) if m else None


@dataclass
class Candidate:
    name: str
    type: str            # AGENCY PLATFORM ORG PERSON LAW (role words: AGENCY)
    start: int           # token index (English) or character offset (Korean) in the sentence
    end: int
    role: str | None = None
    country: str | None = None
    speaker: bool = False


def article_country(table: AuthorityTable, words: list[str], authorities: list[str]) -> str | None:
    """The country an article is about: its authorities' countries and country words, counted."""
    votes: Counter = Counter()
    for name in authorities:
        a = table.known.get(name)
        if a and a.country:
            votes[a.country] += 2
    for w in words:
        code = table.country_of_word(w)
        if code:
            votes[code] += 1
    if not votes:
        return None
    (best, n), *rest = votes.most_common(2) + [(None, 0)]
    return best if n > rest[0][1] else None


def _statement(table: AuthorityTable, action: str, sentence: str, authority: Candidate, target: Candidate,
               status: str, related: list[str], korean: bool) -> Statement:
    return Statement(authority=authority.name, role=authority.role or "agency", country=authority.country,
                     track=table.track(authority.role or "agency", action), action=action,
                     stage=stage_of(action, sentence), target=target.name, target_type=target.type,
                     status=status, when=when_of(sentence, korean), sentence=sentence,
                     related=sorted(set(related) - {target.name, authority.name}))


# -- English ---------------------------------------------------------------------------------
def english_statements(doc, table: AuthorityTable | None = None) -> list[Statement]:
    """Statements of a processed English Doc (doc._.pw_actions, doc._.pw_denied, doc._.pw_mentions)."""
    table = table or default_table()
    hits = [(h, False) for h in doc._.pw_actions or []] + [(h, True) for h in getattr(doc._, "pw_denied", None) or []]
    if not hits:
        return []
    mentions = doc._.pw_mentions or []
    country = article_country(table, [t.text for t in doc if t.is_alpha or "." in t.text or "'" in t.text],
                              [m.name for m in mentions if m.type == "AGENCY"])
    agencies = list(dict.fromkeys(m.name for m in mentions if m.type == "AGENCY"))
    named = named_authorities(table, agencies)
    out, seen = [], set()
    for hit, denied in sorted(hits, key=lambda h: h[0].start_char):
        token = _token_at(doc, hit.start_char)
        if token is None or any(m.start_char <= hit.start_char < m.end_char for m in mentions):
            continue        # "the National Office of Investigation" names an agency; it is no investigation
        sent = token.sent if doc.has_annotation("SENT_START") else doc[:]
        cands = _english_candidates(doc, sent, mentions, table, country, named, agencies)
        for st in _english_statement(doc, sent, token.i, token.i + max(1, len(hit.trigger.split())), hit.action,
                                     cands, denied, table):
            if (key := (st.authority, st.action, st.target, st.sentence)) not in seen:
                seen.add(key)
                out.append(st)
    return out


def _token_at(doc, char: int):
    for t in doc:
        if t.idx <= char < t.idx + max(1, len(t.text)):
            return t
    return None


def named_authorities(table: AuthorityTable, names: list[str]) -> dict[tuple[str, str], str]:
    """{(role, country): name} for each role and country the article names exactly one body of:
    "the regulator" in an article naming the Korea Communications Standards Commission is it."""
    found: dict[tuple[str, str], set[str]] = {}
    for name in names:
        a = table.known.get(name)
        if a and a.country and a.role != "government":     # "the government" is more than one ministry
            found.setdefault((a.role, a.country), set()).add(name)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def _english_candidates(doc, sent, mentions, table: AuthorityTable, article_cc: str | None,
                        named: dict | None = None, agencies: list[str] = ()) -> list[Candidate]:
    cands: list[Candidate] = []
    taken = set()
    for m in mentions:
        if not (sent.start_char <= m.start_char < sent.end_char):
            continue
        if m.type == "GPE":
            _country_candidate(doc, m, table, cands)
            continue
        span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        name = m.name if m.source == "gazetteer" or m.type not in TARGET_TYPES else _clean_name(m.name, m.type)
        if name is None:
            continue
        c = Candidate(name, m.type, span.start, span.end)
        if m.type == "AGENCY":
            a = table.authority(m.name)
            c.role, c.country = a.role, a.country
        cands.append(c)
        taken.update(range(span.start, span.end))
    for t in sent:
        if t.lower_ in table.generic and t.i not in taken and _role_word_is_actor(doc, t):
            before = doc[t.i - 1].text if t.i > sent.start else ""
            name = table.generic_body(t.text, table.country_of_word(before), list(agencies))
            if name is not None:
                a = table.authority(name)
                cands.append(Candidate(name, "AGENCY", t.i, t.i + 1, role=a.role, country=a.country))
            continue
        role = table.words.get(t.lower_)
        if role is None or t.i in taken or not _role_word_is_actor(doc, t):
            continue
        start, cc = t.i, None
        for j in range(t.i - 1, max(sent.start, t.i - 3) - 1, -1):     # "South Korean police", "French investigating judges"
            code = table.country_of_word(doc[j].text)
            if code:
                cc, start = code, j
                break
            if doc[j].is_punct:
                break
        if cc is None and t.i + 2 < sent.end and doc[t.i + 1].lower_ == "in":   # "investigators in South Korea"
            for j in range(t.i + 2, min(t.i + 4, sent.end)):
                cc = table.country_of_word(doc[j].text)
                if cc:
                    break
        if t.lower_ == "court" and cc is None:
            continue        # "the court" alone: which court is the article's business, not a guess
        name, country = table.body(role, cc or article_cc, t.text, named)
        cands.append(Candidate(name, "AGENCY", start, t.i + 1, role=role, country=country))
    for c in cands:
        if c.type == "PERSON":
            after = {x.lower_ for x in doc[c.end:min(c.end + 3, sent.end)]}
            before = {x.lower_ for x in doc[max(sent.start, c.start - 2):c.start]}
            c.speaker = bool(after & _SPEECH) or bool(before & {"said", "says", "told"})
    return sorted(cands, key=lambda c: c.start)


_MODIFIED = frozenset({"hearing", "hearings", "ruling", "rulings", "order", "orders", "case", "cases", "documents",
                       "date", "official", "officials", "agencies", "agency", "ministries", "spokesperson", "spokesman",
                       "source", "sources", "data", "records", "proceedings", "filing", "filings", "system", "approval",
                       "costs", "fees", "building", "decision", "decisions", "papers", "requests", "request", "policy",
                       "custody", "station", "chief", "report"})


def _country_candidate(doc, m, table: AuthorityTable, cands: list[Candidate]) -> None:
    """A country (GPE) that may be named as the actor: kept aside with type COUNTRY; its body
    is chosen for the action (AuthorityTable.country_body)."""
    code = next((c for w in m.name.split() if (c := table.country_of_word(w))), None)
    span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
    if code and span is not None:
        cands.append(Candidate(m.name, "COUNTRY", span.start, span.end, country=code))


def _clean_name(name: str, type_: str) -> str | None:
    """An NER name the gazetteer does not know, or None when it looks like junk: digits, more
    than four words, or all-capital titles glued to its front ("AL MVP Miguel Tejada"; a person
    keeps the name after them)."""
    words = name.split()
    caps = 0
    while caps < len(words) - 1 and len(words[caps]) > 1 and words[caps].isupper() and words[caps].isalpha():
        caps += 1
    if type_ == "PERSON":
        words = words[caps:]
    elif caps >= 2:
        return None
    if len(words) > 4 or any(ch.isdigit() for ch in name):
        return None
    return " ".join(words)


def _role_word_is_actor(doc, t) -> bool:
    """'court' in 'court hearing', 'government' in 'government officials' modifies another noun."""
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    return nxt is None or nxt.lower_ not in _MODIFIED


def _allowed(c: Candidate, action: str) -> bool:
    """An authority that may take the action, and that is named (a role word whose country nobody
    says - "investigators" - makes no case)."""
    if c.role is None or (c.role != "agency" and c.country is None and c.name == c.name.lower()):
        return False
    return c.role in _ACTION_ROLES.get(action, c.role)


def _target_types(action: str) -> tuple[str, ...]:
    return ("LAW",) if action == "legislation" else TARGET_TYPES


def _clause(doc, sent, t_start: int, t_end: int) -> tuple[int, int]:
    """The token range of the trigger's clause: from the last clause opener before it to the
    next one after it (a relative pronoun after a comma opens one too)."""
    def verb_follows(i: int) -> bool:
        for t in doc[i + 1:min(i + 9, sent.end)]:
            if t.is_punct:
                return False
            if t.lower_ in _FINITE or (t.lower_.endswith("ed") and not t.is_title):
                return True
        return False

    def opens(i: int) -> bool:
        t = doc[i]
        return (t.text in _CLAUSE_PUNCT or t.lower_ in _CLAUSE_WORDS
                or (t.lower_ in _CLAUSE_PREPS and verb_follows(i))
                or (t.lower_ in _RELATIVES and i > sent.start and doc[i - 1].text == ","))
    lo = next((i for i in range(t_start - 1, sent.start - 1, -1) if opens(i)), sent.start - 1) + 1
    hi = next((i for i in range(t_end, sent.end) if opens(i)), sent.end)
    return lo, hi


def _english_statement(doc, sent, t_start: int, t_end: int, action: str, cands: list[Candidate], denied: bool,
                       table: AuthorityTable) -> list[Statement]:
    """The trigger's statements: one, or one per target of a list ("asked Naver, Kakao and ..."),
    or none."""
    lo, hi = _clause(doc, sent, t_start, t_end)
    # an agent outside the clause still counts: "Telegram Takes Down Videos After Regulator's Request"
    cands = [c for c in cands if (c.start >= lo and c.end <= hi) or _possessive_agent(doc, c, sent)]
    authorities = [c for c in cands if c.type == "AGENCY" and _allowed(c, action)]
    targets = [c for c in cands if c.type in _target_types(action) and not c.speaker
               and (action in PLATFORM_ACTIONS or not _english_venue(doc, c, sent))]
    if not targets:
        return []
    passive = any(doc[i].lower_ in _PASSIVE_AUX for i in range(max(sent.start, t_start - 3), t_start))
    authority = _agent(doc, [c for c in authorities if -12 <= c.start - t_end <= 8], sent)
    if authority is None and not authorities:
        authority = _country_actor(doc, sent, t_start, t_end, action, cands, passive, table)
    if authority is None and passive:
        # an agentless passive ("Durov was charged in France") names no authority; one later in
        # the sentence belongs to another clause ("..., and as investigators in Korea look into")
        authority = next((c for c in reversed(authorities) if c.end <= t_start), None)
        if authority is None:
            return []
    if authority is None:
        if not authorities:
            return []
        authority = _nearest(authorities, t_start, t_end, before_first=True)
    targets = [c for c in targets if not (c.start < authority.end and authority.start < c.end)]
    if not targets:
        return []
    if action == "cooperation" and any(c is not authority and 0 <= c.start - t_end <= 4 for c in authorities):
        return []     # "seek cooperation from French investigators": authorities working together
    if action in PLATFORM_ACTIONS:
        platforms = [c for c in targets if c.type in ("PLATFORM", "ORG")] or targets
        target = min(platforms, key=lambda c: _distance(c, t_start, t_end))
    elif passive:
        before = [c for c in targets if c.end <= t_start]
        # after a passive trigger only a preposition brings the target ("an investigation was
        # opened into Telegram"; not "... was opened after Telegram's silence")
        target = before[-1] if before else _first_after(targets, t_end, doc, need_prep=True)
        if target is None:
            return []
    else:
        target = _first_after(targets, t_end, doc)
        if target is None:
            return []
    related = [c.name for c in targets if c.type in ("PLATFORM", "ORG")]
    leader = _leader(doc, target, targets, sent) if action not in PLATFORM_ACTIONS and target.type in ("PLATFORM", "ORG") else None
    chosen = [leader] if leader is not None else _conjoined(doc, target, targets)
    status = "denied" if denied and _hard_negation(doc, t_start, sent) else "planned" if _modal(doc, t_start, sent) else "happened"
    if denied and status != "denied":
        return []     # cancelled by "threats of", "refused to", ...: not a statement of anything
    text = " ".join(sent.text.split())
    return [_statement(table, action, text, authority, t, status, related, False) for t in chosen]


def _country_actor(doc, sent, t_start: int, t_end: int, action: str, cands: list[Candidate], passive: bool,
                   table: AuthorityTable) -> Candidate | None:
    """A country named as the actor, for want of any authority: right before an active trigger
    ("EU Investigates Meta", "the EU's probe"), not after a passive one ("Durov
    was charged in France" is no actor). It stands for the country's body for the action, if it has one."""
    for c in cands:
        if c.type != "COUNTRY":
            continue
        between = [t.lower_ for t in doc[c.end:t_start]] if c.end <= t_start else None
        # "Durov was charged in France" stays without authority: a country as the place of an
        # action does not say who acted (the labels' convention)
        if not passive and between is not None and len(between) <= 1 and all(w in ("'s", "\u2019s") for w in between):
            found = table.country_body(c.country, action)
            if found:
                return Candidate(found[0], "AGENCY", c.start, c.end, role=found[1], country=c.country)
    return None


def _english_venue(doc, c: Candidate, sent) -> bool:
    """'crimes committed on Telegram', 'Telegram chatrooms': the platform as the place, not the target."""
    if c.type != "PLATFORM":
        return False
    before = doc[c.start - 1].lower_ if c.start > sent.start else ""
    after = doc[c.end].lower_ if c.end < sent.end else ""
    return before in _VENUE_BEFORE or after in _VENUE_AFTER


_TARGET_PREPS = frozenset({"on", "against", "into"})
_REQUESTS = frozenset({"request", "requests", "order", "orders", "demand", "demands"})


def _possessive_agent(doc, c: Candidate, sent) -> bool:
    """"the regulator's request": the authority that asked."""
    return (c.type == "AGENCY" and c.end + 1 < sent.end and doc[c.end].lower_ in ("'s", "\u2019s")
            and doc[c.end + 1].lower_ in _REQUESTS)


def _agent(doc, authorities: list[Candidate], sent=None) -> Candidate | None:
    for c in authorities:
        if sent is not None and _possessive_agent(doc, c, sent):
            return c
        before = tuple(t.lower_ for t in doc[max(0, c.start - 3):c.start] if t.lower_ not in ("the", "its", "a"))
        if any(before[-len(cue):] == cue for cue in _AGENT_CUES):
            return c
    return None


def _distance(c: Candidate, t_start: int, t_end: int) -> int:
    return t_start - c.end if c.end <= t_start else c.start - t_end if c.start >= t_end else 0


def _nearest(cands: list[Candidate], t_start: int, t_end: int, before_first: bool) -> Candidate:
    before = [c for c in cands if c.end <= t_start]
    if before_first and before:
        return before[-1]
    return min(cands, key=lambda c: _distance(c, t_start, t_end))


def _first_after(cands: list[Candidate], t_end: int, doc=None, need_prep: bool = False) -> Candidate | None:
    """The first target after the trigger, within reach: at most 7 tokens on and no clause break
    between ("the probe, which started last week, came after Kim ..." names no target); 14
    tokens when a preposition introduces it ("a fine of 1.98 billion won (US$1.4 million) on
    AliExpress"), a parenthesis between counting for nothing."""
    for c in cands:
        if c.start >= t_end:
            if doc is None:
                return c if c.start - t_end <= 7 else None
            between, depth = [], 0
            for t in doc[t_end:c.start]:
                depth += (t.text == "(") - (t.text == ")")
                if depth == 0 and t.text not in "()":
                    between.append(t)
            prep = any(t.lower_ in _TARGET_PREPS for t in between)
            if need_prep and not prep:
                return None
            reach = 14 if prep else 7
            # "opened after Telegram's silence": what comes after "after" is a cause, not the target
            if len(between) <= reach and not any(t.text in (",", ";", ":", "—") or t.lower_ in _CLAUSE_PREPS
                                                 for t in between):
                return c
            return None
    return None


def _conjoined(doc, target: Candidate, targets: list[Candidate]) -> list[Candidate]:
    """The companies listed with the chosen one ("asked Naver, Kakao and other portals"): each
    gets its statement."""
    def joined(a: Candidate, b: Candidate) -> bool:
        gap = [t.lower_ for t in doc[a.end:b.start]]
        # companies only: a list of persons is as often judges or officials as targets
        return {a.type, b.type} <= {"PLATFORM", "ORG"} and 0 < len(gap) <= 2 and all(w in (",", "and", "or") for w in gap)
    ordered = sorted(targets, key=lambda c: c.start)
    i = next(k for k, c in enumerate(ordered) if c is target)
    lo, hi = i, i
    while lo > 0 and joined(ordered[lo - 1], ordered[lo]):
        lo -= 1
    while hi + 1 < len(ordered) and joined(ordered[hi], ordered[hi + 1]):
        hi += 1
    return ordered[lo:hi + 1]


def _leader(doc, org: Candidate, targets: list[Candidate], sent) -> Candidate | None:
    """'Telegram founder Pavel Durov', "Telegram's chief executive, Pavel Durov": the person."""
    for p in targets:
        if p.type == "PERSON" and 0 <= p.start - org.end <= 6:
            between = {t.lower_ for t in doc[org.end:p.start]}
            if between & _LEADER_WORDS:
                return p
        if p.type == "PERSON" and 0 <= org.start - p.end <= 10:        # "Pavel Durov, the founder of Telegram"
            between = {t.lower_ for t in doc[p.end:org.start]}
            if between & _LEADER_WORDS:
                return p
    return None


def _hard_negation(doc, t_start: int, sent) -> bool:
    return any(doc[i].lower_ in _HARD_NEGATIONS for i in range(max(sent.start, t_start - 4), t_start))


def _modal(doc, t_start: int, sent) -> bool:
    for i in range(t_start - 1, max(sent.start, t_start - 6) - 1, -1):
        if doc[i].is_punct:
            return False
        if doc[i].lower_ in _MODALS:
            return True
    return False


if not Doc.has_extension("pw_statements"):
    Doc.set_extension("pw_statements", default=None)


@Language.component("policywatch_statements")
def add_statements(doc: Doc) -> Doc:
    """Statements of the Doc's action hits (after policywatch_actions)."""
    doc._.pw_statements = english_statements(doc)
    return doc


# -- Korean ----------------------------------------------------------------------------------
def korean_statements(sentence: str, hits: list[tuple[str, int, int, bool]],
                      mentions: list[tuple[str, str, int, int]], article_cc: str | None = "KR",
                      table: AuthorityTable | None = None) -> list[Statement]:
    """Statements of one Korean sentence: `hits` are (action, start, end, negated) cue matches,
    `mentions` (name, type, start, end) the sentence's entities (nlp/korean.py)."""
    table = table or default_table()
    cands = _korean_candidates(sentence, mentions, table, article_cc)
    out = []
    for action, start, end, negated in hits:
        if any(c.start <= start < c.end for c in cands):
            continue            # 수사 in 수사당국: a name, not an action
        if action == "investigation" and _KO_COOPERATION.match(sentence, end):
            continue            # 수사 협조: cooperating with an investigation, told by its own cue
        st = _korean_statement(sentence, action, start, end, negated, cands, table)
        if st is not None and all((s.authority, s.action, s.target) != (st.authority, st.action, st.target) for s in out):
            out.append(st)
    return out


def _korean_candidates(sentence: str, mentions, table: AuthorityTable, article_cc: str | None) -> list[Candidate]:
    cands = []
    spans = []
    for name, type_, start, end in mentions:
        if type_ == "GPE":
            continue
        c = Candidate(name, type_, start, end)
        if type_ == "AGENCY":
            a = table.authority(name)
            c.role, c.country = a.role, a.country
        cands.append(c)
        spans.append((start, end))
    words = sorted((w for w, r in table.words.items() if re.search("[가-힣]", w)), key=len, reverse=True)
    if words:
        for m in re.finditer(r"(?<![가-힣])(%s)" % "|".join(map(re.escape, words)), sentence):
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue
            role = table.words[m.group(1)]
            prev = sentence[:m.start()].split()
            cc = table.country_of_word(prev[-1]) if prev else None
            start = m.start() - len(prev[-1]) - 1 if cc else m.start()
            name, country = table.body(role, cc or article_cc, m.group(1))
            cands.append(Candidate(name, "AGENCY", start, m.end(), role=role, country=country))
            spans.append((m.start(), m.end()))
    for c in cands:
        if c.type == "PERSON":      # "우종수 국가수사본부장은 ... 밝혔다": the official speaking
            c.speaker = bool(re.match(r"\s*\S*(?:장|관|대변인|의원|대표)(?:은|는|이|가)", sentence[c.end:c.end + 12]))
    return sorted(cands, key=lambda c: c.start)


def _korean_statement(sentence: str, action: str, t_start: int, t_end: int, negated: bool,
                      cands: list[Candidate], table: AuthorityTable) -> Statement | None:
    authorities = [c for c in cands if c.type == "AGENCY" and _allowed(c, action)]
    targets = [c for c in cands if c.type in _target_types(action) and not c.speaker
               and (action in PLATFORM_ACTIONS or c.type != "PLATFORM" or not _KO_VENUE.match(sentence[c.end:c.end + 14]))]
    if not authorities or not targets:
        return None
    # "두로프를 기소한 프랑스 수사당국": the trigger modifies the authority that follows it
    rel = _KO_RELATIVE.match(sentence[t_end:])
    authority = None
    if rel:
        authority = next((c for c in authorities if t_end + rel.end() - 1 <= c.start <= t_end + rel.end() + 6), None)
    if authority is None:
        def rank(c: Candidate):
            marked = _KO_AUTHORITY_PARTICLE.match(sentence[c.end:c.end + 4]) is not None
            return (not marked, c.start > t_start, abs(t_start - c.start))
        authority = min(authorities, key=rank)
    if action == "cooperation" and any(re.match(r"[과와]\s*(?:\S+\s+)?$", sentence[c.end:t_start]) for c in authorities):
        return None     # "프랑스 수사당국과 공조": authorities working together
    if action in PLATFORM_ACTIONS:
        platforms = [c for c in targets if c.type in ("PLATFORM", "ORG")] or targets
        target = min(platforms, key=lambda c: abs(t_start - c.start))
    else:
        def rank_t(c: Candidate):
            marked = _KO_TARGET_PARTICLE.match(sentence[c.end:c.end + 5]) is not None
            return (not marked, c.start > t_start, abs(t_start - c.start))
        target = min(targets, key=rank_t)
        if action in PERSON_ACTIONS and target.type in ("PLATFORM", "ORG"):
            person = next((p for p in targets if p.type == "PERSON" and 0 < p.start - target.end <= 12), None)
            if person is not None:
                target = person
    tail = sentence[t_end:t_end + 16]
    if negated:
        if not _KO_DENIED.search(tail):
            return None
        status = "denied"
    else:
        status = "planned" if _KO_PLANNED.search(tail) else "happened"
    related = [c.name for c in targets if c.type in ("PLATFORM", "ORG")]
    return _statement(table, action, sentence, authority, target, status, related, True)
