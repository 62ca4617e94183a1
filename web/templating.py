"""The Jinja2 environment: autoescaping on, and the few filters and helpers the templates share."""
from __future__ import annotations

from datetime import timezone
from pathlib import Path

import jinja2
from fastapi.templating import Jinja2Templates

from common.dates import parse_iso
from nlp.model import ACTION_TAGS as ACTIONS, ENTITY_TYPES

from .urls import article_url, case_url, entity_url

TYPE_LABELS = {"PERSON": "Person", "AGENCY": "Agency", "PLATFORM": "Platform", "ORG": "Organisation",
               "GPE": "Place", "LAW": "Law"}


def day(value: str | None) -> str:
    """'2024-08-26T14:05:00+09:00' → '26 Aug 2024'."""
    moment = parse_iso(value)
    return f"{moment.day} {moment:%b %Y}" if moment else (value or "")


def utc_day(value: str | None) -> str:
    """The UTC day of a date-time, as YYYY-MM-DD: what a from/to filter of that day matches."""
    moment = parse_iso(value)
    if not moment:
        return ""
    return moment.astimezone(timezone.utc).date().isoformat()


def day_time(value: str | None) -> str:
    """'2024-08-26T14:05:00+09:00' → '26 Aug 2024, 14:05 (UTC+09:00)'; a bare date stays a date."""
    moment = parse_iso(value)
    if not moment or len(value) <= 10:
        return day(value)
    text = f"{moment.day} {moment:%b %Y}, {moment:%H:%M}"
    offset = moment.strftime("%z")
    if offset in ("+0000", "-0000"):
        return text + " (UTC)"
    return text + (f" (UTC{offset[:3]}:{offset[3:]})" if offset else "")


# how the language facet and article pages name a language code (others show as the code)
LANGUAGE_LABELS = {"en": "English", "ko": "Korean (한국어)", "fr": "French", "de": "German", "ja": "Japanese",
                   "zh": "Chinese", "es": "Spanish"}


def build(directory: Path | None = None) -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(directory or Path(__file__).with_name("templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(day=day, utc_day=utc_day, day_time=day_time, type_label=lambda t: TYPE_LABELS.get(t, t or ""),
                       language_label=lambda code: LANGUAGE_LABELS.get((code or "").lower(), code or ""))
    env.globals.update(entity_url=entity_url, article_url=article_url, case_url=case_url, ENTITY_TYPES=ENTITY_TYPES,
                       ACTIONS=ACTIONS, TYPE_LABELS=TYPE_LABELS)
    return Jinja2Templates(env=env)
