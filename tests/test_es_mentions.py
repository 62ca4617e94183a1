"""Elasticsearch keeps each entity's mention sentences under a key of their own
(detail.mentions), so a timeline's mention rows read only that entity's sentences; documents
written before, with the sentences inside detail.entities, read the same."""
from __future__ import annotations

import uuid

import pytest

from conftest import ES_URL, require_es
from index import Article, EntityRef, content_hash, open_index

pytestmark = pytest.mark.es


@pytest.fixture
def es_index(tmp_path):
    require_es()
    ix = open_index(f"{ES_URL.rstrip('/')}/pw-test-{uuid.uuid4().hex[:10]}", spool_dir=tmp_path)
    yield ix
    ix.drop()
    ix.close()


def article(id_: str, published: str) -> Article:
    body = ["Police said Telegram handed over data.", "Ofcom said Telegram and Discord must act."]
    return Article(id=id_, url=f"https://x.example/{id_}", source="x", title="Telegram", body=body,
                   published=published, content_hash=content_hash("Telegram", body),
                   entities=[EntityRef("Telegram", "PLATFORM", 2, [body[0], body[1]]),
                             EntityRef("Ofcom", "AGENCY", 1, [body[1]]),
                             EntityRef("Telegram", "ORG", 1, ["Telegram the company."])])


def test_mentions_read_the_keyed_sentences_and_the_older_inline_ones(es_index):
    es_index.write([article("new", "2024-09-02T10:00:00+00:00"), article("old", "2024-09-01T10:00:00+00:00")])
    es_index.refresh()
    stored = es_index.client.get(index=es_index.name, id="new")["_source"]["detail"]
    assert "sentences" not in stored["entities"][0] and len(stored["mentions"]) == 3
    # "old" as an earlier PolicyWatch wrote it: sentences inline, no keyed mentions
    inline = [{"name": e.name, "type": e.type, "mentions": e.mentions, "sentences": e.sentences}
              for e in article("old", "").entities]
    es_index.client.update(index=es_index.name, id="old", doc={"detail": {"entities": inline, "keyed": False,
                                                                         "mentions": {}}}, refresh=True)
    rows = list(es_index.mentions("telegram"))
    expected = ["Police said Telegram handed over data.", "Telegram the company.",
                "Ofcom said Telegram and Discord must act."]
    assert [r[4] for r in rows] == expected * 2
    assert [r[0][:10] for r in rows] == ["2024-09-01"] * 3 + ["2024-09-02"] * 3
    for id_ in ("new", "old"):
        assert [e.sentences for e in es_index.get(id_).entities] == [e.sentences for e in article(id_, "").entities]
