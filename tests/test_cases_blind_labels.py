"""The blind case labels (bench/data/cases/blind.jsonl) keep the bench's format: unique ids, split
"blind", known action types, canonical names, and no sentence shared with labels.jsonl."""
import json
import re
from pathlib import Path

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


def test_blind_labels_format():
    rows = _rows("blind.jsonl")
    assert len(rows) >= 160
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"b\d{3}", i) for i in ids)
    assert {r["split"] for r in rows} == {"blind"}
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
    assert sum(len(r["labels"]) for r in rows) >= 70


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
