"""Issue 23: PolicyWatch's templates name stock analysis parts only (index/elastic/stock.py),
our es/ module registers those same names (plus the legacy pw_* ones), and the stock chains give
the same words as the legacy pw_unicode61 / pw_remove_diacritics chains — and as SQLite FTS5.

The first tests need no node. The `es` ones run both chains through _analyze on the node at
POLICYWATCH_ES_URL; the legacy chains exist only on our es/ node (skipped elsewhere)."""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from index.elastic import folding
from index.elastic.schema import CJK, NORI, load_template, mapping
from index.elastic.stock import BUILTIN, COMMON, LEGACY, NORI as NORI_MODULE, STOCK, parts

ROOT = Path(__file__).resolve().parent.parent
# the module's sources: shared (main, byscroll) and per Elasticsearch version (es8, es9)
JAVA = ROOT / "es" / "src"
MAPPINGS = sorted(p.stem for p in (ROOT / "index" / "elastic").glob("*.json"))


def outside(spec: dict, allowed: set[str]) -> list[tuple[str, str]]:
    return sorted((kind, name) for kind, name in parts(spec) if STOCK.get(kind, {}).get(name) not in allowed)


def test_every_listed_stock_name_says_where_it_comes_from():
    assert {m for names in STOCK.values() for m in names.values()} == {BUILTIN, COMMON, NORI_MODULE}


@pytest.mark.parametrize("name", MAPPINGS)
def test_every_template_and_mapping_names_stock_parts_only(name):
    spec = load_template() if name == "template" else mapping(name)
    assert outside(spec, {BUILTIN, COMMON, NORI_MODULE}) == []


def test_the_template_names_what_it_analyses_with():
    found = parts(load_template())
    assert {("tokenizer", "pattern"), ("char_filter", "mapping"), ("char_filter", "pattern_replace"),
            ("filter", "porter_stem"), ("tokenizer", "nori_tokenizer")} <= found
    assert not {name for _, name in found if name.startswith("pw_")}      # every own name resolved to its type


def test_the_template_without_nori_needs_no_plugin():
    spec = load_template(CJK)
    assert outside(spec, {BUILTIN, COMMON}) == []
    props = spec["template"]["mappings"]["properties"]
    assert props["title_ko"]["analyzer"] == props["body_ko"]["analyzer"] == "pw_korean_cjk"
    assert spec["template"]["mappings"]["_meta"]["korean_analysis"] == CJK
    assert load_template(NORI)["template"]["mappings"]["_meta"]["korean_analysis"] == NORI


def test_a_part_outside_the_list_is_caught():
    spec = load_template()
    spec["template"]["settings"]["index"]["analysis"]["analyzer"]["pw_exact"]["filter"].append("pw_remove_diacritics")
    spec["template"]["mappings"]["properties"]["title"]["search_analyzer"] = "icu_analyzer"
    assert outside(spec, {BUILTIN, COMMON, NORI_MODULE}) == [("analyzer", "icu_analyzer"),
                                                              ("filter", "pw_remove_diacritics")]


# ---------------------------------------------------------------- the es/ module's registrations
_KIND_OF_CLASS = {"PreConfiguredTokenizer": "tokenizer", "PreConfiguredTokenFilter": "filter",
                  "PreConfiguredCharFilter": "char_filter", "PreBuiltAnalyzerProviderFactory": "analyzer"}
_KIND_OF_FACTORY = {"TokenizerFactory": "tokenizer", "TokenFilterFactory": "filter", "CharFilterFactory": "char_filter",
                    "AnalyzerProvider": "analyzer"}
_PRECONFIGURED = re.compile(r"(?:new (PreBuiltAnalyzerProviderFactory)|(PreConfigured\w+)\.\w+)\(\s*\"([^\"]+)\"")
_PROVIDER_MAP = re.compile(r"static Map<String, AnalysisProvider<(\w+)[^{]*\{(.*?)\n    \}", re.S)
_PUT = re.compile(r"(?:\.put|Map\.of)\(\s*\"([^\"]+)\",")


def registered() -> set[tuple[str, str]]:
    """(kind, name) of every analysis part the es/ module's Java sources register."""
    found = set()
    for path in JAVA.rglob("*.java"):
        source = path.read_text(encoding="utf-8")
        for analyzer, cls, name in _PRECONFIGURED.findall(source):
            found.add((_KIND_OF_CLASS[analyzer or cls], name))
        for factory, body in _PROVIDER_MAP.findall(source):
            found.update((_KIND_OF_FACTORY[factory], name) for name in _PUT.findall(body))
    return found


