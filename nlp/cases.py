"""Who acts against whom: one statement per action sentence (authority, action, target).

Each action hit of an article (nlp/actions.py for English, nlp/korean.py for Korean) becomes a
:class:`~nlp.model.Statement` when its sentence names an authority and a target:

- **Authorities** are AGENCY entities (their role and country from ``authorities.yaml``) and
  role words ("police", "prosecutors", 경찰, 검찰) resolved to the country's body: the country
  is the one an adjective right before the word gives ("French judges", "South Korean police"),
  else the article's (Korean text; else the country its names and place words point to most).
- **Targets** are platforms, companies and persons (for legislation also laws); a person
  quoted as speaking ("Woo said", "told reporters") is no target.
- **Rules over spans, checked against the parse.** English: an agent after "by", "at the request of" or
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

With a parser model (the Analyzer passes its own), each English action sentence is parsed
(nlp/dependencies.py) and only the authorities and targets that fill a slot of the trigger's
predicate, or stand in its clause, are left to these rules (docs/cases.md, "Quality").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from common import yamlfile

from . import dependencies
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
_ROLE_LABELS = {"police": "police", "prosecutor": "prosecutors", "court": "court", "legislature": "legislature",
                "regulator": "regulator", "government": "authorities", "agency": "agency"}
# a person titled so is the court, never its target ("U.S. District Judge Lucy Koh", "the judge, Colleen ...")
_BENCH_TITLES = frozenset({"judge", "judges", "justice", "justices", "magistrate", "senior"})
_STAFF = frozenset({"executives", "employees", "officials", "members", "directors", "managers", "staff", "workers",
                    "officers", "executive", "employee", "official", "member", "director", "manager"})
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
    heads: dict[str, str] = field(default_factory=dict)   # last word of a body the table lacks -> role

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
        heads = {}
        for role, listed in (data.get("heads") or {}).items():
            if role not in tracks:
                raise PatternError(path, f"heads.{role}", f"unknown role (one of {', '.join(tracks)})")
            heads.update({str(w).lower(): role for w in listed})
        return cls(tracks, known, words, countries, heads)

    def headed(self, name: str) -> str | None:
        """The role of an organisation the table lacks, by its head word: 'Utah Supreme Court' is a
        court, 'Serious Fraud Investigation Office' an agency; None for any other organisation."""
        words = name.replace("’", "'").split()
        return self.heads.get(words[-1].lower()) if len(words) > 1 else None

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

    def country_of_word(self, word: str) -> str | None:
        w = word.lower().strip(".,")
        for code, country in self.countries.items():
            if w in country.words or word.lower() in country.words:     # "U.K." as well as "UK,"
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
def english_statements(doc, table: AuthorityTable | None = None, parser_model: str | None = None) -> list[Statement]:
    """Statements of a processed English Doc (doc._.pw_actions, doc._.pw_denied, doc._.pw_mentions).
    With ``parser_model``, the action sentences are parsed (nlp/dependencies.py) and an authority
    or target counts only when it fills a slot of the trigger's predicate."""
    table = table or default_table()
    hits = [(h, False) for h in doc._.pw_actions or []] + [(h, True) for h in getattr(doc._, "pw_denied", None) or []]
    if not hits:
        return []
    mentions = doc._.pw_mentions or []
    country = article_country(table, [t.text for t in doc if t.is_alpha or "." in t.text or "'" in t.text],
                              [m.name for m in mentions if m.type == "AGENCY"])
    named = named_authorities(table, [m.name for m in mentions if m.type == "AGENCY"])
    out, seen = [], set()
    found = []
    for hit, denied in sorted(hits, key=lambda h: h[0].start_char):
        token = _token_at(doc, hit.start_char)
        if token is None or any(m.start_char <= hit.start_char < m.end_char for m in mentions):
            continue        # "the National Office of Investigation" names an agency; it is no investigation
        found.append((hit, denied, token, token.sent if doc.has_annotation("SENT_START") else doc[:]))
    parsed = {}
    if parser_model and found:
        sents = list({s.start: s for *_, s in found}.values())
        parsed = dict(zip((s.start for s in sents), dependencies.parse(parser_model, sents)))
    for hit, denied, token, sent in found:
        cands = _english_candidates(doc, sent, mentions, table, country, named)
        t_start, t_end = token.i, token.i + max(1, len(hit.trigger.split()))
        if sent.start in parsed and hit.action == "court":
            # the court itself as trigger ("a U.K. court ordered"): its verb is the action
            verb = dependencies.ruling_verb(parsed[sent.start][token.i - sent.start])
            if verb is not None:
                t_start = t_end = verb.i + sent.start
                t_end += 1
        if sent.start in parsed:
            cands = _in_slots(parsed[sent.start], sent.start, t_start, t_end, cands, hit.action)
        st = _english_statement(doc, sent, t_start, t_end, hit.action, cands, denied, table)
        if st is not None and (key := (st.authority, st.action, st.target, st.sentence)) not in seen:
            seen.add(key)
            out.append(st)
    return out


