"""Block keys: how a mention's block is built (``kronika.schema.keys``, shared with the record) and read.

A block key is ``TYPE|actor side|recipient side``; a *partial* block has one side only, and its
mentions may join a fully specified event whose matching side holds its known side.
"""

from __future__ import annotations

from kronika.schema.keys import (
    block_key,
    entity_label,
    event_type_of,
    group_label,
    group_side,
    reciprocal_types,
    sector_family,
    side_signature,
)

__all__ = [
    "reciprocal_types",
    "sector_family",
    "block_key",
    "entity_label",
    "event_type_of",
    "group_label",
    "group_side",
    "is_partial",
    "is_reciprocal",
    "partial_fits",
    "side_signature",
    "split_block",
]


def is_reciprocal(event_type: str, actor_sig: str, recipient_sig: str) -> bool:
    """A reciprocal type (CONSULT, COOPERATE, AGREE) with both sides known."""
    return event_type in reciprocal_types() and bool(actor_sig) and bool(recipient_sig)


def split_block(key: str) -> tuple[str, str, str]:
    """``(type, actor side, recipient side)`` of a block key."""
    event_type, _, rest = key.partition("|")
    actor, _, recipient = rest.partition("|")
    return event_type, actor, recipient


def is_partial(key: str) -> bool:
    """A block of mentions with exactly one side coded."""
    _, a, r = split_block(key)
    return bool(a) != bool(r)


def _sides(key: str) -> tuple[str, frozenset[str], frozenset[str]]:
    t, a, r = split_block(key)
    return t, frozenset(a.split(",")) if a else frozenset(), frozenset(r.split(",")) if r else frozenset()


def partial_fits(partial: str, full: str) -> bool:
    """Whether a partial block's known side is contained in the matching side of a full block."""
    pt, pa_, pr = _sides(partial)
    ft, fa, fr = _sides(full)
    if pt != ft or not fa or not fr:
        return False
    if pt in reciprocal_types():
        known = pa_ or pr
        return known <= fa or known <= fr
    return pa_ <= fa if pa_ else pr <= fr
