"""resolve_event_date on hand-written sentences: every resolution rule, attachment and fallbacks."""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.dates import DateResolution, resolve_event_date
from kronika.dates.resolve import narrative_year

WED = dt.date(2016, 2, 24)  # a Wednesday


def _resolve(nlp, sentence: str, trigger: str, pub: dt.date | None) -> DateResolution:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    resolution = resolve_event_date(token.sent, token, pub)
    if resolution.text is not None:
        assert doc.text[resolution.start : resolution.end] == resolution.text
    return resolution


# sentence, trigger, publication date, expected date, precision, expression as written
TEXT_CASES = [
    # weekdays: the tense of the clause decides which one
    ("Putin spoke with Assad on Wednesday.", "spoke", WED, "2016-02-24", "day", "on Wednesday"),
    (
        "Putin spoke with Assad on Wednesday.",
        "spoke",
        dt.date(2016, 2, 23),
        "2016-02-17",
        "day",
        "on Wednesday",
    ),
    (
        "The summit will take place on Wednesday.",
        "take",
        dt.date(2017, 11, 22),
        "2017-11-22",
        "day",
        "on Wednesday",
    ),
    (
        "The summit will take place on Wednesday.",
        "take",
        dt.date(2017, 11, 23),
        "2017-11-29",
        "day",
        "on Wednesday",
    ),
    (
        "Police arrested twelve protesters Wednesday in Cairo.",
        "arrested",
        dt.date(2016, 2, 26),
        "2016-02-24",
        "day",
        "Wednesday",
    ),
    (
        "The rebels shelled the border town last Wednesday.",
        "shelled",
        WED,
        "2016-02-17",
        "day",
        "last Wednesday",
    ),
    ("Officials said talks would resume next Friday.", "resume", WED, "2016-02-26", "day", "next Friday"),
    (
        "The foreign ministers are set to meet on Friday in Oslo.",
        "meet",
        dt.date(2016, 2, 27),
        "2016-03-04",
        "day",
        "on Friday",
    ),
    ("The opposition plans to hold a rally on Sunday.", "hold", WED, "2016-02-28", "day", "on Sunday"),
    ("The rebels are going to attack the city on Sunday.", "attack", WED, "2016-02-28", "day", "on Sunday"),
    ("Parliament has approved the budget on Tuesday.", "approved", WED, "2016-02-23", "day", "on Tuesday"),
    ("Kerry meets Lavrov on Friday in Geneva.", "meets", WED, "2016-02-26", "day", "on Friday"),
    (
        "Kerry meets Lavrov on Friday in Geneva.",
        "meets",
        dt.date(2016, 2, 29),
        "2016-02-26",
        "day",
        "on Friday",
    ),
    # named days
    (
        "Police arrested twelve protesters yesterday in Cairo.",
        "arrested",
        WED,
        "2016-02-23",
        "day",
        "yesterday",
    ),
    ("Talks are due to resume tomorrow in Vienna.", "resume", WED, "2016-02-25", "day", "tomorrow"),
    ("Protesters gathered outside the embassy tonight.", "gathered", WED, "2016-02-24", "day", "tonight"),
    ("A 45-year-old man was arrested this morning.", "arrested", WED, "2016-02-24", "day", "this morning"),
    ("The army left the city three days ago.", "left", WED, "2016-02-21", "day", "three days ago"),
    # months and years relative to publication
    (
        "Turkey expelled the Dutch ambassador last month.",
        "expelled",
        dt.date(2016, 1, 10),
        "2015-12",
        "month",
        "last month",
    ),
    ("Inflation slowed this month, the bank said.", "slowed", WED, "2016-02", "month", "this month"),
    (
        "Iran will hold talks with the EU next month.",
        "hold",
        dt.date(2016, 12, 24),
        "2017-01",
        "month",
        "next month",
    ),
    ("Exports fell sharply last year.", "fell", WED, "2015", "year", "last year"),
    # a week is a month when it lies in one month, else the year of its Thursday
    ("The army seized the town last week.", "seized", WED, "2016-02", "month", "last week"),
    ("The army seized the town last week.", "seized", dt.date(2016, 2, 3), "2016-01", "month", "last week"),
    ("The army seized the town last week.", "seized", dt.date(2016, 3, 9), "2016", "year", "last week"),
    ("The army seized the town last week.", "seized", dt.date(2016, 1, 6), "2015", "year", "last week"),
    # explicit dates
    ("The government banned the party in 2015.", "banned", WED, "2015", "year", "in 2015"),
    ("Troops withdrew from the valley in May 2012.", "withdrew", WED, "2012-05", "month", "in May 2012"),
    (
        "The accord was signed on November 14, 2013 in Geneva.",
        "signed",
        WED,
        "2013-11-14",
        "day",
        "on November 14, 2013",
    ),
    (
        "The accord was signed on 14 November 2013 in Geneva.",
        "signed",
        WED,
        "2013-11-14",
        "day",
        "on 14 November 2013",
    ),
    ("The accord was signed on 2013-11-14 in Geneva.", "signed", WED, "2013-11-14", "day", "on 2013-11-14"),
    (
        "The accord was signed on Nov. 14, 2013 in Geneva.",
        "signed",
        WED,
        "2013-11-14",
        "day",
        "on Nov. 14, 2013",
    ),
    ("The deal expires at the end of 2016.", "expires", WED, "2016", "year", "the end of 2016"),
    # dates without a year take the year that fits the tense
    (
        "The elections will be held on November 28.",
        "held",
        dt.date(2016, 12, 1),
        "2017-11-28",
        "day",
        "on November 28",
    ),
    (
        "The elections will be held on November 28.",
        "held",
        dt.date(2016, 11, 20),
        "2016-11-28",
        "day",
        "on November 28",
    ),
    ("Israeli jets struck Gaza on Feb 24.", "struck", dt.date(2016, 2, 20), "2015-02-24", "day", "on Feb 24"),
    ("Israeli jets struck Gaza on Feb 24.", "struck", WED, "2016-02-24", "day", "on Feb 24"),
    ("Troops withdrew from the valley in March.", "withdrew", WED, "2015-03", "month", "in March"),
    ("Troops will withdraw from the valley in March.", "withdraw", WED, "2016-03", "month", "in March"),
    ("Voters rejected the plan last May.", "rejected", WED, "2015-05", "month", "last May"),
]


