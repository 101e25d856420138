"""Properties of weekday and year choice over many publication dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.dates import resolve_event_date

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
pub_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=60, deadline=None)
@given(pub=pub_dates, weekday=st.integers(min_value=0, max_value=6), future=st.booleans())
def test_weekday_lies_within_a_week_on_the_side_of_the_tense(nlp, pub, weekday, future):
    verb = "will meet" if future else "met"
    doc = nlp(f"The envoys {verb} in Rome on {WEEKDAYS[weekday]}.")
    trigger = next(t for t in doc if t.text == "meet" or t.text == "met")
    resolution = resolve_event_date(next(doc.sents), trigger, pub)
    day = dt.date.fromisoformat(resolution.date)
    assert day.weekday() == weekday
    gap = (day - pub).days
    assert (0 <= gap <= 6) if future else (-6 <= gap <= 0)


@settings(max_examples=60, deadline=None)
@given(pub=pub_dates, target=st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2001, 12, 31)))
def test_date_without_year_is_the_latest_one_not_after_publication(nlp, pub, target):
    doc = nlp(f"The envoys met in Rome on {target.strftime('%B')} {target.day}.")
    trigger = next(t for t in doc if t.text == "met")
    resolution = resolve_event_date(next(doc.sents), trigger, pub)
    day = dt.date.fromisoformat(resolution.date)
    assert (day.month, day.day) == (target.month, target.day)
    assert day <= pub
    assert day.replace(year=day.year + 1) > pub
