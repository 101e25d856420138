"""Bytes to text: UTF-8 first, then charset-normalizer; binary input is refused."""

from __future__ import annotations

import codecs
import logging
import re

import charset_normalizer

from kronika.read.errors import ReadError

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return bad / len(text)


def decode(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding). Raises ReadError("binary") for non-text."""
    by_bom = _decode_bom(data)
    if by_bom is not None:
        return by_bom
    if b"\x00" in data[:65536]:
        raise ReadError("binary", "NUL bytes: the input is binary, not text")
    candidates = [hint] if hint else []
    candidates.append("utf-8")
    for name in candidates:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    return _decode_detected(data)


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    """The text of data that opens with a byte-order mark, or None (also when it does not decode)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    return None


def _decode_detected(data: bytes) -> tuple[str, str]:
    """Decode with the encoding charset-normalizer finds (Windows-1252 when it fits as well)."""
    matches = charset_normalizer.from_bytes(data[:1_000_000])
    best = matches.best()
    if best is None:
        raise ReadError("binary", "no text encoding fits the bytes")
    name = best.encoding
    # Legacy English web text is mostly Windows-1252: prefer it when it fits as well.
    for match in matches:
        if "cp1252" in match.could_be_from_charset:
            name = "cp1252"
            break
    try:
        text = data.decode(name)
    except (UnicodeDecodeError, LookupError):
        text = data.decode(best.encoding, errors="replace")
        name = best.encoding
    if _control_share(text) > 0.05:
        raise ReadError("binary", f"decoded as {name} the input is mostly control characters")
    log.debug("decoded input as %s", name)
    return text, name


def truncate_bytes(data: bytes, limit: int) -> bytes:
    """Cut ``data`` to at most ``limit`` bytes, at a line break near the end when there is one."""
    if len(data) <= limit:
        return data
    head = data[:limit]
    cut = head.rfind(b"\n", int(limit * 0.9))
    return head[: cut + 1] if cut > 0 else head


# A lone surrogate (from a JSON escape such as "\\ud800", or a file name that is not UTF-8) cannot be
# written as UTF-8; every string the reader hands on has them replaced.
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def scrub(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD (offsets do not move), and how many."""
    if not _SURROGATE.search(text):
        return text, 0
    return _SURROGATE.subn(REPLACEMENT, text)
