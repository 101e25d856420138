"""Container formats: JSON Lines, JSON, CSV and WARC records to raw documents.

Each parser yields :class:`Item` objects, one per input document, including an ``error`` item for
a malformed record (so the batch goes on and every record ends with one status).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from kronika.read.encoding import decode
from kronika.read.errors import ReadError

log = logging.getLogger(__name__)

# Field names accepted in JSON records and CSV headers (compared lower-case, first match wins).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "docid", "document_id", "article_id", "uid", "guid", "key"),
    "text": ("text", "body", "content", "article", "story", "full_text", "fulltext", "maintext"),
    "html": ("html", "raw_html", "page", "source_html"),
    "date": ("date", "pub_date", "published", "publication_date", "published_at", "date_publish", "datetime"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "source_url", "uri"),
}


@dataclass
class Item:
    """One input document before cleaning: text or HTML, or the error that stopped it."""

    doc_id: str
    path: str | None = None
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    warnings: list[str] = field(default_factory=list)
    error: ReadError | None = None


def _pick(record: dict[str, Any], name: str) -> Any:
    lowered = {str(k).lower().strip(): v for k, v in record.items() if k is not None}
    for alias in FIELD_ALIASES[name]:
        value = lowered.get(alias)
        if value not in (None, ""):
            return value
    return None


def parse_record_date(value: Any, warnings: list[str]) -> dt.date | None:
    """A record's publication date (ISO or any full date); a warning when it is unusable."""
    if value in (None, ""):
        return None
    s = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    from kronika.read.pubdate import parse_date

    date = parse_date(s)
    if date is None:
        warnings.append(f"date: cannot read the record's date {s[:40]!r}; looking in the text")
    return date


def record_item(record: Any, fallback_id: str, path: str | None) -> Item:
    """An Item from one JSON object or CSV row."""
    if not isinstance(record, dict):
        return Item(
            fallback_id, path, error=ReadError("json", f"expected a JSON object, got {type(record).__name__}")
        )
    doc_id = _pick(record, "id")
    item = Item(str(doc_id) if doc_id is not None else fallback_id, path)
    item.title = _str_or_none(_pick(record, "title"))
    item.url = _str_or_none(_pick(record, "url"))
    item.date = parse_record_date(_pick(record, "date"), item.warnings)
    text, html = _pick(record, "text"), _pick(record, "html")
    if isinstance(text, str) and text.strip():
        item.text = text
    elif isinstance(html, str) and html.strip():
        item.html = html
    else:
        item.error = ReadError("record")
    return item


def _str_or_none(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def iter_jsonl(stream: IO[bytes], stem: str, path: str | None) -> Iterator[Item]:
    """One Item per non-blank line of a JSON Lines stream."""
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        fallback = f"{stem}:{lineno}"
        try:
            line, _ = decode(raw)
            record = json.loads(line)
        except ReadError as err:
            yield Item(fallback, path, error=err)
            continue
        except json.JSONDecodeError as exc:
            yield Item(
                fallback, path, error=ReadError("json", f"line {lineno}: {exc.msg} (column {exc.colno})")
            )
            continue
        yield record_item(record, fallback, path)


def iter_json(data: bytes, stem: str, path: str | None) -> Iterator[Item]:
    """A JSON array of records, a single record, or (failing that) JSON Lines."""
    try:
        text, _ = decode(data)
    except ReadError as err:
        yield Item(stem, path, error=err)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and "\n" in text.strip():
            yield from iter_jsonl(io.BytesIO(data), stem, path)
            return
        yield Item(stem, path, error=ReadError("json", f"{exc.msg} (line {exc.lineno}, column {exc.colno})"))
        return
    if isinstance(value, list):
        if not value:
            yield Item(stem, path, error=ReadError("empty", "the JSON array is empty"))
        for i, record in enumerate(value, start=1):
            yield record_item(record, f"{stem}:{i}", path)
    else:
        yield record_item(value, stem, path)


def iter_csv(stream: IO[bytes], stem: str, path: str | None, delimiter: str | None = None) -> Iterator[Item]:
    """One Item per data row of a CSV (or TSV) file with a header row; see FIELD_ALIASES."""
    sample = stream.read(65536)
    try:
        _, encoding = decode(sample if len(sample) < 65536 else sample[: sample.rfind(b"\n") + 1] or sample)
    except ReadError as err:
        yield Item(stem, path, error=err)
        return
    text = io.TextIOWrapper(
        io.BufferedReader(_Prefixed(sample, stream)), encoding=encoding, errors="replace", newline=""
    )
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    if delimiter is None:
        delimiter = _sniff_delimiter(sample, encoding)
    reader = csv.reader(text, delimiter=delimiter)
    names = _csv_names(reader)
    if isinstance(names, ReadError):
        yield Item(stem, path, error=names)
        return
    yield from _csv_rows(reader, names, stem, path)


def _sniff_delimiter(sample: bytes, encoding: str) -> str:
    try:
        return csv.Sniffer().sniff(sample[:4096].decode(encoding, "replace"), ",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_names(reader: Iterator[list[str]]) -> list[str] | ReadError:
    """The column names of the header row, or why the file cannot be read (no header, no text column)."""
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return ReadError("csv", f"header: {exc}")
    if not header:
        return ReadError("empty", "the CSV file has no header row")
    names = [h.strip() for h in header]
    if not any(_pick(dict.fromkeys(names, "x"), k) for k in ("text", "html")):
        return ReadError("csv", f"no text column in header {names}; see FIELD_ALIASES")
    return names


def _csv_rows(reader: Iterator[list[str]], names: list[str], stem: str, path: str | None) -> Iterator[Item]:
    """One Item per data row (blank rows are not counted); a malformed row is an Item with its error."""
    row_no = 0
    while True:
        row_no += 1
        fallback = f"{stem}:{row_no}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Item(fallback, path, error=ReadError("csv", f"row {row_no}: {exc}"))
            return
        if not any(cell.strip() for cell in row):
            row_no -= 1
            continue
        if len(row) != len(names):
            yield Item(
                fallback,
                path,
                error=ReadError("csv", f"row {row_no} has {len(row)} fields, the header {len(names)}"),
            )
            continue
        yield record_item(dict(zip(names, row, strict=True)), fallback, path)


class _Prefixed(io.RawIOBase):
    """A byte stream that replays an already-read prefix before the rest."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        chunk = self._rest.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def iter_warc(stream: IO[bytes], stem: str, path: str | None, max_bytes: int) -> Iterator[Item]:
    """One Item per response record of a WARC stream; non-HTML responses are skipped."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            doc_id = f"{stem}:{n}"
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
            if "html" not in ctype.lower():
                kind = ctype.split(";")[0].strip() or "no content type"
                yield Item(
                    doc_id, path, url=url, error=ReadError("not-html", f"not an HTML response ({kind})")
                )
                continue
            data = record.content_stream().read(max_bytes + 1)
            item = Item(doc_id, path, url=url)
            if len(data) > max_bytes:
                item.warnings.append(
                    f"truncated: the response is over {max_bytes} bytes; kept the first {max_bytes}"
                )
                data = data[:max_bytes]
            m = re.search(r"charset=([\w.-]+)", ctype, re.IGNORECASE)
            try:
                item.html, _ = decode(data, hint=m.group(1) if m else None)
            except ReadError as err:
                item.error = err
            yield item
    except Exception as exc:  # warcio raises plain exceptions on broken archives
        yield Item(f"{stem}:{n + 1}", path, error=ReadError("warc", f"{type(exc).__name__}: {exc}"))
