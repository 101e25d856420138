"""Errors in knowledge files: each names the file, the entry and the field, and the line if known."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class KnowledgeError(ValueError):
    """One problem in one knowledge file.

    ``file`` is the file as the user knows it (relative to its knowledge folder when possible),
    ``entry`` the key of the entry (``None`` for the file as a whole), ``field`` the field inside the
    entry in pydantic's notation (``roles[0].start``), ``line`` the 1-based line of the entry or field.
    """

    def __init__(
        self,
        file: str | Path,
        entry: str | None,
        field: str | None,
        message: str,
        line: int | None = None,
    ) -> None:
        self.file = str(file)
        self.entry = entry
        self.field = field
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = []
        if self.entry is not None:
            parts.append(f"entry {self.entry!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        what = ", ".join(parts)
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"

    def __reduce__(self):  # keep the fields when pickled (Dask workers)
        return (type(self), (self.file, self.entry, self.field, self.message, self.line))


class KnowledgeErrors(ValueError):
    """Every problem found while loading the knowledge, raised together."""

    def __init__(self, errors: Iterable[KnowledgeError]) -> None:
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in the knowledge files"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])

    def __reduce__(self):
        return (type(self), (self.errors,))

    @property
    def first(self) -> KnowledgeError:
        return self.errors[0]
