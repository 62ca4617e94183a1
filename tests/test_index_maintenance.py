"""Index upkeep: `reindex` (Elasticsearch, no search downtime), `copy` between any two indexes,
`flush` — through the functions and through the CLI."""
from __future__ import annotations

import threading
import uuid

import pytest

from index import Article, IndexConfigError, SearchRequest, content_hash, open_index, parse
from index.maintenance import copy, flush, reindex

from conftest import ES_PARAMS, es_node, run_cli
from test_index_contract import CORPUS
from test_index_incremental import WIRE, make


def filler(n: int) -> list[Article]:
    out = []
    for i in range(n):
        title = f"Committee hearing number {i} on platform accountability"
        body = [f"Lawmakers questioned executives at hearing {i} about content moderation and data protection."]
        out.append(Article(id=f"f{i}", url=f"https://filler.example/{i}", source="filler", title=title, body=body,
                           published=f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}T08:00:00+00:00", language="en",
                           content_hash=content_hash(title, body)))
    return out


@pytest.fixture(params=ES_PARAMS)
def es_collection(request):
    """A fresh collection on each Elasticsearch node (8 and 9: reindex is the es/ module's own on both)."""
    url = f"{es_node(request.param)}/pw-test-{uuid.uuid4().hex[:10]}"
    yield url
    ix = open_index(url)
    ix.drop()
    ix.close()


@pytest.mark.es
def test_reindex_keeps_search_working(es_collection):
    ix = open_index(es_collection)
    ix.write(CORPUS + filler(3000))
    ix.refresh()
    seen, errors, stop = [], [], threading.Event()

    def search_meanwhile():
        reader = open_index(es_collection)
        while not stop.is_set():
            try:
                result = reader.search(SearchRequest(parse("telegram"), limit=10))
                seen.append(sorted(h.id for h in result.hits))
            except Exception as exc:        # any failure at all is what this test is about
                errors.append(exc)
        reader.close()

    thread = threading.Thread(target=search_meanwhile)
    thread.start()
    try:
        result = reindex(es_collection)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(seen) > 1 and all(ids == ["a1", "a2", "a3"] for ids in seen)
    name = es_collection.rsplit("/", 1)[1]
    assert (result.old_index, result.new_index, result.documents) == (f"{name}-v1", f"{name}-v2", len(CORPUS) + 3000)
    assert ix.stats()["indices"] == [f"{name}-v2"]
    assert ix.search(SearchRequest(parse(""), limit=1)).total == len(CORPUS) + 3000
    assert {a.id for a in ix.export(parse("entity:Telegram"))} == {"a1", "a2", "a3", "a8", "a9"}
    # writes go to the new index; a second reindex goes on to v3
    assert ix.write(filler(3001)[-1:]).new == 1
    assert reindex(es_collection).new_index == f"{name}-v3"
    ix.close()


# The analysis of a schema-4 index: PolicyWatch's own pw_unicode61 / pw_remove_diacritics, which
# only the es/ module registers (kept there for such indices).
SCHEMA_4_ANALYZERS = {
    "pw_stemmed": {"type": "custom", "tokenizer": "pw_unicode61", "filter": ["lowercase", "pw_remove_diacritics", "porter_stem"]},
    "pw_exact": {"type": "custom", "tokenizer": "pw_unicode61", "filter": ["lowercase", "pw_remove_diacritics"]},
}


@pytest.mark.es
def test_a_collection_of_the_previous_schema_warns_works_and_reindexes_into_the_current_one(es_collection, caplog):
    """Schema 5 analyses with stock parts only (index/elastic/template.json). A schema-4
    collection (made here from the current template with the legacy pw_* analyzers put back,
    which our es/ node still registers) is written and clustered as before, with one warning to
    reindex; reindex moves it to the current mapping and its stock analyzers."""
    from elasticsearch import BadRequestError, Elasticsearch
    from index.elastic.schema import CJK, NORI, SCHEMA_VERSION, load_template
    node, name = es_collection.rsplit("/", 1)
    client = Elasticsearch(node)

    def node_has(tokenizer: str) -> bool:
        try:
            client.indices.analyze(tokenizer=tokenizer, text="x")
            return True
        except BadRequestError:
            return False
    if not node_has("pw_unicode61"):
        client.close()
        pytest.skip("a stock cluster never had a schema-4 index: only PolicyWatch's es/ node has pw_unicode61")
    old = load_template(NORI if node_has("nori_tokenizer") else CJK)["template"]
    old["mappings"]["_meta"]["policywatch_schema"] = 4
    analysis = old["settings"]["index"]["analysis"]
    analysis["analyzer"].update(SCHEMA_4_ANALYZERS)
    del analysis["char_filter"], analysis["tokenizer"]
    client.indices.create(index=f"{name}-v1", settings=old["settings"], mappings=old["mappings"], aliases={name: {}})
    wire = lambda id_, hour: make(id_, id_, "Police probe Télégram", WIRE, None, f"2024-09-02T0{hour}:00:00Z")
    ix = open_index(es_collection)
    with caplog.at_level("WARNING"):
        assert ix.write(CORPUS + [wire("orig", 1)]).new == len(CORPUS) + 1
    assert f"{name}-v1 has schema version 4" in caplog.text and "policywatch reindex" in caplog.text
    assert ix.write([wire("copy1", 2)]).new == 1
    assert ix.get("copy1").cluster == "orig"
    assert reindex(es_collection).new_index == f"{name}-v2"
    mapping = client.indices.get_mapping(index=f"{name}-v2")[f"{name}-v2"]["mappings"]
    assert mapping["_meta"]["policywatch_schema"] == SCHEMA_VERSION == 5
    settings = client.indices.get_settings(index=f"{name}-v2")[f"{name}-v2"]["settings"]["index"]["analysis"]
    assert settings["analyzer"]["pw_stemmed"]["tokenizer"] == "pw_words"
    assert "pw_unicode61" not in repr(settings) and "pw_remove_diacritics" not in repr(settings)
    assert [mapping["properties"][f].get("doc_values") for f in ("dedup_bands", "url")] == [False, False]
    again = open_index(es_collection)                               # a new writer: bands found by term
    assert again.write([wire("copy2", 3)]).new == 1
    assert again.get("copy2").cluster == "orig"
    again.refresh()
    assert {a.id for a in again.export(parse("telegram"))} >= {"orig", "copy1", "copy2"}    # folded é
    assert {a.id for a in again.export(parse("télé*"))} >= {"orig", "copy1", "copy2"}
    again.close()
    ix.close()
    client.close()