def _in_slots(parsed, offset: int, t_start: int, t_end: int, cands: list[Candidate], action: str) -> list[Candidate]:
    """The candidates that fill a slot of the trigger's predicate: authorities among its actors,
    targets among those it acts upon (nlp/dependencies.py). A takedown or cooperation is the
    platform's own act, asked for in many shapes ("at the regulator's request", "flagged by the
    KCSC", "after South Korean regulator's request"): only its platform is held to the slots."""
    trigger = dependencies.root(parsed, t_start - offset, t_end - offset)
    if dependencies.hypothetical(trigger):
        return []
    actors, patients = dependencies.arguments(trigger, ruling=action == "court")
    # a pronoun or "the company" in a slot stands for a company named before it
    anaphor = min((i + offset for i in patients if parsed[i].lower_ in dependencies.ANAPHORS), default=None)

    def fills(c: Candidate) -> bool:
        if c.type == "AGENCY" and action in PLATFORM_ACTIONS:
            return True
        if c.type in ("PLATFORM", "ORG") and anaphor is not None and c.end <= anaphor:
            return True
        slots = actors if c.type == "AGENCY" else patients
        if any(i - offset in slots for i in range(c.start, c.end)):
            return True
        head = dependencies.root(parsed, c.start - offset, c.end - offset)
        return dependencies.in_clause(trigger, head)
    return [c for c in cands if fills(c)]


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
                        named: dict | None = None) -> list[Candidate]:
    cands: list[Candidate] = []
    taken = set()
    for m in mentions:
        if not (sent.start_char <= m.start_char < sent.end_char) or m.type == "GPE":
            continue
        span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        c = Candidate(m.name, m.type, span.start, span.end)
        if m.type == "ORG" and table.headed(m.name):
            # an organisation named like a body ("Utah Supreme Court") acts as one; it is no target
            c = Candidate(m.name, "AGENCY", span.start, span.end, role=table.headed(m.name),
                          country=_country_before(doc, table, span.start, sent) or article_cc)
        elif m.type == "AGENCY":
            a = table.authority(m.name)
            c.role, c.country = a.role, a.country
        cands.append(c)
        taken.update(range(span.start, span.end))
    for t in sent:
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


def _country_before(doc, table: AuthorityTable, start: int, sent) -> str | None:
    for j in range(start, max(sent.start, start - 3) - 1, -1):
        code = table.country_of_word(doc[j].text)
        if code:
            return code
    return None


_MODIFIED = frozenset({"hearing", "hearings", "ruling", "rulings", "order", "orders", "case", "cases", "documents",
                       "date", "official", "officials", "agencies", "agency", "ministries", "spokesperson", "spokesman",
                       "source", "sources", "data", "records", "proceedings", "filing", "filings", "system", "approval",
                       "costs", "fees", "building", "decision", "decisions", "papers", "requests", "request", "policy",
                       "custody", "station", "chief", "report"})


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


