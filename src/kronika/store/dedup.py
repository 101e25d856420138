"""Near-duplicate articles: MinHash fingerprints over word shingles, LSH bands kept in the database.

Wire copies and re-posts of one story should count as one source when events are tallied. Each stored
document keeps its MinHash signature and its LSH band buckets (table ``doc_lsh``), so a new document
finds its candidate twins with one indexed query instead of comparing against every stored article, and
the index survives between runs. Candidates are confirmed by the estimated Jaccard similarity.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
from datasketch import MinHash, MinHashLSH

log = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE_SIZE = 3
THRESHOLD = 0.8
SCHEME = "affine32"  # pinned: stored signatures must stay comparable across datasketch versions
MIN_TOKENS = 12  # shorter texts get no fingerprint: too little to call two articles copies

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _lsh_params(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


BANDS, ROWS = _lsh_params()


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens: punctuation, case and spacing differences do not count."""
    return _TOKEN.findall(text.lower())


def shingles(text: str, k: int = SHINGLE_SIZE) -> set[str]:
    """The set of k-word shingles of ``text``."""
    return _shingles_of(tokens(text), k)


def _shingles_of(words: list[str], k: int = SHINGLE_SIZE) -> set[str]:
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutation parameters for seed 1, drawn once: every fingerprint uses the same ones."""
    a, b = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME).permutations
    return a, b


def fingerprint(text: str, num_perm: int = NUM_PERM) -> MinHash | None:
    """The MinHash of the text's shingles, or ``None`` when the text is too short to compare."""
    words = tokens(text)
    if len(words) < MIN_TOKENS:
        return None
    m = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME, permutations=_permutations(num_perm))
    m.update_batch([s.encode("utf-8") for s in _shingles_of(words)])
    return m


def similarity(a: MinHash | Sequence[int], b: MinHash | Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures (MinHash objects or stored hash values)."""
    va = np.asarray(a.hashvalues if isinstance(a, MinHash) else a, dtype=np.uint64)
    vb = np.asarray(b.hashvalues if isinstance(b, MinHash) else b, dtype=np.uint64)
    if len(va) != len(vb) or not len(va):
        return 0.0
    return float(np.count_nonzero(va == vb)) / len(va)


def band_keys(m: MinHash, bands: int = BANDS, rows: int = ROWS) -> list[tuple[int, str]]:
    """The LSH bucket of each band: documents sharing any bucket are candidate duplicates."""
    hv = np.asarray(m.hashvalues, dtype=np.uint64)
    out = []
    for b in range(bands):
        chunk = hv[b * rows : (b + 1) * rows].tobytes()
        out.append((b, hashlib.blake2b(chunk, digest_size=8).hexdigest()))
    return out


@dataclass
class Fingerprinted:
    """A document about to be stored, with its fingerprint (``None`` for short or empty texts)."""

    doc_key: str
    minhash: MinHash | None


_Keyed = tuple[str, MinHash, list[tuple[int, str]]]
_Stored = tuple[str, list[int], str | None]


def find_near_duplicates(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[Fingerprinted],
    threshold: float = THRESHOLD,
) -> dict[str, str]:
    """Map each document of ``batch`` that copies an earlier one to that earlier original.

    Earlier means already stored, or before it in ``batch``. Copies of copies point to the first
    original, so every group of near-duplicates has one canonical member.
    """
    result: dict[str, str] = {}
    keyed = [(d.doc_key, d.minhash, band_keys(d.minhash)) for d in batch if d.minhash is not None]
    if not keyed:
        return result
    stored = _stored_candidates(con, keyed)
    in_batch: dict[tuple[int, str], list[int]] = {}
    for pos, (doc_key, m, keys) in enumerate(keyed):
        original = _stored_original(doc_key, m, stored.get(pos, []), threshold)
        if original is None:
            original = _batch_original(m, keys, in_batch, keyed, result, threshold)
        if original is not None and original != doc_key:
            result[doc_key] = original
            log.debug("document %s is a near-duplicate of %s", doc_key, original)
        for k in keys:
            in_batch.setdefault(k, []).append(pos)
    return result


def _stored_candidates(con: duckdb.DuckDBPyConnection, keyed: list[_Keyed]) -> dict[int, list[_Stored]]:
    """Stored documents sharing an LSH bucket with each batch document (by position), oldest first."""
    probe = pa.table(
        {
            "pos": pa.array([i for i, (_, _, keys) in enumerate(keyed) for _ in keys], pa.int32()),
            "band": pa.array([b for _, _, keys in keyed for b, _ in keys], pa.int16()),
            "bucket": pa.array([k for _, _, keys in keyed for _, k in keys], pa.string()),
        }
    )
    con.register("_probe_bands", probe)
    try:
        rows = con.execute(
            """
            SELECT DISTINCT p.pos, l.doc_key, d.minhash, d.near_duplicate_of, d.ingested_at
            FROM _probe_bands p
            JOIN doc_lsh l ON l.band = p.band AND l.bucket = p.bucket
            JOIN documents d ON d.doc_key = l.doc_key
            ORDER BY p.pos, d.ingested_at, l.doc_key
            """
        ).fetchall()
    finally:
        con.unregister("_probe_bands")
    stored: dict[int, list[_Stored]] = {}
    for pos, key, values, dup_of, _ in rows:
        stored.setdefault(pos, []).append((key, values, dup_of))
    return stored


def _stored_original(doc_key: str, m: MinHash, candidates: list[_Stored], threshold: float) -> str | None:
    """The original of the first stored candidate similar enough (a stored copy points to its own)."""
    for key, values, dup_of in candidates:
        if key == doc_key:
            continue
        if similarity(m, values) >= threshold:
            return dup_of or key
    return None


def _batch_original(
    m: MinHash,
    keys: list[tuple[int, str]],
    in_batch: dict[tuple[int, str], list[int]],
    keyed: list[_Keyed],
    result: dict[str, str],
    threshold: float,
) -> str | None:
    """The original of the first earlier batch document in a shared bucket that is similar enough."""
    earlier = sorted({p for k in keys for p in in_batch.get(k, [])})
    for p in earlier:
        other_key, other_m, _ = keyed[p]
        if similarity(m, other_m) >= threshold:
            return result.get(other_key, other_key)
    return None


def lsh_rows(batch: Sequence[Fingerprinted]) -> pa.Table:
    """The ``doc_lsh`` rows of a batch, ready for a bulk insert."""
    band, bucket, key = [], [], []
    for d in batch:
        if d.minhash is None:
            continue
        for b, k in band_keys(d.minhash):
            band.append(b)
            bucket.append(k)
            key.append(d.doc_key)
    return pa.table(
        {
            "band": pa.array(band, pa.int16()),
            "bucket": pa.array(bucket, pa.string()),
            "doc_key": pa.array(key, pa.string()),
        }
    )