@pytest.mark.es
def test_a_schema_5_collection_made_before_the_case_fields_takes_them_on_opening(es_collection):
    """case_ids and case_names came within schema 5 (issue 26): a collection made without them
    (the mapping is strict) gets them when opened, so articles with statements are written, and
    `cases` reads them."""
    from elasticsearch import Elasticsearch
    from index import cases
    from index.elastic.schema import NORI, load_template
    node, name = es_collection.rsplit("/", 1)
    client = Elasticsearch(node)                        # the collection's own node (8.x or 9.x)
    old = load_template(NORI)["template"]
    for field in ("case_ids", "case_names"):
        del old["mappings"]["properties"][field]
    old["settings"]["index"]["analysis"]["analyzer"].pop("pw_korean", None)        # nori may be absent
    old["mappings"]["properties"]["title_ko"]["analyzer"] = old["mappings"]["properties"]["body_ko"]["analyzer"] = \
        "pw_stemmed"
    client.indices.create(index=f"{name}-v1", settings=old["settings"], mappings=old["mappings"], aliases={name: {}})
    ix = open_index(es_collection)
    assert ix.write(CORPUS).new == len(CORPUS)
    ix.refresh()
    mapping = client.indices.get_mapping(index=f"{name}-v1")[f"{name}-v1"]["mappings"]["properties"]
    assert mapping["case_ids"] == {"type": "keyword"}
    assert {c.target for c in cases.find(ix, cases.CaseFilter(entity="Telegram"))} == {"Telegram", "Pavel Durov"}
    ix.close()
    client.close()


def test_reindex_is_for_elasticsearch_only(tmp_path):
    with pytest.raises(IndexConfigError):
        reindex(f"sqlite:///{tmp_path}/x.db")


@pytest.mark.es
@pytest.mark.parametrize("direction", ["sqlite-to-es", "es-to-sqlite"])
def test_copy_moves_every_article_with_entities_and_sentences(direction, tmp_path, es_collection):
    sqlite_url = f"sqlite:///{tmp_path}/index.db"
    source, target = (sqlite_url, es_collection) if direction == "sqlite-to-es" else (es_collection, sqlite_url)
    ix = open_index(source)
    ix.write(CORPUS)
    getattr(ix, "refresh", lambda: None)()
    ix.close()

    result = copy(source, target, batch=3)
    assert (result.read, result.new, result.updated, result.unchanged, result.failed) == (len(CORPUS), len(CORPUS), 0, 0, [])
    again = copy(source, target)
    assert (again.new, again.unchanged) == (0, len(CORPUS))

    copied = open_index(target)
    exported = {a.id: a for a in copied.export(parse(""))}
    assert {i: a.export_record() for i, a in exported.items()} == {a.id: a.export_record() for a in CORPUS}
    assert copied.get("a1").entities == CORPUS[0].entities              # mention sentences too
    assert copied.timeline("Telegram", "month") == open_index(source).timeline("Telegram", "month")
    copied.close()


@pytest.mark.es
def test_cli_copy_reindex_flush(tmp_path, es_collection):
    sqlite_url = f"sqlite:///{tmp_path}/index.db"
    ix = open_index(sqlite_url)
    ix.write(CORPUS)
    ix.close()
    copied = run_cli("copy", "--from", sqlite_url, "--to", es_collection)
    assert f"copied {len(CORPUS)} articles: {len(CORPUS)} new" in copied.stdout
    assert "now points at" in run_cli("reindex", "--index", es_collection).stdout
    assert "0 still spooled" in run_cli("flush", "--index", es_collection).stdout
    searched = run_cli("search", "telegram", "--index", es_collection, "--format", "json")
    assert searched.stdout.count('"id"') == 3
    refused = run_cli("reindex", "--index", sqlite_url, check=False)
    assert refused.returncode == 2 and "Elasticsearch" in refused.stderr


def test_flush_has_nothing_to_do_for_an_embedded_index(tmp_path):
    result = flush(f"sqlite:///{tmp_path}/x.db")
    assert (result.new, result.spooled) == (0, 0)