def test_the_es_module_registers_stock_names_and_the_legacy_ones_only():
    found = registered()
    legacy = {(kind, name) for kind, names in LEGACY.items() for name in names}
    # the parser reads every form the module uses (a form it missed would hide a name)
    assert {("tokenizer", "pattern"), ("char_filter", "mapping"), ("filter", "cjk_bigram"), ("analyzer", "english"),
            ("analyzer", "nori"), ("tokenizer", "nori_tokenizer"), ("filter", "truncate")} <= found
    assert legacy <= found
    assert sorted(found - legacy - {(k, n) for k, names in STOCK.items() for n in names}) == []
    # what the template needs from analysis-common and analysis-nori, the module has
    needed = {p for p in parts(load_template()) | parts(load_template(CJK)) if STOCK[p[0]][p[1]] != BUILTIN}
    assert needed <= found


# ---------------------------------------------------------------- FTS5's remove_diacritics 2
def test_folding_is_fts5s_remove_diacritics_2():
    table = folding.table()
    assert 400 < len(table) < 600
    assert folding.scan(0x10000, 0x10FFFF) == {}         # nothing beyond the BMP folds: table() need not look
    assert (table["é"], table["É"], table["ǘ"], table["Ǘ"], table["\u212b"]) == ("e", "E", "u", "U", "A")
    for kept in "ßøłæđħŀάйΩ":
        assert kept not in table
    assert folding.fold("Ǘber Straße NAÏVE e\u0301cole") == "uber straße naive ecole"
    assert all(rule == f"{c} => {b}" for rule, (c, b) in zip(folding.rules(), table.items()))
    # folding keeps case, so the template may fold before `lowercase` (the legacy chain folded after)
    for code in range(0x80, 0x10000):
        c = chr(code)
        if len(c.lower()) == 1:
            assert folding.fold(c) == folding.fold(c.lower()), hex(code)


# ---------------------------------------------------------------- on a node
AWKWARD = [
    "15.1 per cent, 3,000 users, v2.0 and 1.5m",                 # decimals split, like FTS5
    "Durov's lawyer, the company’s rules, l'État, rock'n'roll",  # possessives and apostrophes
    "Straße STRASSE Øresund Łódź Æther ǅemal",                    # not folded (but lower-cased)
    "Ǘ ǘ ḉ Ḉ ệ Ệ e\u0301\u0323 a\u0308\u0301 \u0301 x\u0301y",   # stacked and loose marks
    "Ἄλφα ά ΐ Ωμέγα Йод й",                                        # Greek tonos, Cyrillic: kept
    "Pavel\u00a0Durov\u202fsaid\u2009it\u200bworks",              # no-break, thin and zero-width spaces
    "x" * 2500 + " " + "é" * 1030,                                # long runs: 1024-character tokens
    "한국어Telegram 텔레그램의 경찰청이 日本語テキスト 中文",         # Hangul, CJK, Latin glued
    "😀emoji 🇫🇷 ✓done ①② ²³ Ⅻ ﬁle",                              # symbols separate; numbers and letters join
    "e-mail cyber-crime — 2024–09 #hashtag @user https://t.me/durov",  # hyphens, dashes, URLs
    "İstanbul ÅNGSTRÖM \u212bngstrom \u212aelvin",                 # case and compatibility letters
]


@pytest.fixture(scope="module")
def client():
    from conftest import ES_URL, require_es
    require_es()
    from elasticsearch import Elasticsearch
    es = Elasticsearch(ES_URL)
    yield es
    es.close()


def chain(spec: dict, analyzer: str) -> dict:
    """_analyze arguments for one of the template's analyzers, its own parts inlined."""
    analysis = spec["template"]["settings"]["index"]["analysis"]
    a = analysis["analyzer"][analyzer]
    return {"char_filter": [analysis["char_filter"][c] for c in a.get("char_filter", [])],
            "tokenizer": analysis.get("tokenizer", {}).get(a["tokenizer"], a["tokenizer"]), "filter": a["filter"]}


LEGACY_CHAINS = {"pw_stemmed": {"tokenizer": "pw_unicode61", "filter": ["lowercase", "pw_remove_diacritics", "porter_stem"]},
                 "pw_exact": {"tokenizer": "pw_unicode61", "filter": ["lowercase", "pw_remove_diacritics"]}}


