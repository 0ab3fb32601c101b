"""A canonical dump of a store's results: what must be identical whatever the engine.

Rows of every result table, as sorted JSON lines, without what legitimately differs
between runs (run ids, timestamps, autoincrement row ids). Two stores with the same dump
hold the same analysis.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..store.db import readonly_uri

# table -> columns left out (bookkeeping, not results)
TABLES = {
    "articles": {"run_id"},
    "stories": set(),
    "links": {"id"},
    "quotes": set(),
    "claims": set(),
    "claim_groups": set(),
}


def canonical_dump(db: str | Path) -> str:
    """The store's results as text: one ``table<TAB>row JSON`` line per row, sorted."""
    conn = sqlite3.connect(readonly_uri(db), uri=True)
    try:
        lines = []
        for table, skip in TABLES.items():
            cur = conn.execute(f"SELECT * FROM {table}")  # names from TABLES, never user input
            cols = [d[0] for d in cur.description]
            for row in cur:
                rec = {c: v for c, v in zip(cols, row) if c not in skip}
                lines.append(f"{table}\t{json.dumps(rec, sort_keys=True, ensure_ascii=False)}")
        return "\n".join(sorted(lines)) + "\n"
    finally:
        conn.close()
