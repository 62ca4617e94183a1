"""PolicyWatch's query language, parsed once into a small tree that each backend compiles.

    words             deepfake telegram          (default operator AND)
    "quoted phrases"  "sexually explicit"
    AND / OR / NOT    telegram AND (police OR prosecutors) NOT durov   (upper case; `-word` = NOT word)
    prefix*           investig*                  (matches unstemmed words starting so)
    filters           source:yonhap lang:en entity:"Pavel Durov" type:AGENCY action:investigation
                      collection:korea           (the outlets the sources file puts in that collection)

User text never reaches a backend's own query syntax: backends compile this tree instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Union

from common.errors import BadUsage
from nlp.model import ACTION_TAGS as ACTIONS, ENTITY_TYPES   # defined once, in nlp/

FILTER_FIELDS = ("source", "lang", "entity", "type", "action", "collection")

# How deep parentheses and NOTs may nest along one branch. Real queries use two or three levels;
# the limit keeps hostile input from exhausting Python's stack or a backend's parser.
MAX_DEPTH = 20

# Same notion of a word as SQLite's unicode61 tokenizer and Elasticsearch's standard tokenizer:
# runs of letters and digits; everything else separates.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def type_filter(value: str) -> "Filter":
    """type:VALUE, checked: the one rule for query text and the web's facet fields alike."""
    if value.upper() not in ENTITY_TYPES:
        raise QueryError(f"unknown entity type '{value}' — use one of: " + ", ".join(ENTITY_TYPES))
    return Filter("type", value.upper())


def action_filter(value: str) -> "Filter":
    """action:VALUE, checked."""
    if value.lower() not in ACTIONS:
        raise QueryError(f"unknown action '{value}' — use one of: " + ", ".join(ACTIONS))
    return Filter("action", value.lower())


class QueryError(BadUsage):
    """A malformed query; str() is a one-line message fit for a user."""

    def user_message(self) -> str:
        return f"bad query: {self}"


@dataclass(frozen=True)
class Text:
    words: tuple[str, ...]      # lower-cased tokens; more than one = phrase
    prefix: bool = False        # last word is a prefix

@dataclass(frozen=True)
class Filter:
    field: str
    value: str

@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]

@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]

@dataclass(frozen=True)
class Not:
    item: "Node"

@dataclass(frozen=True)
class MatchAll:
    pass

@dataclass(frozen=True)
class Indexed:
    """Articles first written to the index from `start` (inclusive; None: any time) to `end`
    (exclusive), ISO 8601 UTC in the sortable form (common.dates.utc_text). Not part of the
    language: alerts AND it with a query to find what is new to them (alerts/run.py)."""
    start: str | None
    end: str


Node = Union[Text, Filter, And, Or, Not, MatchAll, Indexed]

_TOKEN_RE = re.compile(r'''\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<field>[A-Za-z]+):(?P<fq>"[^"]*"|[^\s()"]*)|(?P<phrase>"[^"]*")|(?P<word>[^\s()"]+)|(?P<bad>"))''')


