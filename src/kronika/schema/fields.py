"""Declared fields and what is derived from them: dictionaries, table DDL, Arrow columns, API models.

A ``Shape`` is an ordered tuple of ``Field``s (a record: event, actor, place, document); a ``Table`` is
an ordered tuple of ``Column``s (a table of the event store). Each field or column says its name, type
and meaning once; ``to_dict``, the ``CREATE TABLE`` statement, the Arrow schema of a bulk insert and
the pydantic model of the REST API are all read off the declaration, so a new field shows up in each.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# Scalar type name -> (Python type, DuckDB type); ``arrow_type`` gives the Arrow type.
SCALARS: dict[str, tuple[type, str]] = {
    "str": (str, "VARCHAR"),
    "int": (int, "INTEGER"),
    "smallint": (int, "SMALLINT"),
    "float": (float, "DOUBLE"),
    "date": (dt.date, "DATE"),
    "timestamp": (dt.datetime, "TIMESTAMP"),
    "json": (str, "JSON"),
    "str[]": (list, "VARCHAR[]"),
    "uint64[]": (list, "UBIGINT[]"),
}


def arrow_type(kind: str) -> Any:
    """The Arrow type a column of ``kind`` is written with (pyarrow is imported only by the store)."""
    import pyarrow as pa

    types = {
        "str": pa.string(),
        "int": pa.int32(),
        "smallint": pa.int16(),
        "float": pa.float64(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
        "json": pa.string(),
        "str[]": pa.list_(pa.string()),
        "uint64[]": pa.list_(pa.uint64()),
    }
    return types[kind]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Field:
    """One field of a record: its key, type, meaning and how its value is read from the object.

    ``type`` is a scalar name (``str``, ``int``, ``float``, ``str[]``, ``object``) or another
    ``Shape`` (a nested record; a list of them when ``many``). The value is the attribute ``attr``
    (default: ``name``) unless ``get`` computes it. ``csv`` names the field's columns in the flat CSV
    of ``kronika code``, in the order of ``csv_order``, and ``flatten`` turns the value into them
    (lists are joined by ``;``, lists of records by sub-field); ``required`` fields have no default
    in the API model, the others ``default``.
    """

    name: str
    type: str | Shape
    doc: str
    optional: bool = True
    many: bool = False
    attr: str | None = None
    get: Callable[[Any], Any] | None = None
    default: Any = None
    required: bool = False
    csv: tuple[str, ...] = ()
    csv_order: int | None = None
    flatten: Callable[[Any], Sequence[Any]] | None = None

    def reader(self) -> Callable[[Any], Any]:
        """A function of the object that gives this field's value in the record's dictionary."""
        if self.get is not None:
            return self.get
        attr = self.attr or self.name
        shape = self.type if isinstance(self.type, Shape) else None
        if shape is not None and self.many:
            return lambda obj: [shape.to_dict(x) for x in getattr(obj, attr)]
        if shape is not None:
            return lambda obj: None if (v := getattr(obj, attr)) is None else shape.to_dict(v)
        if self.type == "str[]":
            return lambda obj: list(getattr(obj, attr))
        return operator.attrgetter(attr)

    def python_type(self) -> Any:
        """The annotation of the field in the API model."""
        if isinstance(self.type, Shape):
            base: Any = self.type.model()
            base = list[base] if self.many else base
        elif self.type == "object":
            base = dict[str, Any]
        elif self.type == "str[]":
            base = list[str]
        else:
            base = SCALARS[self.type][0]
        return base | None if self.optional else base

    def csv_values(self, value: Any) -> list[Any]:
        """The values of this field's CSV columns, from its value in the record's dictionary."""
        if self.flatten is not None:
            return list(self.flatten(value))
        if isinstance(self.type, Shape) and self.many:
            prefix = self.name + "_"
            return [";".join(str(i.get(c.removeprefix(prefix)) or "") for i in value) for c in self.csv]
        if self.type == "str[]":
            return [";".join(value)]
        return [value]


class Shape:
    """An ordered set of ``Field``s: the shape of one kind of record."""

    def __init__(self, name: str, doc: str, fields: Sequence[Field]) -> None:
        self.name = name
        self.doc = doc
        self.fields = tuple(fields)
        self._readers = tuple((f.name, f.reader()) for f in self.fields)
        exported = [f for f in self.fields if f.csv]
        self._csv = sorted(exported, key=lambda f: (f.csv_order is None, f.csv_order or 0))
        self._model: Any = None

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def to_dict(self, obj: Any) -> dict[str, Any]:
        """The record as a dictionary, keys in declaration order."""
        return {name: read(obj) for name, read in self._readers}

    def model(self) -> Any:
        """The pydantic model of this record for the REST API (extra keys allowed), built once."""
        if self._model is None:
            fields: dict[str, Any] = {}
            for f in self.fields:
                default = ... if f.required else ([] if f.many else f.default)
                fields[f.name] = (f.python_type(), _pydantic_field(default, f.doc))
            self._model = _create_model(self.name, self.doc, fields)
        return self._model

    def csv_fields(self) -> list[Field]:
        """The fields of the flat CSV, in column order."""
        return list(self._csv)

    def csv_header(self) -> list[str]:
        """The columns of the flat CSV."""
        return [c for f in self.csv_fields() for c in f.csv]

    def csv_row(self, record: dict[str, Any]) -> dict[str, Any]:
        """One CSV row (column -> value) from the record's dictionary."""
        row: dict[str, Any] = {}
        for f in self.csv_fields():
            row.update(zip(f.csv, f.csv_values(record[f.name]), strict=True))
        return row


