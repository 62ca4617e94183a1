"""The blind case labels (bench/data/cases/blind.jsonl) and the open-domain dev set (open_dev.jsonl)
keep the bench's format: unique ids, their split, known action types, canonical names, and no
article shared with labels.jsonl (nor, for open-dev, with the blind set)."""
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "cases"


def _rows(name):
    return [json.loads(line) for line in (DATA / name).open(encoding="utf-8")]


def _non_canonical():
    """casefolded alias -> canonical name, for every gazetteer alias that is not itself a canonical name."""
    entries = yaml.safe_load((ROOT / "nlp" / "gazetteer.yaml").read_text(encoding="utf-8"))["entries"]
    canonical = {e["name"].casefold() for e in entries}
    out = {}
    for e in entries:
        for key, aliases in e.items():
            if key == "aliases" or key.startswith("aliases_"):
                for alias in aliases:
                    if alias.casefold() not in canonical:
                        out[alias.casefold()] = e["name"]
    return out


def _name_problem(name, aliases):
    if not name or name != name.strip():
        return "empty or padded"
    if name.casefold() in aliases:
        return f"an alias of {aliases[name.casefold()]!r}"
    return None


@pytest.mark.parametrize("name, split, prefix, sentences, triples", [
    ("blind.jsonl", "blind", "b", 160, 70), ("open_dev.jsonl", "open-dev", "o", 200, 20)])
def test_labels_format(name, split, prefix, sentences, triples):
    rows = _rows(name)
    assert len(rows) >= sentences
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(prefix + r"\d{3}", i) for i in ids)
    assert {r["split"] for r in rows} == {split}
    assert all(set(r) == {"id", "source", "text", "split", "labels"} for r in rows)
    assert all(re.fullmatch(r"(newsroom|corpus):[\w.-]+:\S+", r["source"]) and r["text"].strip() for r in rows)

    actions = set(yaml.safe_load((ROOT / "nlp" / "actions.yaml").read_text(encoding="utf-8"))["tags"])
    assert len(actions) == 9
    aliases = _non_canonical()
    problems = []
    for r in rows:
        for lab in r["labels"]:
            assert set(lab) == {"authority", "action", "target", "case"}, r["id"]
            if lab["action"] not in actions:
                problems.append((r["id"], "action", lab["action"]))
            for field in ("authority", "target", "case"):
                why = _name_problem(lab[field], aliases if field != "case" else {})
                if why:
                    problems.append((r["id"], field, lab[field], why))
    assert problems == []
    assert sum(len(r["labels"]) for r in rows) >= triples


def test_canonical_check_catches_aliases():
    aliases = _non_canonical()
    assert _name_problem("KCSC", aliases) == "an alias of 'Korea Communications Standards Commission'"
    assert _name_problem("텔레그램", aliases) == "an alias of 'Telegram'"
    assert _name_problem("Korea Communications Standards Commission", aliases) is None
    assert _name_problem("Tempe police", aliases) is None      # a body the gazetteer lacks keeps its own name


def test_authorities_table_names_are_gazetteer_names():
    entries = yaml.safe_load((ROOT / "nlp" / "gazetteer.yaml").read_text(encoding="utf-8"))["entries"]
    names = {e["name"] for e in entries}
    table = yaml.safe_load((ROOT / "nlp" / "authorities.yaml").read_text(encoding="utf-8"))
    assert set(table["authorities"]) <= names


def test_blind_sentences_are_not_in_the_tuning_labels():
    tuned = {(r["source"], " ".join(r["text"].split())) for r in _rows("labels.jsonl")}
    blind = {(r["source"], " ".join(r["text"].split())) for r in _rows("blind.jsonl")}
    assert len(blind) == len(_rows("blind.jsonl"))
    assert not tuned & blind
    assert {r["split"] for r in _rows("labels.jsonl")} == {"dev", "test"}


def test_open_dev_articles_are_new():
    """Open-dev tunes the rules: it must hold no article of the held-out half or the blind set."""
    open_dev = {r["source"] for r in _rows("open_dev.jsonl")}
    assert not open_dev & {r["source"] for r in _rows("labels.jsonl")}
    assert not open_dev & {r["source"] for r in _rows("blind.jsonl")}
    assert all(s.startswith("corpus:") for s in open_dev)
