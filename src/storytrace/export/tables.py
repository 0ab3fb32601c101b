"""The store's tables as rows for pandas and spreadsheets: JSONL, CSV and Parquet.

Rows have fixed columns per table (contract names: ``story``, ``from``, ``to``); JSON held
in the store is decoded for JSONL and Parquet-as-text, and kept as JSON text in CSV.
CSV cells that a spreadsheet would run as a formula are neutralised.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import UsageError

# name -> (SELECT, columns that hold JSON)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "articles": ("SELECT id, version, url, source, title, author, published, captured, language, "
                 "story_id AS story, duplicate_of, origin, content_hash, boilerplate_spans, metadata, text "
                 "FROM articles ORDER BY id", ("boilerplate_spans", "metadata")),
    "stories": ("SELECT id, title, size, first_published, last_published, entities, origins, related, "
                "data AS extra FROM stories ORDER BY size DESC, id", ("entities", "origins", "related", "extra")),
    "links": ("SELECT id, story_id AS story, from_article AS \"from\", to_article AS \"to\", to_source, kind, "
              "cue, passages, data AS extra FROM links ORDER BY id", ("passages", "extra")),
    "quotes": ("SELECT id, article_id AS article, story_id AS story, speaker, quote_group AS \"group\", "
               "span_start, span_end, text, data AS extra FROM quotes ORDER BY story_id, article_id, span_start, id",
               ("extra",)),
    "claims": ("SELECT id, article_id AS article, story_id AS story, subject, low, high, unit, attributed_to, "
               "span_start, span_end, text, data AS extra FROM claims ORDER BY story_id, article_id, span_start, id",
               ("extra",)),
    "claim_groups": ("SELECT id, story_id AS story, subject, verdict, independent_origins, explanation, claims, "
                     "data AS extra FROM claim_groups ORDER BY story_id, id", ("claims", "extra")),
}
FORMATS = ("jsonl", "csv", "parquet")
GRAPH_FORMATS = ("gexf", "graphml")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls; tab, CR, LF stay


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: formulas get a leading apostrophe, controls go."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        value = _CONTROL.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


_LINE_BREAKERS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def jsonl_line(row: dict) -> str:
    """One JSON record on one line for every reader: C1 NEL and Unicode line separators,
    which ``str.splitlines`` and some JSON readers treat as line ends, are escaped too."""
    line = json.dumps(row, ensure_ascii=False)
    for ch, repl in _LINE_BREAKERS.items():  # these only ever occur inside JSON strings
        line = line.replace(ch, repl)
    return line


def iter_rows(db: str | Path, table: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """(column names, rows) of one table, read-only, JSON columns decoded."""
    from ..store import Store

    if table not in TABLES:
        raise UsageError(f"unknown table {table!r}: use one of {', '.join([*TABLES, 'graph'])}")
    if not Path(db).exists():
        raise UsageError(f"no store at {db}")
    sql, json_cols = TABLES[table]
    store = Store(db, readonly=True)
    cur = store.conn.execute(sql)
    columns = [c[0] for c in cur.description]

    def rows():
        try:
            for r in cur:
                row = dict(zip(columns, r))
                for c in json_cols:
                    try:
                        row[c] = json.loads(row[c]) if row[c] is not None else None
                    except (TypeError, ValueError):
                        pass
                yield row
        finally:
            store.close()
    return columns, rows()


def write_table(db: str | Path, table: str, fmt: str, out: BinaryIO) -> int:
    """Write one table to a binary stream; returns the number of rows."""
    columns, rows = iter_rows(db, table)
    n = 0
    if fmt == "jsonl":
        for row in rows:
            out.write((jsonl_line(row) + "\n").encode("utf-8", "surrogatepass"))
            n += 1
    elif fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", errors="replace", newline="", write_through=True)
        writer = csv.writer(text, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row[c]) for c in columns])
            n += 1
        text.flush()
        text.detach()
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = {c: [] for c in columns}
        for row in rows:
            for c in columns:
                v = row[c]
                data[c].append(json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (dict, list)) else v)
            n += 1
        pq.write_table(pa.table(data), out)
    else:
        raise UsageError(f"unknown format {fmt!r} for a table: use {', '.join(FORMATS)}")
    return n


def export_table(db: str | Path, table: str, fmt: str = "jsonl", output: str | Path | None = None) -> int | Path:
    """``storytrace export``: a table to a file (or stdout); ``graph`` writes GEXF/GraphML."""
    if table == "graph":
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"the graph exports as {' or '.join(GRAPH_FORMATS)}, not {fmt!r}")
        from .graph import export_graph

        if output is None:
            import tempfile
            with tempfile.TemporaryDirectory() as tmp:
                path = export_graph(db, fmt, Path(tmp) / f"graph.{fmt}")
                sys.stdout.buffer.write(path.read_bytes())
            return 0
        return export_graph(db, fmt, output)
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"{fmt} is for the graph: storytrace export graph --format {fmt}")
    if output is None:
        n = write_table(db, table, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return n
    path = Path(output)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        n = write_table(db, table, fmt, fh)
    tmp.replace(path)
    return n
