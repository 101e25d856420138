"""The column layouts of the event-data formats and the Kronika fields that fill them.

A layout (``data/exports/<format>.yaml``, validated by ``kronika.knowledge.models.ExportLayout``)
lists the format's columns in order, each with the Kronika field that fills it, or none when Kronika
cannot know it (the column is written empty). ``FIELDS`` is every such field as an SQL expression
over one dyad row: ``y`` (the ``dyads`` view), ``e`` (its event), ``m`` (the event's representative
mention), ``d`` (that mention's document), ``ca``/``cr``/``cp`` (the country code tables of actor,
recipient and place) and ``cm`` (the CAMEO code table).
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml  # type: ignore[import-untyped]
from pydantic import ValidationError

from kronika.config import DATA_DIR
from kronika.knowledge.models import ExportLayout

LAYOUT_DIR = DATA_DIR / "exports"

_ENTITIES = '[{"code": "VARCHAR", "sector": "VARCHAR", "name": "VARCHAR", "entity_text": "VARCHAR"}]'


def _entity(side: str) -> str:
    """The representative mention's entity coded as the dyad row's ``side`` label (either role)."""
    parties = (
        f"list_concat(coalesce(from_json(json_extract(m.record, '$.actor'), '{_ENTITIES}'), []), "
        f"coalesce(from_json(json_extract(m.record, '$.recipient'), '{_ENTITIES}'), []))"
    )
    return f"list_filter({parties}, lambda x: x.code || coalesce(' ' || x.sector, '') = y.{side})[1]"


def _side(side: str, country: str) -> dict[str, str]:
    ent = _entity(side)
    return {
        f"{side}_cameo": f"CASE WHEN y.{side} NOT LIKE '?%' THEN replace(y.{side}, ' ', '') END",
        f"{side}_name": f"coalesce(({ent}).name, ({ent}).entity_text, {country}.name)",
        f"{side}_name_raw": f"({ent}).entity_text",
        f"{side}_code": f"y.{side}_code",
        f"{side}_country": f"CASE WHEN {country}.code IS NOT NULL THEN y.{side}_code END",
        f"{side}_group": f"CASE WHEN {country}.code IS NULL THEN y.{side}_code END",
        f"{side}_country_name": f"{country}.name",
        f"{side}_cow": f"{country}.cow",
        f"{side}_sector": f"y.{side}_sector",
    }


_DAY = "e.date_precision = 'day'"
_CITY = "('city', 'town')"
_REGION = "('province', 'region', 'territory', 'area')"

FIELDS: dict[str, str] = {
    "row_id": "('0x' || left(md5(e.event_id || '|' || coalesce(y.actor, '') || '|' "
    "|| coalesce(y.recipient, '')), 13))::BIGINT",
    "event_id": "e.event_id",
    "date": "e.date",
    "date_precision": "e.date_precision",
    "date_start": "e.date_lo",
    "date_end": "e.date_hi",
    "sqldate": f"CASE WHEN {_DAY} THEN CAST(strftime(e.date_lo, '%Y%m%d') AS INTEGER) END",
    "month_year": "CASE WHEN e.date_precision IN ('day', 'month') "
    "THEN CAST(strftime(e.date_lo, '%Y%m') AS INTEGER) END",
    "year": "year(e.date_lo)",
    "fraction_date": f"CASE WHEN {_DAY} THEN round(year(e.date_lo) + (dayofyear(e.date_lo) - 1) "
    "/ dayofyear(make_date(year(e.date_lo), 12, 31)), 4) END",
    **_side("actor", "ca"),
    **_side("recipient", "cr"),
    "is_root": "CASE WHEN m.sentence_index IS NULL THEN NULL WHEN m.sentence_index < 3 THEN 1 ELSE 0 END",
    "event_type": "e.event_type",
    "modes": "array_to_string(e.mode, ';')",
    "contexts": "array_to_string(coalesce(TRY_CAST(json_extract(m.record, '$.context') AS VARCHAR[]), []), "
    "';')",
    "cameo": "e.cameo",
    "cameo_base": "left(e.cameo, 3)",
    "cameo_root": "left(e.cameo, 2)",
    "cameo_label": "cm.label",
    "goldstein": "cm.goldstein",
    "event_scale": "e.event_scale",
    "quad_code": "e.quad_code",
    "n_mentions": "e.n_mentions",
    "n_sources": "e.n_sources",
    "n_documents": "e.n_documents",
    "modality": "e.modality",
    "confidence": "e.confidence",
    "place": "e.place",
    "place_geo_type": "CASE WHEN e.place IS NULL THEN NULL WHEN e.place_kind = 'country' THEN 1 "
    f"WHEN e.place_kind IN {_CITY} THEN (CASE WHEN e.place_country = 'USA' THEN 3 ELSE 4 END) "
    "ELSE (CASE WHEN e.place_country = 'USA' THEN 2 ELSE 5 END) END",
    "place_full_name": "CASE WHEN e.place_kind = 'country' OR cp.name IS NULL OR e.place = cp.name "
    "THEN e.place ELSE e.place || ', ' || cp.name END",
    "place_fips": "cp.fips",
    "place_adm1": "CASE WHEN e.place IS NOT NULL THEN cp.fips || coalesce(e.place_admin1, '') END",
    "place_admin1": "e.place_admin1",
    "place_country": "e.place_country",
    "place_country_name": "cp.name",
    "place_city": f"CASE WHEN e.place_kind IN {_CITY} THEN e.place END",
    "place_province": f"CASE WHEN e.place_kind IN {_REGION} THEN e.place END",
    "place_kind": "e.place_kind",
    "place_lat": "e.place_lat",
    "place_lon": "e.place_lon",
    "place_geonameid": "e.place_geonameid",
    "date_added": "CAST(strftime(d.ingested_at, '%Y%m%d%H%M%S') AS BIGINT)",
    "source_url": "d.url",
    "doc_id": "m.doc_id",
    "sources": "array_to_string(e.sources, ';')",
    "sentence_number": "m.sentence_index + 1",
    "publisher": "d.publisher",
    "headline": "d.title",
    "language": "d.language",
    "first_report": "e.first_report",
    "event_text": "m.event_text",
    "text": "e.text",
    "version": "'kronika'",
}


class LayoutError(ValueError):
    """A layout file that does not validate, or names a field Kronika does not have."""


def read_layout(path: Path) -> ExportLayout:
    """One layout file, validated; every source must be a key of ``FIELDS``."""
    try:
        layout = ExportLayout.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise LayoutError(f"{path.name}: {exc}") from exc
    unknown = [c.source for c in layout.columns if c.source is not None and c.source not in FIELDS]
    if unknown:
        raise LayoutError(f"{path.name}: unknown source field(s) {', '.join(unknown)}")
    return layout


@functools.cache
def layout(fmt: str) -> ExportLayout:
    """The packaged layout of ``fmt`` (``gdelt``, ``icews``, ``polecat``)."""
    return read_layout(LAYOUT_DIR / f"{fmt}.yaml")


def select_list(lay: ExportLayout) -> str:
    """The SELECT list of a layout: each column from its field, or a typed NULL."""
    cols = []
    for c in lay.columns:
        expr = FIELDS[c.source] if c.source else "NULL::VARCHAR"
        quoted = '"' + c.name.replace('"', '""') + '"'
        cols.append(f"{expr} AS {quoted}")
    return ",\n    ".join(cols)
