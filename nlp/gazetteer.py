"""The user-editable gazetteer: canonical names, types, aliases.

The default file is ``nlp/gazetteer.yaml``; user files are merged on top of it,
an entry with the same canonical name replacing the default one whole (and an
entry with ``disabled: true`` removing it). See the header of the YAML file for
the format.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from common import yamlfile

from .errors import GazetteerError
from .model import ENTITY_TYPES

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).with_name("gazetteer.yaml")

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


_ACRONYM = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Z0-9&.]{1,5}")


def is_acronym(name: str) -> bool:
    """A short all-capitals name: EU, KCC, E.U., GDPR (two capitals or more, up to six characters)."""
    return _ACRONYM.fullmatch(name) is not None


def name_key(name: str) -> str:
    """Lookup key for a name: case-folded, single-spaced, straight apostrophes,
    without a leading "the" or a trailing possessive.

    "The European Commission's" and "european commission" share a key, so
    resolve() accepts the forms that appear in running text.
    """
    text = " ".join(name.replace("\u2019", "'").replace("\u2018", "'").split())
    text = _LEADING_THE.sub("", text)
    if text.endswith("'s"):
        text = text[:-2]
    elif text.endswith("s'"):  # plural possessive: "Prosecutors'" -> "Prosecutors"
        text = text[:-1]
    return text.rstrip().casefold()


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    # True when the name or an alias is also an ordinary English word ("Line",
    # "Signal"); such matches are ignored where capitalisation says nothing,
    # i.e. in headline-cased text.
    common_word: bool = False
    # Aliases others use too ("Democratic Party", "Commission"): they link only when the
    # article also has the full name, another unambiguous alias or a `context` word.
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    # Aliases of one language (`aliases_fr: [UE, ONU]`), as (language, alias): they link only in
    # text of that language — "UE" is the EU in French and Spanish, not in English.
    language_aliases: tuple[tuple[str, str], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *dict.fromkeys(a for _, a in self.language_aliases))

    def needs_context(self, surface: str) -> bool:
        return name_key(surface) in {name_key(a) for a in self.ambiguous}

    def confirmed_by(self, text: str) -> bool:
        """Whether the article names this entity unambiguously somewhere (case as written)."""
        cues = [n for n in self.names if not self.needs_context(n)] + list(self.context)
        return any(re.search(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", text) for cue in cues)


class Gazetteer:
    """Canonical entities with their aliases, indexed for case-insensitive lookup."""

    def __init__(self, entries: Iterable[GazetteerEntry] = (), ignore: Iterable[str] = ()) -> None:
        self._entries: dict[str, GazetteerEntry] = {}
        self._index: dict[str, GazetteerEntry] = {}
        self.ignore: frozenset[str] = frozenset(name_key(n) for n in ignore)
        for entry in entries:
            self._entries[name_key(entry.name)] = entry
        self._reindex()

    # -- loading ---------------------------------------------------------
    @classmethod
    def load(
        cls, paths: Iterable[str | Path] | None = None, *, include_default: bool = True
    ) -> "Gazetteer":
        """Load the default gazetteer, then merge each file of ``paths`` over it.

        Later files win: an entry replaces any earlier entry with the same
        canonical name (compared case-insensitively). ``ignore`` lists are
        unioned.
        """
        files: list[Path] = [DEFAULT_PATH] if include_default else []
        for p in paths or ():
            path = Path(p)
            if path.resolve() not in {f.resolve() for f in files}:
                files.append(path)
        merged: dict[str, GazetteerEntry] = {}
        ignore: set[str] = set()
        for path in files:
            entries, disabled, file_ignore = _read_file(path)
            for key in disabled:
                merged.pop(key, None)
            for entry in entries:
                key = name_key(entry.name)
                if key in merged:
                    logger.debug("%s overrides gazetteer entry %s", path, entry.name)
                merged[key] = entry
            ignore.update(file_ignore)
        gazetteer = cls(merged.values(), ignore)
        logger.info("loaded %d gazetteer entries from %d file(s)", len(gazetteer.entries), len(files))
        return gazetteer

    def _reindex(self) -> None:
        self._index = {}
        # Canonical names first so that an alias never shadows another entry's
        # canonical name.
        for entry in self._entries.values():
            for alias in entry.names[1:]:
                key = name_key(alias)
                other = self._index.get(key)
                if other is not None and other.name != entry.name:
                    logger.warning("alias %r of %s also names %s; keeping the later", alias, entry.name, other.name)
                self._index[key] = entry
        for entry in self._entries.values():
            self._index[name_key(entry.name)] = entry
        # Acronyms ("EU", "KCC", "NIS") match only as written: the Portuguese "Eu" (I), the
        # English "nis" or "Kcc" are other words. A key that some entry also spells otherwise
        # ("Line", "LINE") keeps the usual case rules.
        spellings: dict[str, set[str]] = {}
        for entry in self._entries.values():
            for text in entry.names:
                spellings.setdefault(name_key(text), set()).add(text)
        self._acronyms = {key: names for key, names in spellings.items() if all(map(is_acronym, names))}
        # A name that only aliases of some languages use applies to text of those languages alone.
        # (A plain alias or canonical name of any entry makes it apply everywhere.)
        everywhere = {name_key(n) for e in self._entries.values() for n in (e.name, *e.aliases)}
        self._languages: dict[str, set[str]] = {}
        for entry in self._entries.values():
            for lang, alias in entry.language_aliases:
                if name_key(alias) not in everywhere:
                    self._languages.setdefault(name_key(alias), set()).add(lang)

    # -- queries ---------------------------------------------------------
    @property
    def entries(self) -> list[GazetteerEntry]:
        return list(self._entries.values())

    def get(self, name: str) -> GazetteerEntry | None:
        """The entry that ``name`` (canonical or alias, in any running-text form) names."""
        return self._index.get(name_key(name))

    def resolve(self, name: str) -> tuple[str, str] | None:
        entry = self.get(name)
        return (entry.name, entry.type) if entry else None

    def aliases(self, canonical: str) -> list[str]:
        entry = self._entries.get(name_key(canonical))
        return list(entry.names[1:]) if entry else []

    def wrong_case(self, surface: str) -> bool:
        """Whether `surface` matches only acronyms, and none of them as written ("Eu" for "EU")."""
        acronyms = self._acronyms.get(name_key(surface))
        return acronyms is not None and surface not in acronyms

    def applies(self, surface: str, language: str | None) -> bool:
        """Whether `surface` may link in text of `language` (None = unknown, read as English, as
        the analyzer reads it): a name that only some languages' aliases use ("UE") applies to
        text of those languages alone."""
        languages = self._languages.get(name_key(surface))
        return languages is None or (language or "en").split("-")[0].lower() in languages

    def is_ignored(self, name: str) -> bool:
        return name_key(name) in self.ignore

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def patterns(self) -> list[dict]:
        """Phrase patterns for spaCy's span/entity ruler; ``id`` carries the canonical name.

        Each name is added as written and, when it has a typographic
        apostrophe variant, as that too: the tokeniser normalises "’s" but
        the ruler is fed the pattern text as written.
        """
        patterns = []
        for entry in self._entries.values():
            seen: set[str] = set()
            for text in entry.names:
                for variant in (text, text.replace("'", "\u2019")):
                    if variant not in seen:
                        seen.add(variant)
                        patterns.append({"label": entry.type, "pattern": variant, "id": entry.name})
        return patterns


def _read_file(path: Path) -> tuple[list[GazetteerEntry], list[str], list[str]]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yamlfile.load(fh) or {}
    except yaml.YAMLError as exc:
        raise GazetteerError(path, "file", f"not valid YAML: {exc}") from exc
    except FileNotFoundError:
        raise GazetteerError(path, "file", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(path, "file", f"cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if not isinstance(data, dict):
        raise GazetteerError(path, "file", "expected a mapping with 'entries' (and optionally 'ignore')")
    entries: list[GazetteerEntry] = []
    disabled: list[str] = []
    for i, raw in enumerate(data.get("entries") or []):
        where = f"entries[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            raise GazetteerError(path, where, "each entry needs a non-empty 'name'")
        if raw.get("disabled"):
            disabled.append(name_key(raw["name"]))
            continue
        etype = raw.get("type")
        if etype not in ENTITY_TYPES:
            raise GazetteerError(path, where, f"type {etype!r} of {raw['name']!r} is not one of {', '.join(ENTITY_TYPES)}")
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise GazetteerError(path, where, f"aliases of {raw['name']!r} must be a list of strings")
        ambiguous, context = raw.get("ambiguous") or [], raw.get("context") or []
        for key, values in (("ambiguous", ambiguous), ("context", context)):
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise GazetteerError(path, where, f"{key} of {raw['name']!r} must be a list of strings")
        if {name_key(a) for a in ambiguous} - {name_key(a) for a in aliases}:
            raise GazetteerError(path, where, f"ambiguous names of {raw['name']!r} must be among its aliases")
        language_aliases = []
        for key in sorted(k for k in raw if isinstance(k, str) and k.startswith("aliases_")):
            lang, values = key[len("aliases_"):], raw[key]
            if not re.fullmatch(r"[a-z]{2}", lang):
                raise GazetteerError(path, where, f"{key} of {raw['name']!r}: the language after aliases_ is a "
                                     "two-letter ISO 639-1 code (aliases_fr, aliases_ko)")
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise GazetteerError(path, where, f"{key} of {raw['name']!r} must be a list of strings")
            language_aliases += [(lang, " ".join(v.split())) for v in values]
        wikidata = raw.get("wikidata")
        if wikidata is not None and not re.fullmatch(r"Q\d+", str(wikidata)):
            raise GazetteerError(path, where, f"wikidata id {wikidata!r} of {raw['name']!r} is not like Q123")
        entries.append(
            GazetteerEntry(
                name=" ".join(raw["name"].split()),
                type=etype,
                aliases=tuple(" ".join(a.split()) for a in aliases),
                wikidata=str(wikidata) if wikidata else None,
                common_word=bool(raw.get("common_word", False)),
                ambiguous=tuple(" ".join(a.split()) for a in ambiguous),
                context=tuple(" ".join(c.split()) for c in context),
                language_aliases=tuple(language_aliases),
            )
        )
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
        raise GazetteerError(path, "ignore", "must be a list of strings")
    return entries, disabled, ignore
