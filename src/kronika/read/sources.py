"""Input sources: paths, directories, stdin and gzip, dispatched to the right format.

Every input document becomes one :class:`~kronika.read.formats.Item`, and every problem an Item
with an ``error``: a missing path, an unreadable file or folder, a truncated gzip, an input with no
documents at all or a bug in a parser never stops the batch. Memory stays bounded on any input: a
text is read up to ``settings.max_bytes``, a JSON file up to ``settings.max_json_bytes``, JSON Lines
and CSV line by line (a line or field over ``settings.max_bytes`` is an error record), and gzip is
inflated to at most ``DECOMPRESSION_RATIO`` times the size of the file.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from kronika.config import Settings
from kronika.read.encoding import decode, truncate_bytes
from kronika.read.errors import ReadError
from kronika.read.formats import Item, iter_csv, iter_json, iter_jsonl, iter_warc

log = logging.getLogger(__name__)

TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
JSON_EXT = {".json"}
CSV_EXT = {".csv": None, ".tsv": "\t"}
WARC_EXT = {".warc", ".arc"}
KNOWN_EXT = TEXT_EXT | HTML_EXT | JSONL_EXT | JSON_EXT | set(CSV_EXT) | WARC_EXT
GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"
# News text inflates 3-10 times; a gzip stream that inflates more than this is a bomb. Never less than
# settings.max_bytes.
DECOMPRESSION_RATIO = 50


def split_name(name: str) -> tuple[str, str, bool]:
    """("a.jsonl.gz") -> ("a", ".jsonl", True): the stem, the format extension, gzip or not."""
    gz = name.lower().endswith(".gz")
    if gz:
        name = name[:-3]
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if ext in KNOWN_EXT:
        return name[:dot], ext, gz
    return name, "", gz


def sniff(head: bytes) -> str:
    """Guess the format of a stream from its first bytes."""
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    low = s[:512].lower()
    if s.startswith(b"WARC/"):
        return ".warc"
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<p>" in low:
        return ".html"
    if s.startswith(b"["):
        return ".json"
    if s.startswith(b"{"):
        return ".jsonl" if s.count(b"\n") > 0 and b"}\n{" in s.replace(b"\r", b"")[:65536] else ".json"
    return ".txt"


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[str | Path | Item]:
    """Expand directories (recursively, sorted, hidden files skipped); a folder that cannot be read, or
    holds no input file, is an error Item."""
    for raw in inputs:
        if str(raw) == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path | Item]:
    """The input files under ``folder`` in sorted order, and an error Item per unreadable folder."""
    problems: list[OSError] = []
    files: list[Path] = []
    for top, dirs, names in os.walk(folder, onerror=problems.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            child = Path(top) / name
            if name.startswith(".") or not child.is_file():
                continue
            if split_name(name)[1]:
                files.append(child)
            else:
                log.debug("skipping %s: unknown extension", child)
    yield from sorted(files, key=lambda p: p.relative_to(folder).parts)
    for exc in problems:
        where = Path(exc.filename) if exc.filename else folder
        error = ReadError("unreadable", f"{exc.strerror}: {where}")
        yield Item(where.name or str(where), str(where), error=error)
    if not files and not problems:
        error = ReadError("empty", f"no input files in {folder}")
        yield Item(folder.name or str(folder), str(folder), error=error)


class _Inflated(io.RawIOBase):
    """A gzip stream that fails with ReadError("too-large") past ``limit`` inflated bytes."""

    def __init__(self, source: IO[bytes], limit: int) -> None:
        self.source = source
        self._gz = gzip.GzipFile(fileobj=source, mode="rb")
        self._limit = limit
        self._total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._gz.readinto(buffer)
        self._total += n
        if self._total > self._limit:
            detail = f"the gzip stream inflates to over {self._limit} bytes ({DECOMPRESSION_RATIO}x its size)"
            raise ReadError("too-large", detail)
        return n

    def close(self) -> None:
        self._gz.close()
        self.source.close()
        super().close()


def _inflate(source: IO[bytes], size: int, settings: Settings) -> IO[bytes]:
    limit = max(settings.max_bytes, DECOMPRESSION_RATIO * size)
    return io.BufferedReader(_Inflated(source, limit))


def _open(path: Path, ext: str, settings: Settings) -> IO[bytes]:
    stream: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if ext not in WARC_EXT and stream.read(2) == GZIP_MAGIC:  # warcio reads gzip WARC itself
        stream.seek(0)
        return _inflate(stream, path.stat().st_size, settings)
    stream.seek(0)
    return stream


def _stdin(settings: Settings) -> IO[bytes]:
    """Standard input as a stream, read by each format within its own limits (never whole); gzip
    data, which warcio rewinds, is read into memory up to ``settings.max_json_bytes`` first."""
    stream: Any = sys.stdin.buffer
    try:  # a stream of its own over the descriptor: closing it leaves standard input open
        stream = open(stream.fileno(), "rb", closefd=False)  # noqa: SIM115 - closed by the caller
    except (AttributeError, OSError, ValueError):  # not a file (io.UnsupportedOperation is an OSError)
        stream = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    if stream.peek(2)[:2] == GZIP_MAGIC:
        data = stream.read(settings.max_json_bytes)
        return _inflate(io.BytesIO(data), len(data), settings)
    return cast(IO[bytes], stream)


def _read_capped(stream: IO[bytes], max_bytes: int, warnings: list[str]) -> bytes:
    """At most ``max_bytes`` of a text; a compressed stream cut short keeps what was read."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= max_bytes and (chunk := stream.read(min(1 << 20, max_bytes + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    except _GZIP_ERRORS as exc:
        if not size:
            raise
        warnings.append(f"gzip: truncated or corrupt gzip stream ({exc}); kept the {size} bytes read")
    data = b"".join(chunks)
    if len(data) > max_bytes:
        warnings.append(
            f"truncated: the input is over {max_bytes} bytes (settings.max_bytes); kept the first part"
        )
        data = truncate_bytes(data, max_bytes)
    return data


