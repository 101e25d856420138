"""Dates of event mentions: find the date expressions of a sentence and resolve the one that dates
an event against the publication date."""

from kronika.dates.clauses import clause_tense
from kronika.dates.expressions import POINT_KINDS, DateExpression, classify, find_date_expressions
from kronika.dates.lexicon import DateLexicon, load_lexicon
from kronika.dates.resolve import DateResolution, resolve_event_date, resolve_expression

__all__ = [
    "POINT_KINDS",
    "DateExpression",
    "DateLexicon",
    "DateResolution",
    "classify",
    "clause_tense",
    "find_date_expressions",
    "load_lexicon",
    "resolve_event_date",
    "resolve_expression",
]
