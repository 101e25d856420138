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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from kronika.read.encoding import decode
from kronika.read.errors import ReadError

# JSON limits: deeper nesting is refused (no record is nested this deep), longer integers are kept as
# their digits (Python refuses to convert integers of over 4,300 digits; no field needs one).
MAX_JSON_DEPTH = 100
MAX_INT_DIGITS = 100

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


def _parse_int(digits: str) -> int | str:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def json_depth(text: str) -> int:
    """How deeply ``text`` nests arrays and objects (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return min(text.count("[") + text.count("{"), MAX_JSON_DEPTH)
    depth = deepest = 0
    for m in re.finditer(r"[\[\]{}]", _JSON_STRING.sub("", text)):
        depth += 1 if m.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def load_json(text: str) -> Any:
    """``json.loads`` with limits: nesting over MAX_JSON_DEPTH is refused, huge integers kept as digits.

    Raises ReadError("json") for malformed JSON.
    """
    if json_depth(text) > MAX_JSON_DEPTH:
        raise ReadError("json", f"nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise ReadError("json", f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise ReadError("json", f"{type(exc).__name__}: {str(exc)[:200]}") from None


def record_item(record: Any, fallback_id: str, path: str | None) -> Item:
    """An Item from one JSON object or CSV row; a record that cannot be read is an Item with its error."""
    try:
        return _record_item(record, fallback_id, path)
    except (ValueError, TypeError, RecursionError) as exc:  # odd values in odd fields: this record only
        return Item(fallback_id, path, error=ReadError("record", f"{type(exc).__name__}: {str(exc)[:200]}"))


def _record_item(record: Any, fallback_id: str, path: str | None) -> Item:
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


def bounded_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of the non-blank lines of a byte stream, read in chunks and holding at most
    ``max_bytes`` of a line: a longer line is skipped and given as ``None``."""
    head: list[bytes] = []  # the start of a line that runs past the chunks read so far
    held = lineno = 0
    skipping = False
    while chunk := stream.read(1 << 16):
        lines = chunk.split(b"\n")
        tail = lines.pop()
        if lines:
            lines[0] = b"".join(head) + lines[0]
            head, held = [], 0
        yield from _nonblank(lines, lineno, max_bytes, first_too_long=skipping and bool(lines))
        skipping = skipping and not lines  # an overlong line ends at the chunk's first line end
        lineno += len(lines)
        if tail and not skipping:
            head.append(tail)
            held += len(tail)
            if held > max_bytes:
                head, held, skipping = [], 0, True
    if skipping:
        yield lineno + 1, None
    elif head and (line := b"".join(head)).strip():
        yield lineno + 1, line


def _nonblank(
    lines: list[bytes], before: int, max_bytes: int, first_too_long: bool
) -> Iterator[tuple[int, bytes | None]]:
    """The non-blank ``lines`` with their numbers (counted on from ``before``); None for one too long."""
    for lineno, line in enumerate(lines, start=before + 1):
        if len(line) > max_bytes or (first_too_long and lineno == before + 1):
            yield lineno, None
        elif line.strip():
            yield lineno, line


def iter_jsonl(stream: IO[bytes], stem: str, path: str | None, max_bytes: int) -> Iterator[Item]:
    """One Item per non-blank line of a JSON Lines stream (a line over ``max_bytes`` is an error)."""
    for lineno, raw in bounded_lines(stream, max_bytes):
        fallback = f"{stem}:{lineno}"
        if raw is None:
            error = ReadError("too-large", f"line {lineno} is over {max_bytes} bytes")
            yield Item(fallback, path, error=error)
            continue
        try:
            line, _ = decode(raw)
            record = load_json(line)
        except ReadError as err:
            if err.code == "json":
                err = ReadError("json", f"line {lineno}: {err.detail}")
            yield Item(fallback, path, error=err)
            continue
        yield record_item(record, fallback, path)


def iter_json(data: bytes, stem: str, path: str | None, max_bytes: int) -> Iterator[Item]:
    """A JSON array of records, a single record, or (failing that) JSON Lines."""
    try:
        text, _ = decode(data)
    except ReadError as err:
        yield Item(stem, path, error=err)
        return
    try:
        value = load_json(text)
    except ReadError as err:
        if err.code == "json" and text.lstrip().startswith("{") and "\n" in text.strip():
            yield from iter_jsonl(io.BytesIO(data), stem, path, max_bytes)
            return
        yield Item(stem, path, error=err)
        return
    if isinstance(value, list):
        if not value:
            yield Item(stem, path, error=ReadError("empty", "the JSON array is empty"))
        for i, record in enumerate(value, start=1):
            yield record_item(record, f"{stem}:{i}", path)
    else:
        yield record_item(value, stem, path)