@pytest.mark.parametrize(("sentence", "trigger", "pub", "date", "precision", "text"), TEXT_CASES)
def test_date_resolved_from_text(nlp, sentence, trigger, pub, date, precision, text):
    resolution = _resolve(nlp, sentence, trigger, pub)
    assert (resolution.date, resolution.precision, resolution.text) == (date, precision, text)
    assert resolution.source == "text"


# Without a publication date only expressions carrying their own year resolve.
NO_PUBLICATION_CASES = [
    ("Police arrested twelve protesters on Wednesday.", "arrested", None, None, "on Wednesday"),
    ("Exports fell sharply last year.", "fell", None, None, "last year"),
    ("Police arrested twelve protesters yesterday.", "arrested", None, None, "yesterday"),
    ("The elections were held on November 28.", "held", None, None, "on November 28"),
    ("The accord was signed on November 14, 2013.", "signed", "2013-11-14", "day", "on November 14, 2013"),
    ("Troops withdrew from the valley in May 2012.", "withdrew", "2012-05", "month", "in May 2012"),
]


@pytest.mark.parametrize(("sentence", "trigger", "date", "precision", "text"), NO_PUBLICATION_CASES)
def test_without_publication_date_only_own_year_resolves(nlp, sentence, trigger, date, precision, text):
    resolution = _resolve(nlp, sentence, trigger, None)
    assert (resolution.date, resolution.precision, resolution.text) == (date, precision, text)
    assert resolution.source == ("text" if date else None)
    assert resolution.start is not None


