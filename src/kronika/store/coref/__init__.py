"""Cross-document event coreference: mentions of one real-world event become one event.

Mentions are first grouped by event type and dyad (``block_key``): the PLOVER type and, for each side,
the set of its countries with the broad family of their sector (``RUS:state``, ``SYR:armed``), sorted
for reciprocal types (CONSULT, COOPERATE, AGREE) so that "Putin called Assad" and "Assad spoke with
Putin" fall in the same block. Sectors are compared by family because coders disagree on them (a
leader coded GOV in one article and ELI in another) while a family change (army against rebels) is a
different event; the exact sector still breaks ties. Within a block, mentions are clustered by date;
a *partial* mention (one side only) joins the one fully specified event it can report, if clear. Two
fully specified mentions with different dyads never link.

The package, in the order a mention goes through it:

- ``keys``: block keys and their sides (built in ``kronika.schema.keys``, shared with the record)
- ``dates``: date ranges and their compatibility
- ``clusters``: ``MentionRow`` and the clustering of one block (pure)
- ``summary``: one events row per cluster, and ``link`` for many blocks (pure)
- ``partial``: the candidate events of partial mentions, and ``attach`` (pure)
- ``sql``: fetching mentions, replacing blocks' events, partial candidates, ``relink``
- ``queue``: the relink queue ingest fills, ``relink_pending``, ``rekey_all``
- ``scoring``: pairwise precision and recall against gold links
"""

from __future__ import annotations

from kronika.store.coref.clusters import MentionRow, cluster_block, places_agree
from kronika.store.coref.dates import (
    DAY_TOLERANCE,
    PRECISION_RANK,
    UNDATED_WINDOW,
    date_range,
    dates_compatible,
    format_date,
)
from kronika.store.coref.keys import (
    block_key,
    entity_label,
    event_type_of,
    group_label,
    group_side,
    is_partial,
    is_reciprocal,
    partial_fits,
    reciprocal_types,
    sector_family,
    side_signature,
    split_block,
)
from kronika.store.coref.partial import attach
from kronika.store.coref.queue import enqueue, enqueue_mentions, pending, rekey_all, relink_pending
from kronika.store.coref.scoring import LinkScores, pairwise_scores
from kronika.store.coref.sql import EVENT_COLUMNS, LINK_COLUMNS, fetch, partners, relink
from kronika.store.coref.summary import best_date, event_id, link, summarise

__all__ = [
    "DAY_TOLERANCE",
    "EVENT_COLUMNS",
    "LINK_COLUMNS",
    "PRECISION_RANK",
    "reciprocal_types",
    "sector_family",
    "UNDATED_WINDOW",
    "LinkScores",
    "MentionRow",
    "attach",
    "best_date",
    "block_key",
    "cluster_block",
    "date_range",
    "dates_compatible",
    "enqueue",
    "enqueue_mentions",
    "entity_label",
    "event_id",
    "event_type_of",
    "fetch",
    "format_date",
    "group_label",
    "group_side",
    "is_partial",
    "is_reciprocal",
    "link",
    "pairwise_scores",
    "partial_fits",
    "partners",
    "pending",
    "places_agree",
    "rekey_all",
    "relink",
    "relink_pending",
    "side_signature",
    "split_block",
    "summarise",
]
