"""The write planner (index/planner.py): the rules both backends store by. The contract suite
checks that SQLite and Elasticsearch store alike; these pin the decisions themselves."""
import pytest

from index import dedup, planner
from index.sqlite import SQLiteIndex
from index.sqlite import writes
from index.document import Article, EntityRef

STORY = ("Police in Seoul opened an investigation into the spread of sexually explicit deepfakes on "
         "Telegram, after reports that chat rooms shared manipulated images of students and teachers "
         "at dozens of schools across the country, officials said on Tuesday. The national police agency "
         "said it would also look into whether the platform itself could be held responsible for "
         "failing to remove the material after victims and their families had reported it repeatedly.")
OTHER = ("A court in Paris charged the founder of a messaging app with complicity in crimes committed on "
         "his platform, prosecutors said in a statement, and barred him from leaving France while the "
         "investigation continues. Lawyers for the businessman called the charges absurd and said the "
         "company follows the law of the European Union like every other platform operating there today.")


def article(id_="a", text=STORY, content_hash="h1", **extra) -> Article:
    return Article(id=id_, url=f"https://example.test/{id_}", source="t", title="T", body=[text],
                   content_hash=content_hash, **extra)


def test_a_new_id_is_new_the_same_text_unchanged_other_text_an_update_that_keeps_a_revision():
    a = article()
    assert planner.plan(None, a) == planner.Step(planner.NEW, keep_revision=False)
    assert planner.plan("h1", a).outcome == planner.UNCHANGED and planner.plan("h1", a).touch_only
    changed = planner.plan("h0", a)
    assert (changed.outcome, changed.keep_revision, changed.touch_only) == (planner.UPDATED, True, False)


def test_a_rewrite_of_the_same_text_updates_without_a_revision():
    step = planner.plan("h1", article(), rewrite=True)
    assert (step.outcome, step.keep_revision, step.touch_only) == (planner.UPDATED, False, False)


def test_a_batch_counts_each_article_as_if_written_one_by_one_and_stores_the_last_version():
    first, again, edited = article(content_hash="h1"), article(content_hash="h1"), article(content_hash="h2")
    latest, outcomes = planner.plan_batch([first, again, edited, article("b")], stored={"b": "h1"})
    assert outcomes == {"a": ["new", "unchanged", "updated"], "b": ["unchanged"]}
    assert latest["a"] is edited


def test_first_seen_is_the_articles_own_else_its_fetch_time():
    assert planner.first_seen(article(first_seen="2024-09-01T00:00:00Z", fetched="2024-09-02T00:00:00Z")) \
        == "2024-09-01T00:00:00Z"
    assert planner.first_seen(article(fetched="2024-09-02T00:00:00Z")) == "2024-09-02T00:00:00Z"
    assert planner.first_seen(article()).endswith("Z")


def test_a_new_copy_joins_the_cluster_of_its_earliest_seen_near_duplicate():
    sig = planner.signature(article())
    assert sig is not None
    same = dedup.to_bytes(sig)
    other = dedup.to_bytes(planner.signature(article(text=OTHER)))
    candidates = [("2024-09-03T00:00:00Z", "late", "late-cluster", same),
                  ("2024-09-01T00:00:00Z", "unrelated", "unrelated", other),
                  ("2024-09-02T00:00:00Z", "early", "early-cluster", same)]
    assert planner.cluster_of("new", sig, candidates) == "early-cluster"
    assert planner.cluster_of("new", sig, candidates[1:2]) == "new"          # no near-duplicate: its own
    assert planner.cluster_of("new", None, candidates) == "new"              # too short to tell
    # listed under several bands (repeats), listed before signatures were kept, or the article itself
    itself = ("2024-08-01T00:00:00Z", "new", "new", same)
    unsigned = ("2024-08-01T00:00:00Z", "unsigned", "unsigned", None)
    assert planner.cluster_of("new", sig, [itself, unsigned] + candidates + candidates) == "early-cluster"
    assert planner.cluster_of("new", sig, [itself, unsigned, itself]) == "new"
    assert planner.signature(article(text="Too short to tell.")) is None


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_sqlite_finds_a_copy_of_an_article_written_earlier_in_the_same_write(tmp_path, monkeypatch, chunk):
    """SQLite reads stored versions and candidates a chunk at a time: a copy must find its original
    and a repeated id must see its first version, whether they fall in the same chunk or not."""
    monkeypatch.setattr(writes, "CHUNK", chunk)
    ix = SQLiteIndex(tmp_path / "x.db")
    copy = STORY.replace("on Tuesday", "on Tuesday morning")
    result = ix.write([article("orig", first_seen="2024-09-02T01:00:00Z"), article("other", OTHER, "h2"),
                       article("copy", copy, "h3"), article("orig", STORY + " Updated.", "h4")])
    assert (result.new, result.updated, result.failed) == (3, 1, [])
    assert [ix.get(i).cluster for i in ("orig", "other", "copy")] == ["orig", "other", "orig"]
    assert [r.content_hash for r in ix.history("orig")] == ["h1", "h4"]
    ix.close()


@pytest.mark.parametrize("chunk", [1, 1000])
def test_sqlite_keeps_the_mention_sentences_of_the_last_version_written_in_one_write(tmp_path, monkeypatch, chunk):
    """A chunk's mention rows go in after its articles, in index order (writes.py): an article
    written and then edited in the same write must leave only its edited sentences, in either
    chunk, and the rows of every name must come back in date order."""
    monkeypatch.setattr(writes, "CHUNK", chunk)
    ix = SQLiteIndex(tmp_path / "x.db")
    police = lambda *sentences: EntityRef("Korea National Police Agency", "AGENCY", len(sentences),
                                          sentences=list(sentences))
    telegram = EntityRef("Telegram", "PLATFORM", 1, sentences=["Telegram said nothing."])
    result = ix.write([
        article("b", OTHER, "h1", published="2024-09-03T00:00:00Z", entities=[police("Later one.")]),
        article("a", published="2024-09-02T00:00:00Z", entities=[police("First draft."), telegram]),
        article("c", OTHER + " More.", "h3", published="2024-09-01T00:00:00Z", entities=[police("Earliest.")]),
        article("a", STORY + " Edited.", "h2", published="2024-09-02T00:00:00Z",
                entities=[police("Edited one.", "Edited two.")]),
    ])
    assert (result.new, result.updated, result.failed) == (3, 1, [])
    assert [m[4] for m in ix.mentions("korea national police agency")] == \
        ["Earliest.", "Edited one.", "Edited two.", "Later one."]
    assert list(ix.mentions("Telegram")) == []
    ix.close()
