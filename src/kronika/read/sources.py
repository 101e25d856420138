"""Input sources: paths, directories, stdin and gzip, dispatched to the right format.

Every input document becomes one :class:`~kronika.read.formats.Item`, and every problem an Item
with an ``error``: a missing path, an unreadable file or a truncated gzip never stops the batch.
"""

from __future__ import annotations

import gzip
import io
import logging
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

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


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[tuple[str | Path, bool]]:
    """Expand directories (recursively, sorted, hidden files skipped): (path, named explicitly)."""
    for raw in inputs:
        if str(raw) == STDIN:
            yield STDIN, True
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or not child.is_file():
                    continue
                if split_name(child.name)[1]:
                    yield child, False
                else:
                    log.debug("skipping %s: unknown extension", child)
        else:
            yield path, True


def _open(path: Path) -> IO[bytes]:
    stream: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if stream.read(2) == GZIP_MAGIC:
        stream.seek(0)
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    stream.seek(0)
    return stream


def _stdin() -> IO[bytes]:
    data = sys.stdin.buffer.read()
    if data.startswith(GZIP_MAGIC):
        return gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")  # type: ignore[return-value]
    return io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]


def _read_capped(stream: IO[bytes], max_bytes: int, warnings: list[str]) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        warnings.append(
            f"truncated: the input is over {max_bytes} bytes (settings.max_bytes); kept the first part"
        )
        data = truncate_bytes(data, max_bytes)
    return data


_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def items_from_stream(
    stream: IO[bytes], stem: str, ext: str, path: str | None, settings: Settings
) -> Iterator[Item]:
    """Items of one opened input (already decompressed)."""
    if not ext:
        head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        ext = sniff(head)
    if ext in JSONL_EXT:
        yield from iter_jsonl(stream, stem, path)
    elif ext in JSON_EXT:
        data = stream.read()
        yield from iter_json(data, stem, path)
    elif ext in CSV_EXT:
        yield from iter_csv(stream, stem, path, CSV_EXT[ext])
    elif ext in WARC_EXT:
        yield from iter_warc(stream, stem, path, settings.max_bytes)
    else:
        warnings: list[str] = []
        data = _read_capped(stream, settings.max_bytes, warnings)
        if not data.strip():
            yield Item(stem, path, error=ReadError("empty"))
            return
        try:
            text, encoding = decode(data)
        except ReadError as err:
            yield Item(stem, path, error=err)
            return
        if encoding not in ("utf-8", "utf-8-sig", "ascii"):
            warnings.append(f"encoding: decoded as {encoding}")
        item = Item(stem, path, warnings=warnings)
        if ext in HTML_EXT:
            item.html = text
        else:
            item.text = text
        yield item


def iter_items(inputs: Iterable[str | Path], settings: Settings) -> Iterator[Item]:
    """Every input document of ``inputs`` as an Item, errors included, in input order."""
    for target, _explicit in iter_paths(inputs):
        if target == STDIN:
            stem, ext, path_str = "stdin", "", None
            opener = _stdin
        else:
            path = Path(target)
            stem, ext, _ = split_name(path.name)
            path_str = str(path)
            if not path.exists():
                yield Item(stem, path_str, error=ReadError("missing", f"no such file or directory: {path}"))
                continue
            if not path.is_file():
                yield Item(stem, path_str, error=ReadError("unreadable", f"not a regular file: {path}"))
                continue

            def opener(path: Path = path) -> IO[bytes]:
                return _open(path)

        count = 0
        try:
            with opener() as stream:
                for item in items_from_stream(stream, stem, ext, path_str, settings):
                    count += 1
                    yield item
        except _GZIP_ERRORS as exc:
            doc_id = stem if count == 0 else f"{stem}:{count + 1}"
            yield Item(doc_id, path_str, error=ReadError("gzip", f"truncated or corrupt gzip stream ({exc})"))
        except PermissionError as exc:
            yield Item(stem, path_str, error=ReadError("unreadable", f"{exc.strerror}: {target}"))
        except OSError as exc:
            yield Item(stem, path_str, error=ReadError("unreadable", f"{exc}"))
