"""Date arithmetic of coreference: ranges, their compatibility and how an event's date is written."""

from __future__ import annotations

import datetime as dt

from kronika.schema.keys import DateRange, date_range

__all__ = [
    "DAY_TOLERANCE",
    "PRECISION_RANK",
    "UNDATED_WINDOW",
    "DateRange",
    "date_range",
    "dates_compatible",
    "format_date",
    "overlap",
]

DAY_TOLERANCE = 1
UNDATED_WINDOW = 7  # days before its publication an undated mention's event is looked for
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "window": 3, None: 4}


def dates_compatible(a: DateRange, b: DateRange, tolerance: int = DAY_TOLERANCE) -> bool:
    """Whether two date ranges can be the same event: day dates within ``tolerance`` days, coarser
    dates containing the other. Undated mentions are compatible with anything."""
    if a[0] is None or b[0] is None:
        return True
    if a[2] == "day" and b[2] == "day":
        return abs((a[0] - b[0]).days) <= tolerance
    assert a[1] is not None and b[1] is not None
    return a[0] <= b[1] and b[0] <= a[1]


def overlap(a: DateRange, b: DateRange) -> bool:
    """Date compatibility, where unknown dates are compatible with anything."""
    if a[0] is None or b[0] is None:
        return True
    return dates_compatible(a, b)


def format_date(lo: dt.date | None, precision: str | None) -> str | None:
    """The date string of a range's first day at its precision (``2016``, ``2016-02``, ``2016-02-24``)."""
    if lo is None:
        return None
    if precision == "year":
        return f"{lo.year:04d}"
    if precision == "month":
        return f"{lo.year:04d}-{lo.month:02d}"
    return lo.isoformat()
