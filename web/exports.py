"""Streamed downloads: CSV, JSON lines and JSON arrays written a batch at a time, so an export of
100,000 articles never sits in memory whole. Cells are formatted by core.output, as the
CLI formats them."""
from __future__ import annotations

import io
import re
import json
from itertools import islice
from typing import Iterable, Iterator
from urllib.parse import quote

from core import output

# The columns of `policywatch export --format csv`: one list, so the two exports cannot drift apart.
EXPORT_COLUMNS = output.EXPORT_COLUMNS
BATCH = 200
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
               "json": "application/json; charset=utf-8"}


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def csv_chunks(records: Iterable[dict], columns: list[str], batch: int = BATCH) -> Iterator[str]:
    """The header, then the rows a batch at a time."""
    first = True
    for chunk in _batches(records, batch):
        buf = io.StringIO()
        output.write_csv(chunk, columns, buf)
        text = buf.getvalue()
        # write_csv starts every batch with the header line; only the first batch keeps it.
        yield text if first else text.split("\n", 1)[1]
        first = False
    if first:
        buf = io.StringIO()
        output.write_csv([], columns, buf)
        yield buf.getvalue()


def jsonl_chunks(records: Iterable[dict], batch: int = BATCH) -> Iterator[str]:
    for chunk in _batches(records, batch):
        yield "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk)


def json_array_chunks(records: Iterable[dict], batch: int = BATCH) -> Iterator[str]:
    yield "["
    sep = "\n"
    for chunk in _batches(records, batch):
        for r in chunk:
            yield sep + json.dumps(r, ensure_ascii=False)
            sep = ",\n"
    yield "\n]\n"


def chunks(fmt: str, records: Iterable[dict], columns: list[str]) -> Iterator[str]:
    if fmt == "csv":
        return csv_chunks(records, columns)
    if fmt == "jsonl":
        return jsonl_chunks(records)
    return json_array_chunks(records)


def export_records(services, request) -> Iterator[dict]:
    """Every article matching a search request's query and dates, oldest first."""
    for article in services.index.export(request.query, request.date_from, request.date_to):
        yield article.export_record()


def disposition(filename: str, attachment: bool = True) -> str:
    """A Content-Disposition value; the plain-ASCII name first, the UTF-8 one for browsers that read it."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "download"
    return (f'{"attachment" if attachment else "inline"}; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}")