def _lex(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("lp"):
            tokens.append(("(", "("))
        elif m.group("rp"):
            tokens.append((")", ")"))
        elif m.group("field") is not None and m.group("field").lower() in FILTER_FIELDS:
            value = m.group("fq")
            if value.startswith('"'):
                value = value[1:-1]
            tokens.append(("filter", m.group("field").lower() + ":" + value))
        elif m.group("field") is not None:
            raise QueryError(f"unknown filter '{m.group('field')}:' — use one of: "
                             + ", ".join(f + ":" for f in FILTER_FIELDS))
        elif m.group("phrase"):
            tokens.append(("phrase", m.group("phrase")[1:-1]))
        elif m.group("bad"):
            raise QueryError('unbalanced quote: every " needs a closing "')
        else:
            word = m.group("word")
            if word in ("AND", "OR", "NOT"):
                tokens.append((word, word))
            else:
                tokens.append(("word", word))
    return tokens


class _Parser:
    def __init__(self, tokens, resolve_entity, resolve_collection=None):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.resolve_entity = resolve_entity
        self.resolve_collection = resolve_collection

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"nested too deeply: at most {MAX_DEPTH} levels of parentheses and NOT")

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("empty query")
        node = self.or_expr()
        kind, value = self.peek()
        if kind == ")":
            raise QueryError("unbalanced parenthesis: ')' without '('")
        if kind is not None:
            raise QueryError(f"unexpected '{value}'")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.peek()[0] == "OR":
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while True:
            kind, _ = self.peek()
            if kind == "AND":
                self.take()
                items.append(self.unary())
            elif kind in ("word", "phrase", "filter", "(", "NOT"):
                items.append(self.unary())
            else:
                break
        items = [n for n in items if not isinstance(n, MatchAll)] or [MatchAll()]
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        kind, value = self.peek()
        if kind == "NOT":
            self.take()
            if self.peek()[0] in (None, ")", "AND", "OR"):
                raise QueryError("NOT needs something after it")
            return self.negated()
        if kind == "word" and value.startswith("-") and len(value) > 1:
            self.take()
            self.tokens.insert(self.i, ("word", value[1:]))
            return self.negated()
        return self.primary()

    def negated(self) -> Node:
        self.deeper()
        node = Not(self.unary())
        self.depth -= 1
        return node

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "(":
            if self.peek()[0] == ")":
                raise QueryError("empty parentheses")
            self.deeper()
            node = self.or_expr()
            if self.take()[0] != ")":
                raise QueryError("unbalanced parenthesis: '(' without ')'")
            self.depth -= 1
            return node
        if kind == "phrase":
            words = tuple(w.lower() for w in WORD_RE.findall(value))
            if not words:
                raise QueryError('empty phrase ""')
            return Text(words)
        if kind == "word":
            prefix = value.endswith("*")
            words = tuple(w.lower() for w in WORD_RE.findall(value.rstrip("*")))
            if not words:
                if value.strip("*") == "":
                    raise QueryError("a prefix needs at least one letter before '*'")
                return MatchAll()   # punctuation only: nothing to search for
            return Text(words, prefix)
        if kind == "filter":
            return self.filter(value)
        if kind in ("AND", "OR"):
            raise QueryError(f"{kind} needs a term on both sides")
        if kind == ")":
            raise QueryError("unbalanced parenthesis: ')' without '('")
        raise QueryError("query ends too early")

    def filter(self, token: str) -> Node:
        field, value = token.split(":", 1)
        value = value.strip()
        if not value:
            raise QueryError(f"{field}: needs a value, e.g. {field}:{_EXAMPLES[field]}")
        if field in ("source", "lang"):
            return Filter(field, value.lower())
        if field == "type":
            return type_filter(value)
        if field == "action":
            return action_filter(value)
        if field == "collection":
            return collection_filter(value, self.resolve_collection)
        canonical = self.resolve_entity(value) if self.resolve_entity else None
        return Filter("entity", canonical or value)


_EXAMPLES = {"source": "yonhap", "lang": "en", "entity": '"Pavel Durov"', "type": "AGENCY",
             "action": "investigation", "collection": "korea"}


def collection_filter(name: str, resolve_collection: Callable[[str], list[str]] | None) -> Node:
    """A collection is resolved to its outlets when the query is read, never stored on articles:
    editing a collection in the sources file re-sorts every article already indexed, and both
    backends see only source: filters. Raises QueryError for a collection nobody defined."""
    sources = resolve_collection(name.lower()) if resolve_collection else []
    if not sources:
        raise QueryError(f"unknown collection '{name}' — collections are set per source in the sources file "
                         "(collections: [korea, wire])")
    items = tuple(Filter("source", s.lower()) for s in sources)
    return items[0] if len(items) == 1 else Or(items)


def parse(text: str, resolve_entity: Callable[[str], str | None] | None = None,
          resolve_collection: Callable[[str], list[str]] | None = None) -> Node:
    """Parse a query; raises QueryError with a one-line message. Blank text matches everything.
    resolve_collection(name) gives the outlets in a collection ([] when unknown)."""
    if text is None or not text.strip():
        return MatchAll()
    return _Parser(_lex(text), resolve_entity, resolve_collection).parse()


def notes(text: str | None) -> list[str]:
    """Hints about a query that parsed but may not mean what was meant: lower-case operators."""
    if not text or not text.strip():
        return []
    try:
        tokens = _lex(text)
    except QueryError:
        return []
    found = dict.fromkeys(v for k, v in tokens if k == "word" and v in ("or", "and", "not"))
    return [f"'{word}' is searched as a word; operators are upper case ({word.upper()})" for word in found]


def filter_values(node: Node, field: str) -> list[str]:
    """The values of one filter field anywhere in a query tree (source:x -> ['x'])."""
    if isinstance(node, Filter):
        return [node.value] if node.field == field else []
    if isinstance(node, (And, Or)):
        return [v for item in node.items for v in filter_values(item, field)]
    if isinstance(node, Not):
        return filter_values(node.item, field)
    return []


def positive_texts(node: Node) -> list[Text]:
    """Text leaves not under a NOT: what relevance and highlighting are about."""
    if isinstance(node, Text):
        return [node]
    if isinstance(node, (And, Or)):
        return [t for item in node.items for t in positive_texts(item)]
    return []