IGNORED_CASES = [
    "The rebels, who have fought for two years, attacked the base.",
    "A 45-year-old man attacked the guards.",
    "Police patrol the streets every day.",
    "The general ruled the province for more than a decade.",
    "The election will take place in at least two years.",
    "Violence increased in recent years.",
    "Prices rose over the past two years.",
]


@pytest.mark.parametrize("sentence", IGNORED_CASES)
def test_durations_ages_and_frequencies_fall_back_to_publication(nlp, sentence):
    doc = nlp(sentence)
    trigger = next(t for t in doc if t.dep_ == "ROOT")
    resolution = resolve_event_date(next(doc.sents), trigger, WED)
    assert resolution == DateResolution(
        date="2016-02-24", precision="day", source="publication", reason=resolution.reason
    )


def test_no_expression_uses_publication_date(nlp):
    resolution = _resolve(nlp, "Rebels attacked the convoy near the border.", "attacked", WED)
    assert (resolution.date, resolution.precision, resolution.source) == ("2016-02-24", "day", "publication")
    assert resolution.text is None and resolution.start is None


def test_no_expression_and_no_publication_date_gives_nothing(nlp):
    resolution = _resolve(nlp, "Rebels attacked the convoy near the border.", "attacked", None)
    assert resolution == DateResolution()


def test_datetime_publication_is_taken_as_its_day(nlp):
    resolution = _resolve(
        nlp, "Police arrested twelve protesters yesterday.", "arrested", dt.datetime(2016, 2, 24, 23, 30)
    )
    assert resolution.date == "2016-02-23"


ATTACHMENT_CASES = [
    # the trigger's own clause wins over a relative clause
    ("Merkel, who visited Kabul in 2015, met Ghani on Tuesday.", "met", "2016-02-23", "on Tuesday"),
    ("Merkel, who visited Kabul in 2015, met Ghani on Tuesday.", "visited", "2015", "in 2015"),
    # a date inside a relative clause that does not contain the trigger never dates it
    ("Merkel, who visited Kabul in 2015, met Ghani.", "met", "2016-02-24", None),
    # reporting clause and reported clause keep their own dates
    ("The minister said on Monday that talks would resume next Friday.", "said", "2016-02-22", "on Monday"),
    (
        "The minister said on Monday that talks would resume next Friday.",
        "resume",
        "2016-02-26",
        "next Friday",
    ),
    # a date governing the trigger's clause dates it when the trigger's clause has none
    ("The president said Sunday that he would veto the bill.", "veto", "2016-02-21", "Sunday"),
    # a nominal trigger takes the date attached to it; the tense comes from its verb
    ("The talks on Friday ended without agreement.", "talks", "2016-02-19", "on Friday"),
    ("The attack, which happened on Monday, killed twelve people.", "attack", "2016-02-22", "on Monday"),
    ("He was born on 3 March 1950 and was arrested on Monday.", "arrested", "2016-02-22", "on Monday"),
    # a clause naming a reference event ("since", "after", ...) keeps its date to itself
    (
        "It was their first meeting in two years, the first since the king took power in May 2012.",
        "meeting",
        "2016-02-24",
        None,
    ),
    ("The talks resumed after the ceasefire collapsed in 2014.", "resumed", "2016-02-24", None),
]


@pytest.mark.parametrize(("sentence", "trigger", "date", "text"), ATTACHMENT_CASES)
def test_expression_attached_to_trigger_is_chosen(nlp, sentence, trigger, date, text):
    resolution = _resolve(nlp, sentence, trigger, WED)
    assert (resolution.date, resolution.text) == (date, text)


def test_reason_names_the_rule(nlp):
    resolution = _resolve(nlp, "The summit will take place on Wednesday.", "take", WED)
    assert resolution.reason is not None and "future" in resolution.reason
    assert resolution.to_dict()["date"] == "2016-02-24"


