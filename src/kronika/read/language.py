"""Language identification with py3langid (its model ships with the package: no download)."""

from __future__ import annotations

import re
from functools import lru_cache

MIN_LETTERS = 40
SAMPLE_CHARS = 5000
# Emoji, flags and other symbols say nothing about the language and pull the model off English.
_SYMBOLS = re.compile(r"[^\w\s.,;:!?'’\"()\-–—]+")


@lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202 - py3langid has no type hints
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability of ``text``; (None, 0.0) when it is too short to tell."""
    sample = _SYMBOLS.sub(" ", text[:SAMPLE_CHARS])
    if len(re.findall(r"[^\W\d_]", sample)) < MIN_LETTERS:
        return None, 0.0
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)
