"""The heap a coding process builds once, and Python's cyclic garbage collector.

A coder builds a large heap once (the spaCy model, the knowledge bundle: some 200,000 objects) and
keeps it as long as the process runs. The cyclic collector's full passes walk every object it
tracks, so while that heap is built they run again and again for nothing (unpickling the knowledge
bundle alone set one off), and afterwards every full pass walks it once more: on the real-news
articles a tenth of a coding process went to the collector. ``paused_collector`` holds the collector
back while such a heap is built, and ``keep_for_good`` moves what is alive then out of its reach
(``gc.freeze``). Those objects are still freed by reference counting as any other; they are only
never searched for reference cycles again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """No cyclic collection inside the block (the collector's state before it comes back after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_for_good() -> None:
    """Leave every object alive now out of the cyclic collector's later passes."""
    gc.freeze()