@pytest.mark.parametrize(
    "sentence",
    [
        "The six-year war has killed thousands of people.",
        "Damascus had threatened to boycott the talks.",
        "Dozens of activists have been arrested.",
    ],
)
def test_an_act_in_the_perfect_is_dated_to_the_publication_month(nlp, sentence):
    doc = nlp(sentence)
    trigger = next(t for t in doc if t.pos_ == "VERB" and t.tag_ == "VBN")
    resolution = resolve_event_date(next(doc.sents), trigger, WED)
    assert (resolution.date, resolution.precision, resolution.source) == ("2016-02", "month", "publication")


def test_an_undated_text_tells_its_events_in_the_first_year_it_names(nlp):
    doc = nlp("The bombing took place in 1974. Police later arrested six men.")
    first, second = list(doc.sents)
    trigger = next(t for t in second if t.lemma_ == "arrest")
    year = narrative_year(first)
    assert year == 1974
    resolution = resolve_event_date(second, trigger, None, story_year=year)
    assert (resolution.date, resolution.precision) == ("1974", "year")
    assert resolve_event_date(second, trigger, None) == DateResolution()


@pytest.mark.parametrize(
    ("sentence", "lemma", "expected"),
    [
        ("In June the organisation called a ceasefire.", "call", ("1972-06", "month")),
        ("On 21 July the group detonated twenty bombs.", "detonate", ("1972-07-21", "day")),
        ("Paratroopers killed 13 protesters on Sunday.", "kill", ("1972", "year")),
    ],
)
def test_an_undated_text_reads_months_and_weekdays_in_its_story_year(nlp, sentence, lemma, expected):
    doc = nlp(sentence)
    trigger = next(t for t in doc if t.lemma_ == lemma)
    resolution = resolve_event_date(next(doc.sents), trigger, None, story_year=1972)
    assert (resolution.date, resolution.precision, resolution.source) == (*expected, "text")
    assert resolve_event_date(next(doc.sents), trigger, None).date is None


def test_may_in_a_name_is_no_month(nlp):
    doc = nlp("Erdogan met Theresa May in London.")
    trigger = next(t for t in doc if t.lemma_ == "meet")
    resolution = resolve_event_date(next(doc.sents), trigger, WED)
    assert (resolution.date, resolution.source) == ("2016-02-24", "publication")


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("The opposition has been lobbying Brussels not to offer aid.", "lobbying"),  # perfect progressive
        ("The revamped delegation, endorsed by the EU envoy, has edged towards a compromise.", "endorsed"),
        ("He said the president had told him the US would no longer supply arms.", "supply"),  # reported
    ],
)
def test_back_story_without_a_date_is_dated_to_the_publication_month(nlp, sentence, trigger):
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == trigger)
    resolution = resolve_event_date(next(doc.sents), tok, WED)
    assert (resolution.date, resolution.precision) == ("2016-02", "month")


def test_an_act_reported_in_the_simple_past_keeps_the_publication_day(nlp):
    doc = nlp("Putin urged Iran and Turkey to start a discussion on the reconstruction of Syria.")
    tok = next(t for t in doc if t.text == "urged")
    assert resolve_event_date(next(doc.sents), tok, WED).date == WED.isoformat()


def test_an_event_named_as_what_came_before_is_dated_to_the_publication_month():
    from kronika.config import Settings
    from kronika.pipeline import code_texts

    text = "Following his talks with Theresa May in London, Yildirim said Turkey would buy British jets."
    coded = code_texts([text], pub_date="2017-11-27", settings=Settings(min_confidence=0))
    events = [e.to_dict() for e in coded]
    talks = next(e for e in events if e["event_text"] == "talks")
    assert talks["date"] == "2017-11" and talks["date_precision"] == "month"


def test_a_clock_time_is_no_year():
    from kronika.config import Settings
    from kronika.dates.expressions import find_date_expressions
    from kronika.pipeline import get_coder

    doc = get_coder(Settings()).nlp("The bomb went off at around 5.30 p.m. local time (1530 UTC).")
    assert not [e for s in doc.sents for e in find_date_expressions(s)]