def _pydantic_field(default: Any, doc: str) -> Any:
    from pydantic import Field as PydanticField

    return PydanticField(default, description=doc)


def _create_model(name: str, doc: str, fields: dict[str, Any]) -> Any:
    """A pydantic model that accepts extra keys: a new field reaches clients before it is declared."""
    from pydantic import BaseModel, ConfigDict, create_model

    class _Open(BaseModel):
        model_config = ConfigDict(extra="allow")

    return create_model(name, __base__=_Open, __doc__=doc, **fields)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """One column of a store table: name, type (a key of ``SCALARS``), meaning and constraints.

    ``get`` reads the column's value from what a row is built from (for the mentions table: the
    record, its store keys and the document it belongs to).
    """

    name: str
    type: str
    doc: str
    not_null: bool = False
    primary_key: bool = False
    get: Callable[[Any], Any] | None = None

    def ddl(self) -> str:
        constraint = " PRIMARY KEY" if self.primary_key else " NOT NULL" if self.not_null else ""
        return f"{self.name} {SCALARS[self.type][1]}{constraint}"


class Table:
    """An ordered set of ``Column``s: one table of the event store."""

    def __init__(self, name: str, columns: Sequence[Column]) -> None:
        self.name = name
        self.columns = tuple(columns)
        self._arrow: dict[str, Any] | None = None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ddl(self) -> str:
        """The ``CREATE TABLE IF NOT EXISTS`` statement."""
        cols = ",\n    ".join(c.ddl() for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {cols}\n)"

    def arrow(self) -> dict[str, Any]:
        """Column name -> Arrow type, in table order: the schema of a bulk insert."""
        if self._arrow is None:
            self._arrow = {c.name: arrow_type(c.type) for c in self.columns}
        return dict(self._arrow)

    def model(
        self,
        name: str,
        doc: str,
        columns: Sequence[str | tuple[str, str]],
        required: Sequence[str] = (),
        **extra: Any,
    ) -> Any:
        """A pydantic model of some of the table's columns (extra keys allowed), for the REST API.

        A column given as ``(column, name)`` is renamed (as a query's ``AS`` does); ``extra`` adds
        fields that are not columns, as ``name=(type, pydantic Field)``.
        """
        by_name = {c.name: c for c in self.columns}
        fields: dict[str, Any] = {}
        for item in columns:
            column, key = (item, item) if isinstance(item, str) else item
            c = by_name[column]
            if c.type == "str[]":
                fields[key] = (list[str], _pydantic_field([], c.doc))
                continue
            kind: Any = SCALARS[c.type][0]
            default = ... if key in required else None
            fields[key] = (kind if key in required else kind | None, _pydantic_field(default, c.doc))
        return _create_model(name, doc, {**fields, **extra})

    def row(self, source: Any) -> dict[str, Any]:
        """A row from its source object, through each column's ``get``."""
        return {c.name: c.get(source) if c.get else getattr(source, c.name) for c in self.columns}


def from_field(f: Field, get: Callable[[Any], Any] | None = None, not_null: bool = False) -> Column:
    """A column that stores a record field as it is: same name, type and meaning."""
    assert isinstance(f.type, str) and f.type in SCALARS, f"{f.name} is not a scalar field"
    return Column(f.name, f.type, f.doc, not_null=not_null, get=get)