_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def _gzip_source(stream: IO[bytes]) -> IO[bytes] | None:
    """The compressed file under an inflating stream, rewound (for warcio, which inflates itself)."""
    inner = getattr(stream, "raw", None)
    if isinstance(inner, _Inflated):
        inner.source.seek(0)
        return inner.source
    return None


def items_from_stream(
    stream: IO[bytes], stem: str, ext: str, path: str | None, settings: Settings
) -> Iterator[Item]:
    """Items of one opened input (already decompressed)."""
    if not ext:
        head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        ext = sniff(head)
    if ext in JSONL_EXT:
        yield from iter_jsonl(stream, stem, path, settings.max_bytes)
    elif ext in JSON_EXT:
        yield from _json_items(stream, stem, path, settings)
    elif ext in CSV_EXT:
        yield from iter_csv(stream, stem, path, settings.max_bytes, CSV_EXT[ext])
    elif ext in WARC_EXT:
        yield from iter_warc(_gzip_source(stream) or stream, stem, path, settings.max_bytes)
    else:
        yield _text_item(stream, stem, path, settings, html=ext in HTML_EXT)


def _json_items(stream: IO[bytes], stem: str, path: str | None, settings: Settings) -> Iterator[Item]:
    """The records of a JSON file, read whole up to ``settings.max_json_bytes``."""
    data = stream.read(settings.max_json_bytes + 1)
    if len(data) > settings.max_json_bytes:
        detail = f"the JSON file is over {settings.max_json_bytes} bytes (settings.max_json_bytes)"
        yield Item(stem, path, error=ReadError("too-large", detail))
    elif not data.strip():
        yield Item(stem, path, error=ReadError("empty"))
    else:
        yield from iter_json(data, stem, path, settings.max_bytes)


def _text_item(stream: IO[bytes], stem: str, path: str | None, settings: Settings, html: bool) -> Item:
    """The one Item of a text or HTML file."""
    warnings: list[str] = []
    data = _read_capped(stream, settings.max_bytes, warnings)
    if not data.strip():
        return Item(stem, path, error=ReadError("empty"))
    try:
        text, encoding = decode(data)
    except ReadError as err:
        return Item(stem, path, error=err)
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        warnings.append(f"encoding: decoded as {encoding}")
    item = Item(stem, path, warnings=warnings)
    if html:
        item.html = text
    else:
        item.text = text
    return item


def iter_items(inputs: Iterable[str | Path], settings: Settings) -> Iterator[Item]:
    """Every input document of ``inputs`` as an Item, errors included, in input order."""
    for target in iter_paths(inputs):
        if isinstance(target, Item):
            yield target
        elif target == STDIN:
            yield from _items_of("stdin", "", None, lambda: _stdin(settings), settings)
        else:
            yield from _items_of_path(Path(target), settings)


def _items_of_path(path: Path, settings: Settings) -> Iterator[Item]:
    stem, ext, _ = split_name(path.name)
    path_str = str(path)
    if not path.exists():
        yield Item(stem, path_str, error=ReadError("missing", f"no such file or directory: {path}"))
    elif not path.is_file():
        yield Item(stem, path_str, error=ReadError("unreadable", f"not a regular file: {path}"))
    else:
        yield from _items_of(stem, ext, path_str, lambda: _open(path, ext, settings), settings)


def _items_of(
    stem: str, ext: str, path: str | None, opener: Callable[[], IO[bytes]], settings: Settings
) -> Iterator[Item]:
    """The Items of one input; an input that gives none is ``empty``, one that breaks off ends with the
    error (what was read before it is kept)."""
    count = 0
    error: ReadError | None = None
    try:
        with opener() as stream:
            for item in items_from_stream(stream, stem, ext, path, settings):
                count += 1
                yield item
    except ReadError as err:
        error = err
    except _GZIP_ERRORS as exc:
        error = ReadError("gzip", f"truncated or corrupt gzip stream ({exc})")
    except PermissionError as exc:
        error = ReadError("unreadable", f"{exc.strerror}: {path}")
    except OSError as exc:
        error = ReadError("unreadable", f"{exc}")
    except Exception as exc:  # a bug in a parser must not stop the batch: report it on the input
        log.exception("unexpected error reading %s", path or stem)
        error = ReadError("format", f"internal error: {type(exc).__name__}: {str(exc)[:200]}")
    if error is None and count == 0:
        error = ReadError("empty", "no documents in the input")
    if error is not None:
        yield Item(stem if count == 0 else f"{stem}:{count + 1}", path, error=error)