def _english_statement(doc, sent, t_start: int, t_end: int, action: str, cands: list[Candidate], denied: bool,
                       table: AuthorityTable) -> Statement | None:
    authorities = [c for c in cands if c.type == "AGENCY" and _allowed(c, action)]
    targets = [c for c in cands if c.type in _target_types(action) and not c.speaker and not _on_the_bench(doc, c, sent)
               and (action in PLATFORM_ACTIONS or not _english_venue(doc, c, sent))]
    if not targets:
        return None
    passive = any(doc[i].lower_ in _PASSIVE_AUX for i in range(max(sent.start, t_start - 3), t_start))
    authority = _agent(doc, [c for c in authorities if -12 <= c.start - t_end <= 8])
    if authority is None and passive:
        # an agentless passive ("Durov was charged in France") names no authority; one later in
        # the sentence belongs to another clause ("..., and as investigators in Korea look into")
        authority = next((c for c in reversed(authorities) if c.end <= t_start), None)
        if authority is None:
            return None
    if authority is None:
        if not authorities:
            return None
        authority = _nearest(authorities, t_start, t_end, before_first=True)
    targets = [c for c in targets if not (c.start < authority.end and authority.start < c.end)]
    if not targets:
        return None
    if action == "cooperation" and any(c is not authority and 0 <= c.start - t_end <= 4 for c in authorities):
        return None     # "seek cooperation from French investigators": authorities working together
    if action in PLATFORM_ACTIONS:
        platforms = [c for c in targets if c.type in ("PLATFORM", "ORG")] or targets
        target = min(platforms, key=lambda c: _distance(c, t_start, t_end))
    elif passive:
        before = [c for c in targets if c.end <= t_start]
        target = before[-1] if before else _first_after(targets, t_end, doc)
        if target is None:
            return None
    else:
        target = _first_after(targets, t_end, doc)
        if target is None:
            return None
    if action in PERSON_ACTIONS and target.type == "ORG" and target.start >= 2 and doc[target.start - 1].lower_ == "of" \
            and doc[target.start - 2].lower_ in _STAFF:
        return None     # "arrested two former executives of Anglo Irish Bank": unnamed people, not the bank
    related = [c.name for c in targets if c.type in ("PLATFORM", "ORG")]
    if action not in PLATFORM_ACTIONS and target.type in ("PLATFORM", "ORG"):
        leader = _leader(doc, target, targets, sent)
        if leader is not None:
            target = leader
    status = "denied" if denied and _hard_negation(doc, t_start, sent) else "planned" if _modal(doc, t_start, sent) else "happened"
    if denied and status != "denied":
        return None     # cancelled by "threats of", "refused to", ...: not a statement of anything
    return _statement(table, action, " ".join(sent.text.split()), authority, target, status, related, False)


def _on_the_bench(doc, c: Candidate, sent) -> bool:
    """'Judge Merrick Garland', 'judges Mary Briscoe, Bobby Baldock', 'The judge, Colleen Kollar-Kotelly':
    a judge named by title sits on the case; the court's target is someone else."""
    if c.type != "PERSON":
        return False
    before = [t.lower_ for t in doc[max(sent.start, c.start - 3):c.start]]
    return bool(set(before) & _BENCH_TITLES)


def _english_venue(doc, c: Candidate, sent) -> bool:
    """'crimes committed on Telegram', 'Telegram chatrooms': the platform as the place, not the target."""
    if c.type != "PLATFORM":
        return False
    before = doc[c.start - 1].lower_ if c.start > sent.start else ""
    after = doc[c.end].lower_ if c.end < sent.end else ""
    return before in _VENUE_BEFORE or after in _VENUE_AFTER


def _agent(doc, authorities: list[Candidate]) -> Candidate | None:
    for c in authorities:
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


def _first_after(cands: list[Candidate], t_end: int, doc=None) -> Candidate | None:
    """The first target after the trigger, within reach: at most 7 tokens on and no clause break
    between ("the probe, which started last week, came after Kim ..." names no target)."""
    for c in cands:
        if c.start >= t_end:
            between = doc[t_end:c.start] if doc is not None else []
            if c.start - t_end <= 7 and not any(t.text in (",", ";", ":", "(", "—") for t in between):
                return c
            return None
    return None


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


@Language.factory("policywatch_statements", default_config={"parser_model": None})
def make_statements(nlp: Language, name: str, parser_model: str | None):
    """Statements of the Doc's action hits (after policywatch_actions); ``parser_model`` names the
    spaCy model whose parser reads the action sentences (None: rules over spans alone)."""
    def add_statements(doc: Doc) -> Doc:
        doc._.pw_statements = english_statements(doc, parser_model=parser_model)
        return doc
    return add_statements


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
        if any(a != action and s2 >= end and not sentence[end:s2].strip() for a, s2, _, _ in hits):
            continue            # 수사 협조: a Korean compound is its last noun's (cooperation), not an investigation
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
