"""read_text never raises, and kept text plus removed spans account for every input character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.read import read_text

LINES = st.sampled_from(
    [
        "Share",
        "Advertisement",
        "Comments",
        "Tags: a, b",
        "  • js-share article-body__content",
        "The minister said on Monday that the talks would resume next week in the capital.",
        "Troops Leave Border Towns",
        "MOSCOW, Feb 24 – The Kremlin said the call went well on Wednesday.",
        "A soldier at a checkpoint (AFP/Getty Images)",
        "Wednesday 24 February 2016 17:23 GMT",
        "",
    ]
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(LINES, max_size=15).map("\n".join))


def _nonws(s: str) -> str:
    return "".join(s.split())


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_read_text_never_raises_and_partitions_the_input(raw):
    doc = read_text(raw, "h")
    assert doc.status in {"ok", "skipped", "failed"}
    spans = sorted(doc.removed, key=lambda r: r.start)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    assert all(0 <= r.start <= r.end <= len(raw) for r in spans)
    kept, pos = [], 0
    for r in spans:
        kept.append(raw[pos : r.start])
        pos = r.end
    kept.append(raw[pos:])
    if doc.status == "ok" or doc.reason == "no-body: nothing is left after removing boilerplate":
        assert _nonws(doc.text) == _nonws("".join(kept))
