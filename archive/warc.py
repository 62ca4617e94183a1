"""The page archive: what the crawl fetched, kept as WARC 1.1 files (warcio; gzip per record,
rotated by size) so the index can be rebuilt with better extraction or a new gazetteer, and so
`policywatch import` can read PolicyWatch's own files, `wget --warc-file` output and CC-NEWS.

Writing appends one request + response pair with a single write() call, so a killed crawl
leaves whole records behind; reading stops, with a count, at a torn or damaged last record."""
from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException
from warcio.warcwriter import WARCWriter

from common.dates import utc_iso
from common.errors import BadUsage

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 100 * 1024 * 1024     # a file is closed and a new one begun past this size
SUFFIXES = (".warc", ".warc.gz")
METADATA_TYPE = "application/vnd.policywatch+json"     # our metadata records: {"source", "hints"}
# Headers that describe the bytes on the wire, not the (already decoded) body we store.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
# What warcio raises on a record cut short or garbled: a torn gzip member, a header block that
# ends early (warcio then fails inside its own parser with AttributeError/ValueError), EOF.
_DAMAGED = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, ValueError, AttributeError)


class NotAWarc(BadUsage):
    """A file given to import that is not a WARC (bad input: exit 2)."""


GZIP_MAGIC = b"\x1f\x8b"
# An ARC file opens with its 'filedesc://' record; a bare ARC record header line is
# "URL IP-ADDRESS YYYYMMDDhhmmss CONTENT-TYPE LENGTH".
_ARC_HEADER = re.compile(rb"^(filedesc://|\S+://\S* \S+ \d{14} \S+ \d+\r?\n)")


def sniff(path: str | Path) -> None:
    """Raise NotAWarc unless the file starts like a WARC or ARC file (plain or gzip): warcio
    would read any text as an ARC record, with warnings of its own, and import nothing."""
    with open(path, "rb") as fh:
        head = fh.read(512)
        if head.startswith(GZIP_MAGIC):
            fh.seek(0)
            try:
                with gzip.GzipFile(fileobj=fh) as unzipped:
                    head = unzipped.read(512)
            except (OSError, EOFError, zlib.error):
                raise NotAWarc(f"{path} is a damaged gzip file, not a WARC or ARC file") from None
    if not head.strip():
        raise NotAWarc(f"{path} is empty, not a WARC or ARC file")
    if not (head.startswith(b"WARC/") or _ARC_HEADER.match(head)):
        raise NotAWarc(f"{path} is not a WARC or ARC file (it does not begin with 'WARC/' or an ARC header)")


def default_dir(index_url: str) -> Path:
    """Where a crawl archives by default: `archive/` beside a SQLite index file
    (sqlite:///data/policywatch.db → data/archive), data/archive/NAME for an Elasticsearch collection."""
    if index_url.startswith("sqlite:///"):
        return Path(index_url[len("sqlite:///"):]).parent / "archive"
    if index_url.endswith((".db", ".sqlite", ".sqlite3")) and "://" not in index_url:
        return Path(index_url).parent / "archive"
    last = index_url.split(",")[-1]                # several nodes: http://n1:9200,n2:9200/NAME
    name = urlsplit(last if "://" in last else f"http://{last}").path.strip("/") or "policywatch-articles"
    return Path("data") / "archive" / name


# -- writing ----------------------------------------------------------------------------------
class ArchiveWriter:
    """Appends records to DIR/policywatch-<start>-<pid>-<n>.warc.gz, a new file past max_bytes."""

    def __init__(self, directory: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, software: str = "PolicyWatch"):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.software = software
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self.serial = 0
        self.path: Path | None = None
        self.file = None
        self.size = 0
        self.records = 0

    def _next_file(self) -> None:
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        self.path = self.directory / f"policywatch-{self.stamp}-{os.getpid()}-{self.serial:05d}.warc.gz"
        self.size = 0
        self.file = open(self.path, "ab", buffering=0)     # unbuffered: each record is one write()
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(self.path.name, {"software": self.software,
                                                                            "format": "WARC File Format 1.1"}))
        self._append(buf.getvalue())

    def _append(self, data: bytes) -> None:
        # One write() of whole records: a crash can cut a file only between records (or, rarely,
        # inside the last one, which readers detect and skip).
        self.file.write(data)
        self.size += len(data)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def write_exchange(self, url: str, method: str, request_headers: list[tuple[str, str]], status: int,
                       reason: str, response_headers: list[tuple[str, str]], body: bytes,
                       fetched: datetime | None = None, metadata: dict | None = None) -> tuple[str, int]:
        """Archive one fetch (request record, response record, and a metadata record with what the
        crawl knew besides the page: its source, the feed's title/date/authors); returns (file,
        offset) of the response record. The body is stored as the crawler received it after
        decoding, so headers that describe the transfer (Content-Encoding, Transfer-Encoding) are
        left out and Content-Length is the stored length."""
        if self.path is None or self.size >= self.max_bytes:
            self._next_file()
        date = (fetched or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True, warc_version="1.1")
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(f"{method} {target} HTTP/1.1",
                                          [("Host", parts.netloc)] + request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": date})
        kept = [(k, v) for k, v in response_headers if k.lower() not in _WIRE_HEADERS]
        resp = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), kept + [("Content-Length", str(len(body)))],
                                          protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": date})
        req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(req)
        offset = self.size + buf.tell()
        writer.write_record(resp)
        self.records += 2
        if metadata:
            payload = json.dumps(metadata, ensure_ascii=False).encode()
            meta = writer.create_warc_record(url, "metadata", payload=io.BytesIO(payload), length=len(payload),
                                             warc_content_type=METADATA_TYPE,
                                             warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To":
                                                                resp.rec_headers.get_header("WARC-Record-ID")})
            writer.write_record(meta)
            self.records += 1
        self._append(buf.getvalue())
        return str(self.path.resolve()), offset


