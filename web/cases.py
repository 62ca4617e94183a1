"""The cases list, a case page and an entity's cases (index/cases.py), for pages and the JSON API."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index import cases

from .errors import BadRequest, NotFound

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class CaseForm:
    authority: str = ""
    target: str = ""
    country: str = ""
    stage: str = ""
    since: str = ""            # changed since: a stage first reported on or after this day

    def filter(self, services) -> cases.CaseFilter:
        if self.since and not _DAY.match(self.since):
            raise BadRequest(f"bad date '{self.since}': use YYYY-MM-DD")
        return cases.CaseFilter(authority=services.canonical(self.authority) if self.authority else None,
                                target=services.canonical(self.target) if self.target else None,
                                country=self.country or None, stage=self.stage or None,
                                changed_since=self.since or None)


def case_list(services, form: CaseForm) -> list[cases.Case]:
    return cases.find(services.index, form.filter(services))


def case(services, case_id: str) -> cases.Case:
    found = cases.get(services.index, case_id.strip().lower())
    if found is None:
        raise NotFound(f"no case {case_id}")
    return found