def iter_csv(
    stream: IO[bytes], stem: str, path: str | None, max_bytes: int, delimiter: str | None = None
) -> Iterator[Item]:
    """One Item per data row of a CSV (or TSV) file with a header row; see FIELD_ALIASES.

    At most ``max_bytes`` characters of a line or a field are held: a longer one is an error row.
    """
    sample = stream.read(65536)
    try:
        _, encoding = decode(sample if len(sample) < 65536 else sample[: sample.rfind(b"\n") + 1] or sample)
    except ReadError as err:
        yield Item(stem, path, error=err)
        return
    text = io.TextIOWrapper(
        io.BufferedReader(_Prefixed(sample, stream)), encoding=encoding, errors="replace", newline=""
    )
    csv.field_size_limit(max_bytes)
    if delimiter is None:
        delimiter = _sniff_delimiter(sample, encoding)
    overlong: list[int] = []
    reader = csv.reader(_bounded_text_lines(text, max_bytes, overlong), delimiter=delimiter)
    names = _csv_names(reader)
    if isinstance(names, ReadError):
        yield Item(stem, path, error=names)
        return
    yield from _csv_rows(reader, names, stem, path, overlong)


_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")  # after \n, \r\n or a lone \r, as csv expects


def _bounded_text_lines(text: IO[str], max_chars: int, overlong: list[int]) -> Iterator[str]:
    """The lines of ``text``, read in chunks (never more than ``max_chars`` of one line held): a
    longer line is skipped, an empty line yielded in its place and its number noted in ``overlong``
    just before."""
    head: list[str] = []  # the start of a line that runs past the chunks read so far
    held = 0
    skipping = lineno = 0  # skipping: the number of the overlong line being skipped
    while chunk := text.read(1 << 16):
        lines = _LINE_END.split(chunk)
        tail = lines.pop()  # after the chunk's last line end ('' when it ends on one)
        if lines:
            lines[0] = "".join(head) + lines[0]
            head, held = [], 0
            if skipping:  # the overlong line ends here
                lines[0] = "\n"
                overlong.append(skipping)
                skipping = 0
            start, lineno = lineno, lineno + len(lines)
            yield from _checked(lines, start, max_chars, overlong)
        if tail and not skipping:
            head.append(tail)
            held += len(tail)
            if held > max_chars:
                head, held, skipping = [], 0, lineno + 1
    if skipping:
        overlong.append(skipping)
        yield "\n"
    elif head:
        yield "".join(head)


def _checked(lines: list[str], start: int, max_chars: int, overlong: list[int]) -> Iterator[str]:
    """``lines`` (numbered from ``start + 1``), each over ``max_chars`` replaced by an empty line."""
    if max(map(len, lines)) <= max_chars:
        yield from lines
        return
    for i, line in enumerate(lines, start=start + 1):
        if len(line) > max_chars:
            overlong.append(i)
            yield "\n"
        else:
            yield line


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


def _csv_rows(
    reader: Iterator[list[str]], names: list[str], stem: str, path: str | None, overlong: list[int]
) -> Iterator[Item]:
    """One Item per data row (blank rows are not counted); a malformed row is an Item with its error."""
    row_no = 0
    while True:
        try:
            for row in reader:
                if overlong:
                    row_no += 1
                    error = ReadError("too-large", f"row {row_no}: line {overlong[0]} is too long")
                    overlong.clear()
                    yield Item(f"{stem}:{row_no}", path, error=error)
                elif row and any(cell.strip() for cell in row):
                    row_no += 1
                    yield _csv_item(row, names, f"{stem}:{row_no}", path)
            return
        except csv.Error as exc:
            row_no += 1
            yield Item(f"{stem}:{row_no}", path, error=ReadError("csv", f"row {row_no}: {exc}"))


