"""JSON text written by orjson, with the standard library where orjson refuses a value."""
import json
import math
from dataclasses import dataclass

import pytest

from storytrace.ingest import ingest
from storytrace.jsontext import dumps
from storytrace.settings import Settings
from storytrace.store import open_store


@dataclass
class Record:
    n: int

    def to_dict(self) -> dict:
        return {"n": self.n, "kind": "record"}


def _default(value):
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(type(value).__name__)


VALUES = [
    {"b": 1, "a": [1, 2.5, None, True], "é": "ü “quoted” \u2028 <b>&"},
    {2: "int keys", 1: (1, 2)},
    [1e-05, 1e16, -0.0, 2 ** 63 - 1],
    2 ** 70,  # beyond 64 bits: orjson refuses, json writes it
    "lone \ud800 surrogate",  # orjson refuses, json writes it
    {"nested": [Record(3), {"deep": Record(4)}]},
]


@pytest.mark.parametrize("value", VALUES)
def test_the_text_reads_back_as_the_standard_library_writes_it(value):
    for sort_keys in (False, True):
        ours = dumps(value, sort_keys=sort_keys, default=_default)
        theirs = json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, default=_default)
        assert json.loads(ours) == json.loads(theirs)


def test_keys_are_sorted_on_request_and_kept_in_order_otherwise():
    assert dumps({"b": 1, "a": 2}) == '{"b":1,"a":2}'
    assert dumps({"b": 1, "a": {"d": 1, "c": 2}}, sort_keys=True) == '{"a":{"c":2,"d":1},"b":1}'


def test_a_dataclass_is_written_by_default_not_field_by_field():
    assert json.loads(dumps(Record(1), default=_default)) == {"n": 1, "kind": "record"}
    with pytest.raises(TypeError):
        dumps(Record(1))  # as json.dumps: no default, no JSON


def test_nan_and_infinity_become_null_not_invalid_json():
    text = dumps({"x": math.nan, "y": [math.inf]})
    assert json.loads(text) == {"x": None, "y": [None]}


def test_the_store_keeps_metadata_orjson_cannot_write(tmp_path):
    src = tmp_path / "a.jsonl"
    big = 2 ** 80
    src.write_text(json.dumps({"id": "a1", "title": "Huge", "text": "A long enough text about the budget. " * 5,
                               "count": big, "label": "Zürich “Süd”"}) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "s.db")
    try:
        report = ingest([str(src)], store, store.begin_run("test", [str(src)]), Settings())
        assert report.added == 1 and not report.errors
        (article,) = list(store.iter_articles())
        assert article.metadata["count"] == big
        assert article.metadata["label"] == "Zürich “Süd”"
    finally:
        store.close()
