"""Cases: statements of many articles merged into one matter, with its stages in time order.

A case is one authority - or the authorities of one country working one track (the police,
prosecutors and courts of a criminal matter; the regulators of an administrative one; the
legislature of a bill) - acting on one target. Its id hashes the normalised authority key and
target name, so it is the same whatever the outlet or language that reported it and whichever
backend stores the statements (both give `Index.statements`; this module does the rest).

Each stage (investigation -> arrest -> charge -> court -> penalty; bill -> passed -> in force;
a regulator's takedown requests, ...) keeps its first report, every source that reported it
and the evidence sentences; near-duplicate copies of one story (index/dedup.py clusters) count
as one story.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable

from .base import StatementRow
from .document import StatementRef, case_id, case_key   # noqa: F401  (the case ids live with the statement)

# the usual order of a matter's steps: the tie-break when two stages are first reported the same day
STAGE_ORDER = ("investigation", "arrest", "charge", "court", "penalty", "bill", "passed", "in force",
               "regulation", "takedown", "cooperation", "legislation")
COUNTRY_NAMES = {"KR": "South Korea", "FR": "France", "GB": "United Kingdom", "US": "United States",
                 "EU": "European Union", "BR": "Brazil", "AU": "Australia", "IE": "Ireland", "DE": "Germany",
                 "CN": "China"}


def case_names(statements: Iterable[StatementRef]) -> set[str]:
    """The names statements put in their cases (authority, target, related), casefolded: what the
    backends look up for `cases --entity/--authority/--target` (CaseFilter keeps the exact test)."""
    return {n.casefold() for st in statements for n in (st.authority, st.target, *st.related)}


# -- dates -------------------------------------------------------------------------------
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {m: i for i, ms in enumerate((("jan",), ("feb",), ("mar",), ("apr",), ("may",), ("jun",), ("jul",),
                                        ("aug",), ("sep",), ("oct",), ("nov",), ("dec",)), 1) for m in ms}


def _month(word: str) -> int | None:
    return _MONTHS.get(word.lower()[:3])


def _before(d: date, published: date) -> date:
    return d if d <= published else d.replace(year=d.year - 1)


def _month_back(d: date, months: int = 1) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(y, m + 1, 1)


def _day(base: date, day: int) -> date | None:
    try:
        return base.replace(day=day)
    except ValueError:
        return None


def action_date(when: str | None, published: str | None) -> str | None:
    """The date (YYYY-MM-DD) a statement's action took place: its date phrase ("on Monday",
    "Sept. 2", "지난달 28일") read against the publication date, else the publication date."""
    if not published:
        return None
    try:
        pub = datetime.fromisoformat(published).date()
    except ValueError:
        return None
    return (_resolve(when, pub) or pub).isoformat() if when else pub.isoformat()


def _resolve(when: str, pub: date) -> date | None:
    w = when.lower()
    for i, name in enumerate(_WEEKDAYS):
        if name in w:
            back = (pub.weekday() - i) % 7 or (7 if "last" in w else 0)
            return pub - timedelta(days=back)
    if "yesterday" in w:
        return pub - timedelta(days=1)
    if "last week" in w or "지난주" in w:
        return pub - timedelta(days=7)
    if m := re.search(r"(?:(\d{1,2})월\s*)?(\d{1,2})일", when):              # Korean: 9월 26일, 3일
        base = _month_back(pub) if "지난달" in when else pub.replace(day=1)
        if m.group(1):
            base = _before(date(pub.year, int(m.group(1)), 1), pub)
        d = _day(base, int(m.group(2)))
        if d and d > pub and not m.group(1) and "지난달" not in when:
            d = _day(_month_back(pub), int(m.group(2)))
        return d
    if "지난달" in when:
        return _month_back(pub)
    if m := re.search(r"([A-Za-z]+)\.? (\d{1,2})(?:, (\d{4}))?", when):
        month = _month(m.group(1))
        if month and m.group(1).lower() not in ("in", "on", "since"):
            d = date(int(m.group(3) or pub.year), month, 1)
            d = _day(d, int(m.group(2)))
            return d if m.group(3) or d is None else _before(d, pub)
    if m := re.search(r"(?:in|since) ([A-Za-z]+)\.?(?: (\d{4}))?", when):
        month = _month(m.group(1))
        if month:
            d = date(int(m.group(2) or pub.year), month, 1)
            return d if m.group(2) else _before(d, pub)
    return None


# -- cases -------------------------------------------------------------------------------
@dataclass
class Report:
    date: str | None          # when the action took place (action_date)
    published: str | None
    source: str
    url: str
    title: str
    article: str
    cluster: str
    language: str | None
    authority: str
    status: str
    sentence: str

    def record(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Stage:
    name: str
    reports: list[Report] = field(default_factory=list)

    @property
    def first(self) -> Report:
        return self.reports[0]

    @property
    def date(self) -> str | None:
        return min((r.date for r in self.reports if r.date), default=None)

    @property
    def status(self) -> str:
        found = {r.status for r in self.reports}
        return next((s for s in ("happened", "planned", "denied") if s in found), "happened")

    @property
    def sources(self) -> list[str]:
        return sorted({r.source for r in self.reports})

    @property
    def stories(self) -> int:
        return len({r.cluster for r in self.reports})

    def record(self) -> dict:
        return {"stage": self.name, "date": self.date, "status": self.status, "stories": self.stories,
                "sources": self.sources, "first": self.first.record(),
                "reports": [r.record() for r in self.reports]}


@dataclass
class Case:
    id: str
    country: str | None
    track: str
    target: str
    target_type: str
    authorities: list[str]
    related: list[str]
    stages: list[Stage]

    @property
    def first(self) -> str | None:
        return min((s.date for s in self.stages if s.date), default=None)

    @property
    def last(self) -> str | None:
        return max((r.date for s in self.stages for r in s.reports if r.date), default=None)

    @property
    def current(self) -> str:
        """The latest stage that happened (else the latest one)."""
        happened = [s for s in self.stages if s.status == "happened"] or self.stages
        return happened[-1].name

    @property
    def sources(self) -> list[str]:
        return sorted({r.source for s in self.stages for r in s.reports})

    @property
    def languages(self) -> list[str]:
        return sorted({r.language or "?" for s in self.stages for r in s.reports})

    @property
    def stories(self) -> int:
        return len({r.cluster for s in self.stages for r in s.reports})

    @property
    def title(self) -> str:
        who = COUNTRY_NAMES.get(self.country, self.country) if self.country and self.track != "own" else self.authorities[0]
        what = {"criminal": "criminal case", "regulatory": "regulatory action", "legislative": "legislation"}.get(
            self.track, "action")
        return f"{who}: {what} against {self.target}" if self.track != "legislative" else f"{who}: {what} on {self.target}"

    def names(self) -> set[str]:
        return {self.target, *self.authorities, *self.related}

    def record(self, reports: bool = True) -> dict:
        out = {"id": self.id, "title": self.title, "country": self.country, "track": self.track,
               "target": self.target, "target_type": self.target_type, "authorities": self.authorities,
               "related": self.related, "first": self.first, "last": self.last, "current": self.current,
               "sources": self.sources, "languages": self.languages, "stories": self.stories,
               "stages": [s.record() if reports else {k: v for k, v in s.record().items() if k != "reports"}
                          for s in self.stages]}
        return out


def build(rows: Iterable[StatementRow]) -> list[Case]:
    """Merge statements into cases; cases newest first (by their latest report), stages in time order."""
    grouped: dict[str, list[tuple[StatementRow, str | None]]] = {}
    for row in rows:
        grouped.setdefault(case_id(row.statement), []).append((row, action_date(row.statement.when, row.published)))
    return sorted((_case(cid, members) for cid, members in grouped.items()),
                  key=lambda c: (c.last or "", c.id), reverse=True)


def _case(cid: str, members: list[tuple[StatementRow, str | None]]) -> Case:
    members.sort(key=lambda m: (m[1] or "9999", m[0].published or "", m[0].article))
    stages: dict[str, Stage] = {}
    seen = set()
    authorities: dict[str, int] = {}
    related: set[str] = set()
    for row, when in members:
        st = row.statement
        authorities[st.authority] = authorities.get(st.authority, 0) + 1
        related.update(st.related)
        if (st.stage, row.article, st.sentence) in seen:        # one report per stage, article and sentence
            continue
        seen.add((st.stage, row.article, st.sentence))
        stages.setdefault(st.stage, Stage(st.stage)).reports.append(Report(
            date=when, published=row.published, source=row.source, url=row.url, title=row.title,
            article=row.article, cluster=row.cluster or row.article, language=row.language,
            authority=st.authority, status=st.status, sentence=st.sentence))
    first = members[0][0].statement
    ordered = sorted(stages.values(), key=lambda s: (s.date or "9999", _stage_rank(s.name)))
    target_type = first.target_type
    return Case(id=cid, country=first.country if first.track != "own" else None, track=first.track,
                target=first.target, target_type=target_type,
                authorities=sorted(authorities, key=lambda a: (-authorities[a], a)),
                related=sorted(related - {first.target}), stages=ordered)


def _stage_rank(name: str) -> int:
    return STAGE_ORDER.index(name) if name in STAGE_ORDER else len(STAGE_ORDER)


@dataclass
class CaseFilter:
    """What `policywatch cases` and the web's cases list narrow by; names are canonical."""
    text: str | None = None          # words every one of which the case's names or sentences contain
    entity: str | None = None        # authority, target or related
    authority: str | None = None
    target: str | None = None
    country: str | None = None
    stage: str | None = None
    date_from: str | None = None     # YYYY-MM-DD: a report on or after
    date_to: str | None = None       # YYYY-MM-DD: a report before
    changed_since: str | None = None  # YYYY-MM-DD: a stage first reported on or after

    def keeps(self, case: Case) -> bool:
        fold = str.casefold
        if self.entity and fold(self.entity) not in {fold(n) for n in case.names()}:
            return False
        if self.authority and fold(self.authority) not in {fold(a) for a in case.authorities}:
            return False
        if self.target and fold(self.target) != fold(case.target):
            return False
        if self.country and fold(self.country) not in {fold(case.country or ""), fold(COUNTRY_NAMES.get(case.country, ""))}:
            return False
        if self.stage and self.stage not in {s.name for s in case.stages}:
            return False
        dates = [r.date for s in case.stages for r in s.reports if r.date]
        if self.date_from and not any(d >= self.date_from for d in dates):
            return False
        if self.date_to and not any(d < self.date_to for d in dates):
            return False
        if self.changed_since and not any((s.date or "") >= self.changed_since for s in case.stages):
            return False
        if self.text:
            hay = fold(" ".join([case.title, *case.names(), *(r.sentence for s in case.stages for r in s.reports)]))
            if not all(fold(w) in hay for w in self.text.split()):
                return False
        return True


def find(index, flt: CaseFilter | None = None) -> list[Case]:
    """The cases of an index that pass the filter, newest first. A name to filter by reads only
    the statements of the cases naming it (the index looks them up), not every statement."""
    flt = flt or CaseFilter()
    name = flt.target or flt.authority or flt.entity
    rows = index.statements(names=[name]) if name else index.statements()
    return [c for c in build(rows) if flt.keeps(c)]


def get(index, cid: str) -> Case | None:
    cases = build(index.statements(case=cid))
    return cases[0] if cases else None


def for_entity(index, name: str) -> dict[str, list[Case]]:
    """An entity's cases: as authority, as target, and where it is otherwise named."""
    out: dict[str, list[Case]] = {"authority": [], "target": [], "related": []}
    fold = name.casefold()
    for c in find(index, CaseFilter(entity=name)):
        role = ("target" if c.target.casefold() == fold else
                "authority" if fold in {a.casefold() for a in c.authorities} else "related")
        out[role].append(c)
    return out
