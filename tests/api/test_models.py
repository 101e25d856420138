"""The API's record and article models are read off the one declaration of each shape."""

from __future__ import annotations

from kronika.api import models
from kronika.schema import ENTITY, EVENT
from kronika.store.tables import DOCUMENTS


def test_record_models_have_every_declared_field_with_its_meaning():
    assert list(models.Record.model_fields) == EVENT.names
    assert list(models.RecordEntity.model_fields) == ENTITY.names
    for f in EVENT.fields:
        assert models.Record.model_fields[f.name].description == f.doc


def test_article_columns_are_the_documents_table_columns():
    columns = {c.name: c for c in DOCUMENTS.columns}
    for name, info in models.Article.model_fields.items():
        assert info.description == columns[name].doc


def test_openapi_documents_the_declared_record(no_store):
    schema = no_store.get("/openapi.json").json()["components"]["schemas"]
    assert set(schema["Record"]["properties"]) == set(EVENT.names)
    assert schema["Record"]["properties"]["event_text"]["description"] == EVENT["event_text"].doc


def test_event_rows_are_the_event_view_of_the_events_table():
    from kronika.store.query import EVENT_VIEW
    from kronika.store.tables import EVENTS

    names = [c if isinstance(c, str) else c[1] for c in EVENT_VIEW]
    assert list(models.EventRow.model_fields) == [*names, "articles"]
    docs = {c.name: c.doc for c in EVENTS.columns}
    assert models.EventRow.model_fields["actor"].description == docs["actor_label"]
