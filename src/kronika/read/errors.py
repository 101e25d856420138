"""Reading errors in one place: stable codes, and messages that say what to do.

Every document that cannot be read ends as a ``failed`` (or ``skipped``) Document whose ``reason``
starts with one of these codes, e.g. ``"gzip: truncated or corrupt gzip stream (...)"``.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "missing": "no such file or directory; check the path",
    "unreadable": "the file cannot be read; check its permissions",
    "empty": "the input is empty",
    "binary": "the input is binary, not text; give text, HTML, JSON(L), CSV or WARC",
    "gzip": "truncated or corrupt gzip stream; re-download or re-compress the file",
    "json": "malformed JSON; each line of a .jsonl file must be one JSON object",
    "csv": "malformed CSV row; check quoting and the number of fields",
    "record": "the record has no text; give a 'text' (or 'body', 'content') or an 'html' field",
    "html": "no article text could be extracted from the HTML",
    "warc": "unreadable WARC record",
    "no-body": "nothing is left after removing boilerplate",
    "language": "not English",
    "format": "unsupported input",
    "not-html": "not an HTML response",
    "too-large": "the input is over the size limit; split it (one document per line of a .jsonl file)",
}

SKIP_CODES = frozenset({"language", "no-body", "not-html"})


class ReadError(Exception):
    """A document that cannot be read; ``reason`` is what the Document reports."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown read error code {code!r}")
        self.code = code
        self.detail = detail
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        if self.detail:
            return f"{self.code}: {self.detail}"
        return f"{self.code}: {MESSAGES[self.code]}"

    @property
    def status(self) -> str:
        return "skipped" if self.code in SKIP_CODES else "failed"