def tokens(client, text: str, **chain_args) -> list[tuple[str, int]]:
    r = client.indices.analyze(text=text, **chain_args)
    return [(t["token"], t["position"]) for t in r["tokens"]]


def legacy_available(client) -> bool:
    from elasticsearch import BadRequestError
    try:
        client.indices.analyze(tokenizer="pw_unicode61", text="x")
        return True
    except BadRequestError:
        return False


def same_words(old: list[tuple[str, int]], new: list[tuple[str, int]]) -> bool:
    """The legacy chain's tokens, less the empty token it made of a word that was only marks
    (which FTS5 drops too), are the new chain's, at the same relative positions."""
    kept = [(t, p) for t, p in old if t]
    gaps = {p for t, p in old if not t}
    shift = lambda p: p - sum(1 for g in gaps if g < p)
    return [(t, shift(p)) for t, p in kept] == new


@pytest.mark.es
@pytest.mark.parametrize("analyzer", ["pw_stemmed", "pw_exact"])
def test_stock_chains_give_the_legacy_chains_words(client, analyzer):
    if not legacy_available(client):
        pytest.skip("this node has no legacy pw_unicode61 (only PolicyWatch's es/ node registers it)")
    new_chain = chain(load_template(), analyzer)
    for text in AWKWARD:
        old, new = tokens(client, text, **LEGACY_CHAINS[analyzer]), tokens(client, text, **new_chain)
        assert same_words(old, new), text
    # every assigned code point of planes 0-2, between letters and alone
    for start in range(0, 0x30000, 4096):       # 2 tokens a character: under 10,000
        chars = [chr(c) for c in range(start, start + 4096)
                 if not 0xD800 <= c < 0xE000 and unicodedata.category(chr(c)) != "Cn"]
        text = " ".join(f"a{c}b{c}" for c in chars)
        assert tokens(client, text, **LEGACY_CHAINS[analyzer]) == tokens(client, text, **new_chain), hex(start)


@pytest.mark.es
def test_stock_chains_on_awkward_input(client):
    """What the words are, on any node with analysis-common (stock Elasticsearch, OpenSearch, ours)."""
    stemmed = chain(load_template(), "pw_stemmed")
    words = lambda text: [t for t, _ in tokens(client, text, **stemmed)]
    assert words(AWKWARD[0]) == ["15", "1", "per", "cent", "3", "000", "user", "v2", "0", "and", "1", "5m"]
    assert words("Durov's l'État") == ["durov", "s", "l", "etat"]
    assert words("Straße Øresund Łódź ǘ e\u0301\u0323 \u0301 x") == ["straße", "øresund", "łodz", "u", "e", "x"]
    assert words("Ἄλφα Йод") == ["ἄλφα", "йод"]
    assert words("Pavel\u00a0Durov\u202fsaid") == ["pavel", "durov", "said"]
    assert [len(w) for w in words("x" * 2500)] == [1024, 1024, 452]
    assert words("한국어Telegram 日本語 😀emoji e-mail") == ["한국어telegram", "日本語", "emoji", "e", "mail"]


def fts5_words(text: str) -> list[str]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.execute("INSERT INTO t(rowid, x) VALUES (1, ?)", (text,))
    return [term for term, in db.execute("SELECT term FROM v ORDER BY offset")]


# Porter stemmers differ on a word with a letter outside ASCII: Lucene's takes ß for a consonant
# (straße: m=1 and ends consonant-vowel-consonant, so the e stays), FTS5's does not. The legacy
# chain stemmed as Lucene does too.
PORTER_DIFFERENCES = {"straße": "straß"}


@pytest.mark.es
def test_stock_chains_give_fts5s_words(client):
    """SQLite FTS5's own tokenizer on the same input. Known differences, left out here: FTS5 keeps a
    run longer than 1024 characters whole (Lucene refuses terms over 32,766 bytes), its Unicode
    tables are version 6.1 (characters added since are separators for it), and PORTER_DIFFERENCES."""
    stemmed = chain(load_template(), "pw_stemmed")
    for text in AWKWARD:
        if len(text) > 1000:
            continue
        words = [PORTER_DIFFERENCES.get(t, t) for t, _ in tokens(client, text, **stemmed)]
        assert words == fts5_words(text), text
