"""Finding and classifying date expressions, and the tense of the clause they belong to."""

from __future__ import annotations

import pytest

from kronika.dates import clause_tense, find_date_expressions


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Putin spoke with Assad on Wednesday.", [("on Wednesday", "weekday")]),
        ("The minister said this week's vote was rigged.", [("this week", "relative")]),
        ("The accord was signed on Nov. 14th, 2013.", [("on Nov. 14th, 2013", "absolute")]),
        ("Fighting broke out on 3/4/2014.", [("on 3/4/2014", "absolute")]),
        ("Troops withdrew in May 2012.", [("in May 2012", "absolute")]),
        ("The ministers met earlier this month in Paris.", [("earlier this month", "relative")]),
        ("Gunmen stormed the hotel last Sunday night.", [("last Sunday night", "weekday")]),
        ("Theresa May met Merkel.", []),
        ("The court may rule on the case.", []),
        (
            "The rebels, who have fought for two years, attacked the base three days ago.",
            [("three days ago", "relative")],
        ),
    ],
)
def test_point_expressions_found(nlp, sentence, expected):
    doc = nlp(sentence)
    found = find_date_expressions(next(doc.sents))
    assert [(e.text, e.kind) for e in found] == expected
    for expr in found:
        assert doc.text[expr.start : expr.end] == expr.text


@pytest.mark.parametrize(
    ("sentence", "text", "kind"),
    [
        ("The rebels have fought for two years.", "two years", "duration"),
        ("The six-year war has killed thousands.", "six-year", "duration"),
        ("He has ruled for three decades.", "three decades", "duration"),
        ("A 45-year-old man was arrested.", "45-year-old", "age"),
        ("Police patrol the streets every day.", "every day", "frequency"),
        ("The conflict began in the 1990s.", "in the 1990s", "unknown"),
    ],
)
def test_non_points_are_classified_and_hidden_by_default(nlp, sentence, text, kind):
    sent = next(nlp(sentence).sents)
    assert find_date_expressions(sent) == []
    ignored = find_date_expressions(sent, include_ignored=True)
    assert [(e.text, e.kind) for e in ignored] == [(text, kind)]
    assert not ignored[0].is_point


@pytest.mark.parametrize(
    ("sentence", "word", "tense"),
    [
        ("Putin spoke with Assad.", "spoke", "past"),
        ("The deal has been signed.", "signed", "past"),
        ("The summit will take place in Oslo.", "take", "future"),
        ("Talks are due to resume in Vienna.", "resume", "future"),
        ("The opposition plans to hold a rally.", "hold", "future"),
        ("The president is to visit Moscow.", "visit", "future"),
        ("The rebels are going to attack the city.", "attack", "future"),
        ("The delegates went to meet the envoy.", "meet", "past"),
        ("Kerry meets Lavrov in Geneva.", "meets", "present"),
        ("The talks in Geneva ended without agreement.", "talks", "past"),
    ],
)
def test_clause_tense(nlp, sentence, word, tense):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == word)
    assert clause_tense(token, token.sent) == tense