def _csv_item(row: list[str], names: list[str], fallback: str, path: str | None) -> Item:
    if len(row) != len(names):
        detail = f"row {fallback.rsplit(':', 1)[1]} has {len(row)} fields, the header {len(names)}"
        return Item(fallback, path, error=ReadError("csv", detail))
    return record_item(dict(zip(names, row, strict=True)), fallback, path)


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
    """One Item per response record of a WARC stream (plain or gzip: warcio reads both, and keeps the
    complete records of a truncated archive); non-HTML responses are skipped. A truncated record, or
    a gzip archive cut short, ends with an error Item."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    truncated = False
    end = 0  # where the last record read ends (uncompressed archives)
    try:
        records = ArchiveIterator(stream)
        for record in records:
            item: Item | None = None
            if record.rec_type == "response":
                n += 1
                item = _warc_item(record, f"{stem}:{n}", path, max_bytes)
            elif record.rec_type not in WARC_TYPES or _cut_short(record):
                item = Item(f"{stem}:{n + 1}", path, error=ReadError("warc", "the archive is cut short here"))
            end = records.get_record_offset() + records.get_record_length()
            if item is not None:
                truncated = truncated or (item.error is not None and item.error.code == "warc")
                yield item
    except Exception as exc:  # warcio raises plain exceptions on broken archives
        yield Item(f"{stem}:{n + 1}", path, error=ReadError("warc", f"{type(exc).__name__}: {exc}"))
        return
    if not truncated and (not gzip_complete(stream) or _unread_tail(stream, end)):
        yield Item(
            f"{stem}:{n + 1}",
            path,
            error=ReadError("warc", "the archive is cut short: the records after this point are lost"),
        )


def _unread_tail(stream: IO[bytes], end: int) -> bool:
    """Whether an uncompressed archive has bytes after its last whole record (a record cut inside its
    header, or garbage)."""
    if not (hasattr(stream, "seekable") and stream.seekable()):
        return False
    stream.seek(0)
    if stream.read(2) == b"\x1f\x8b":
        return False  # gzip: gzip_complete decides
    stream.seek(end)
    return bool(stream.read(4096).strip())


def _warc_item(record: Any, doc_id: str, path: str | None, max_bytes: int) -> Item:
    """The Item of one response record."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
    data = record.content_stream().read(max_bytes + 1)
    if _cut_short(record):
        return Item(
            doc_id,
            path,
            url=url,
            error=ReadError("warc", "the record is cut short (the archive is truncated)"),
        )
    if "html" not in ctype.lower():
        kind = ctype.split(";")[0].strip() or "no content type"
        return Item(doc_id, path, url=url, error=ReadError("not-html", f"not an HTML response ({kind})"))
    item = Item(doc_id, path, url=url)
    if len(data) > max_bytes:
        item.warnings.append(f"truncated: the response is over {max_bytes} bytes; kept the first {max_bytes}")
        data = data[:max_bytes]
    m = re.search(r"charset=([\w.-]+)", ctype, re.IGNORECASE)
    try:
        item.html, _ = decode(data, hint=m.group(1) if m else None)
    except ReadError as err:
        item.error = err
    return item


# WARC record types (and warcio's for ARC files); any other value is a header cut short.
WARC_TYPES = frozenset(
    {
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
        "arc_header",
    }
)


def _cut_short(record: Any) -> bool:
    """Whether the record's body ends before its declared length (read to its end, in chunks)."""
    if record.length is None:
        return True
    while record.raw_stream.read(1 << 16):
        pass
    return getattr(record.raw_stream, "limit", 0) > 0


def gzip_complete(stream: IO[bytes]) -> bool:
    """Whether a seekable stream is not gzip, or is gzip whose last member ends properly (read again
    from the start in bounded chunks; trailing bytes that are not gzip are ignored)."""
    if not (hasattr(stream, "seekable") and stream.seekable()):
        return True
    stream.seek(0)
    d, started = zlib.decompressobj(31), False
    while chunk := stream.read(1 << 16):
        while chunk:
            if not started and not chunk.startswith(b"\x1f\x8b"[: len(chunk)]):
                return True  # not gzip, or padding after the last member
            try:
                d.decompress(chunk, 1 << 20)
            except zlib.error:
                return False
            started = True
            if d.eof:
                chunk, d, started = d.unused_data, zlib.decompressobj(31), False
            else:
                chunk = d.unconsumed_tail
    return not started or d.eof
