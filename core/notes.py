"""One-line hints for answers that came back empty or may not mean what was asked: an unknown
outlet, an entity the index has never seen, lower-case operators. The CLI prints them on stderr;
the web app shows them above the results. Each takes an open index; none changes the answer."""
from __future__ import annotations

import difflib

from index import SearchRequest
from index.query import Filter, MatchAll, Node, QueryError, filter_values
from index.query import notes as query_notes

NEAREST = 3


def outlets(index) -> list[str]:
    """Every outlet the index holds articles from."""
    result = index.search(SearchRequest(query=MatchAll(), limit=0, facets=True))
    return sorted(name for name, _ in result.facets.get("source", []))


def languages(index) -> list[str]:
    """Every language code the index holds articles in."""
    result = index.search(SearchRequest(query=MatchAll(), limit=0, facets=True))
    return sorted(code for code, _ in result.facets.get("language", []) if code)


def search_notes(index, text: str | None, query: Node, total: int) -> list[str]:
    """Hints for a search: lower-case operators always; when nothing matched, each filter value
    the index has never seen (an outlet, a language code, an entity) with the known ones."""
    found = query_notes(text)
    if total:
        return found
    asked = filter_values(query, "source")
    if asked:
        known = outlets(index)
        found += [f"no source named {name} (known: {', '.join(known) or 'none yet'})"
                  for name in asked if name not in known]
    asked = filter_values(query, "lang")
    if asked:
        known = languages(index)
        found += [f"no articles in language '{code}' (known: {', '.join(known) or 'none yet'}; "
                  "ISO 639-1 codes such as en, ko)" for code in asked if code.lower() not in known]
    found += [note for name in filter_values(query, "entity") if (note := entity_note(index, name))]
    return found


def nearest_entities(index, name: str) -> list[str]:
    """The known entity names closest in spelling to name (most mentioned first when none is close)."""
    known = [e.name for e in index.entity_counts(MatchAll(), None, 5000)]
    by_lower: dict[str, str] = {}
    for known_name in known:
        by_lower.setdefault(known_name.casefold(), known_name)
    close = difflib.get_close_matches(name.casefold(), list(by_lower), NEAREST, 0.5)
    return [by_lower[n] for n in close]


def members(groups: dict[str, list[str]], name: str) -> list[str]:
    """The outlets of collection `name`; an unknown one is a QueryError naming the known ones."""
    if name not in groups:
        raise QueryError(f"unknown collection '{name}' (known: {', '.join(sorted(groups)) or 'none'}; "
                         "collections are set per source in the sources file)")
    return groups[name]


def entity_note(index, name: str) -> str | None:
    """None when some article mentions the entity; else a hint naming the nearest known entities."""
    if index.entity_counts(Filter("entity", name), None, 1):
        return None
    close = nearest_entities(index, name)
    return f"no articles mention {name}" + (f"; nearest known names: {', '.join(close)}" if close else
                                             " and no known name is close")
