"""Run by test_ingest: store generated documents slowly, writing a marker after each commit.

Usage: python slow_ingest.py DB MARKER N_DOCS COMMIT_EVERY DELAY
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from store_factory import generated_corpus  # noqa: E402

from kronika.store.ingest import store_coded  # noqa: E402


def main() -> None:
    db, marker, n, every, delay = (
        sys.argv[1],
        Path(sys.argv[2]),
        int(sys.argv[3]),
        int(sys.argv[4]),
        float(sys.argv[5]),
    )

    def slow():
        for i, pair in enumerate(generated_corpus(n)):
            if i >= every:
                time.sleep(delay)
            yield pair

    store_coded(slow(), db, commit_every=every, on_batch=lambda r: marker.write_text(str(r.batches)))


if __name__ == "__main__":
    main()
