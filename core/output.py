"""Rendering records as a table, JSON, CSV or JSON lines: one place for every command."""
from __future__ import annotations

import csv
import html
import json
import re
import shutil
import sys
import unicodedata
from typing import Iterable, TextIO

_MARK = re.compile(r"</?mark>")

# The columns of a CSV export, from the CLI and from the web API alike.
EXPORT_COLUMNS = ["id", "url", "source", "title", "published", "authors", "language", "entities", "actions",
                  "statements", "revisions", "cluster", "first_copy", "body"]
# An entity timeline's columns (`policywatch timeline`, the web's downloads).
TIMELINE_COLUMNS = ["date", "entity", "articles", "stories", "mentions"]


def plain(snippet: str, emphasis: tuple[str, str] = ("[", "]")) -> str:
    """A highlighted HTML snippet as terminal text: <mark>x</mark> → [x]."""
    return html.unescape(snippet.replace("<mark>", emphasis[0]).replace("</mark>", emphasis[1]))


def write_json(data, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(records: Iterable[dict], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterable[dict], columns: list[str], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow({k: _cell(record.get(k)) for k in columns})
        n += 1
    return n


def _cell(value):
    """A readable spreadsheet cell: lists joined with '; ', entities as 'Telegram (PLATFORM, 7)', actions
    by name once each ('legislation; investigation'), statements as 'Paris Judicial Court: charge ->
    Pavel Durov [case 1a2b3c4d5e6f]'; the sentences stay in the JSON exports."""
    if isinstance(value, (list, tuple)):
        parts = [_item(v) for v in value]
        return "; ".join(dict.fromkeys(parts))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _item(value) -> str:
    if not isinstance(value, dict):
        return str(value)
    if "authority" in value and "target" in value:
        status = f" ({value['status']})" if value.get("status") not in (None, "happened") else ""
        return (f"{value['authority']}: {value.get('stage') or value['action']}{status} -> {value['target']}"
                f" [case {value.get('case')}]")
    if "action" in value:
        return str(value["action"])
    if "name" in value and "type" in value:
        return f"{value['name']} ({value['type']}, {value.get('mentions', 0)})"
    return str(value.get("name", json.dumps(value, ensure_ascii=False)))


def write_table(rows: list[dict], columns: list[str], out: TextIO, widths: dict[str, int] | None = None) -> None:
    """A plain aligned table; long text columns are cut to fit the terminal."""
    if not rows:
        return
    widths = dict(widths or {})
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    for i, c in enumerate(columns):
        natural = max(len(c), *(_width(row[i]) for row in cells))
        widths[c] = min(widths.get(c, natural), natural)
    total = shutil.get_terminal_size((140, 20)).columns
    flexible = [c for c in columns if widths[c] > 30]
    while flexible and sum(widths.values()) + 2 * len(columns) > total and max(widths[c] for c in flexible) > 20:
        widest = max(flexible, key=widths.get)
        widths[widest] -= 1

    def fit(text: str, width: int) -> str:
        if _width(text) > width:
            while text and _width(text) > width - 1:
                text = text[:-1]
            text += "…"
        return text + " " * (width - _width(text))

    out.write("  ".join(fit(c.upper(), widths[c]) for c in columns).rstrip() + "\n")
    for row in cells:
        out.write("  ".join(fit(v, widths[c]) for v, c in zip(row, columns)).rstrip() + "\n")


def _width(text: str) -> int:
    """Terminal columns of `text`: Hangul, CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def stdout() -> TextIO:
    return sys.stdout