# -- reading ----------------------------------------------------------------------------------
@dataclass
class Record:
    """One WARC record as import and reprocess need it."""
    path: str
    offset: int
    type: str                    # response, request, revisit, warcinfo, metadata, resource…
    url: str | None
    date: str | None             # WARC-Date, ISO 8601 UTC
    status: int | None = None    # HTTP status of a response
    content_type: str | None = None     # media type, lower case, no parameters
    charset: str | None = None
    body: bytes = b""
    record_id: str | None = None
    concurrent_to: str | None = None

    def metadata(self) -> dict | None:
        """A PolicyWatch metadata record's {"source", "hints"}; None for any other record."""
        if self.type != "metadata" or self.content_type != METADATA_TYPE:
            return None
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


@dataclass
class ReadReport:
    records: int = 0
    damaged: str | None = None   # why reading stopped early ("torn record at offset N")


def read_records(path: str | Path, report: ReadReport | None = None, offset: int = 0,
                 limit: int | None = None) -> Iterator[Record]:
    """Every record of a WARC or WARC.gz file, from `offset`. A file that does not start like a
    WARC raises NotAWarc; a torn or damaged record ends the file (noted in `report`)."""
    report = report if report is not None else ReadReport()
    path = str(path)
    with open(path, "rb") as fh:
        fh.seek(offset)
        iterator = ArchiveIterator(fh, check_digests=True, arc2warc=True)
        at = offset
        while limit is None or report.records < limit:
            try:
                rec = next(iterator)
            except StopIteration:
                # warcio ends quietly at a record whose gzip member or header block is cut short:
                # bytes left after the last whole record are such a record.
                end = offset + iterator.offset
                fh.seek(end)
                if limit is None and fh.read(4096).strip():
                    report.damaged = f"torn record at offset {end} (the file ends inside it)"
                    logger.warning("%s: %s; skipped", path, report.damaged)
                return
            except _DAMAGED as exc:
                if report.records == 0 and offset == 0:
                    raise NotAWarc(f"{path} is not a WARC file ({_short(exc)})") from None
                report.damaged = f"damaged record at offset {at} ({_short(exc)})"
                logger.warning("%s: %s; the rest of the file is skipped", path, report.damaged)
                return
            try:
                body = rec.content_stream().read()
            except _DAMAGED as exc:
                report.damaged = f"torn record at offset {at} ({_short(exc)})"
                logger.warning("%s: %s; skipped", path, report.damaged)
                return
            at = offset + iterator.get_record_offset()
            passed = rec.digest_checker.passed
            if passed is False or (passed is None and rec.rec_type != "revisit"
                                   and rec.rec_headers.get_header("WARC-Block-Digest")):
                # Bytes that do not match the digest, or fewer than announced (a crash mid-write:
                # warcio could not check). Revisit records are not checked by warcio at all.
                report.damaged = f"torn record at offset {at} (its digest does not match)"
                logger.warning("%s: %s; skipped", path, report.damaged)
                return
            report.records += 1
            yield _record(path, at, rec, body)


def _record(path: str, offset: int, rec, body: bytes) -> Record:
    headers = rec.rec_headers
    out = Record(path=path, offset=offset, type=rec.rec_type, url=headers.get_header("WARC-Target-URI"),
                 date=utc_iso(headers.get_header("WARC-Date")), body=body,
                 record_id=headers.get_header("WARC-Record-ID"), concurrent_to=headers.get_header("WARC-Concurrent-To"))
    if rec.rec_type == "metadata":
        out.content_type = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower() or None
    if rec.http_headers is not None and rec.rec_type in ("response", "revisit"):
        code = (rec.http_headers.get_statuscode() or "").strip()
        out.status = int(code) if code.isdigit() else None
        ctype = rec.http_headers.get_header("Content-Type")
        if ctype:
            out.content_type = ctype.split(";")[0].strip().lower() or None
            if "charset=" in ctype.lower():
                out.charset = ctype.lower().split("charset=")[1].split(";")[0].strip("\"' ") or None
    return out


def responses(records: Iterator[Record]) -> Iterator[tuple[Record, dict]]:
    """Response and revisit records, each with the PolicyWatch metadata written right after it
    ({} when there is none: other tools' WARCs); other records are passed over."""
    pending: Record | None = None
    for record in records:
        if pending is not None:
            meta = record.metadata() if record.concurrent_to == pending.record_id else None
            yield pending, meta or {}
            pending = None
            if meta is not None:
                continue
        if record.type in ("response", "revisit"):
            pending = record
    if pending is not None:
        yield pending, {}


def read_at(path: str, offset: int) -> tuple[Record, dict] | None:
    """The response record at (file, offset), as the archive catalogue points at it, with its
    metadata; None if unreadable."""
    try:
        return next(responses(read_records(path, offset=offset, limit=2)), None)
    except (OSError, NotAWarc) as exc:
        logger.warning("cannot read %s at %d: %s", path, offset, exc)
        return None


def _short(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120] or type(exc).__name__


# -- size, for `stats` and `status` ------------------------------------------------------------
def warc_files(directory: str | Path) -> list[Path]:
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))


def summary(directory: str | Path) -> dict:
    """{dir, files, bytes} of an archive directory, from the file system alone: counting records
    would read every file. How many articles it holds is the index's catalogue count
    (stats()["archived_articles"])."""
    files = warc_files(directory)
    return {"dir": str(directory), "files": len(files), "bytes": sum(p.stat().st_size for p in files)}
