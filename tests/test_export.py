"""Exports: tables as JSONL/CSV/Parquet, the graph, and the Datasette views."""
from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from storytrace.errors import UsageError
from storytrace.export import TABLES, csv_cell, export_table
from storytrace.report.sample import sample_analysis
from test_web_support import build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("store"), sample_analysis(6))


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_in_every_format_agrees(db, tmp_path, table):
    import pyarrow.parquet as pq

    n = export_table(db, table, "jsonl", tmp_path / "t.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text().splitlines()]
    assert n == len(rows) > 0
    export_table(db, table, "csv", tmp_path / "t.csv")
    with open(tmp_path / "t.csv", newline="", encoding="utf-8") as fh:
        csv_rows = list(csv.DictReader(fh))
    export_table(db, table, "parquet", tmp_path / "t.parquet")
    pq_rows = pq.read_table(tmp_path / "t.parquet").to_pylist()
    assert len(csv_rows) == len(pq_rows) == n
    assert [str(r["id"]) for r in rows] == [r["id"] for r in csv_rows] == [str(r["id"]) for r in pq_rows]


def test_rows_use_contract_names(db, tmp_path):
    export_table(db, "links", "jsonl", tmp_path / "l.jsonl")
    link = json.loads((tmp_path / "l.jsonl").read_text().splitlines()[0])
    assert {"from", "to", "to_source", "kind", "cue", "passages", "story"} <= set(link)
    assert link["passages"][0]["from_span"][1] > link["passages"][0]["from_span"][0]
    export_table(db, "claims", "jsonl", tmp_path / "c.jsonl")
    claims = [json.loads(x) for x in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert {c["low"] for c in claims} == {40.0, 52.0}


def test_csv_cells_are_never_formulas():
    for payload in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "|calc", "%0A"):
        assert csv_cell(payload).startswith("'")
    assert csv_cell("Coastline Courier") == "Coastline Courier"
    assert csv_cell(-3.5) == -3.5  # numbers stay numbers
    assert csv_cell("a\x00b\x07c") == "abc"


def test_graph_and_errors(db, tmp_path):
    import networkx as nx

    path = export_table(db, "graph", "gexf", tmp_path / "g.gexf")
    g = nx.read_gexf(path)
    assert g.number_of_nodes() == 6 and g.nodes["art-origin"]["origin"] is True
    with pytest.raises(UsageError):
        export_table(db, "graph", "csv", tmp_path / "x")
    with pytest.raises(UsageError):
        export_table(db, "nonsense", "jsonl", tmp_path / "x")
    with pytest.raises(UsageError):
        export_table(tmp_path / "absent.db", "articles", "jsonl", tmp_path / "x")


def test_cli_export_to_stdout(db):
    from click.testing import CliRunner

    from storytrace.cli import main

    result = CliRunner().invoke(main, ["export", "quotes", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("id,article,story,speaker,group")


def test_datasette_views(db):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    story = dict(con.execute("SELECT * FROM story_overview").fetchone())
    assert story["articles"] == 6 and story["disputed_figures"] == 1 and story["origin_articles"] == 1
    origins = [r["outlet"] for r in con.execute("SELECT outlet FROM article_overview WHERE is_origin")]
    assert origins == ["Coastline Courier"]
    uncredited = con.execute("SELECT count(*) FROM link_overview WHERE kind='copies-text' AND uncredited").fetchone()[0]
    assert uncredited == 1
    assert con.execute("SELECT verdict FROM verdicts").fetchone()[0] == "disputed"
    assert con.execute("SELECT count(*) FROM quote_overview WHERE speaker='Ines Varga'").fetchone()[0] == 6
