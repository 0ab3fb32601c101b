"""Read-only questions about a store, shared by the CLI, the web app and the API."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from .errors import StoreError
from .store import Store
from .store.schema import MIGRATIONS


def _open(db) -> Store | None:
    return Store(db, readonly=True) if Path(db).exists() else None


def check_store(db) -> dict[str, Any]:
    """Integrity, schema, counts, errors, interrupted runs. A missing store is an empty one."""
    store = _open(db)
    if store is None:
        tables = ("articles", "article_versions", "stories", "links", "quotes", "claims",
                  "claim_groups", "errors", "runs")
        return {"ok": True, "path": str(db), "exists": False, "integrity": ["ok"],
                "foreign_key_violations": 0, "schema_version": 0, "schema_expected": len(MIGRATIONS),
                "articles": 0, "counts": {t: 0 for t in tables}, "errors": [], "interrupted_runs": []}
    with store:
        try:
            report = store.check()
        except Exception as exc:  # a damaged file: report it, don't crash
            raise StoreError(f"{db}: cannot check the store: {exc}") from exc
    report["exists"] = True
    # An older schema is sound (the next write migrates it); a newer one is not ours.
    report["ok"] = (report["integrity"] == ["ok"] and not report["foreign_key_violations"]
                    and 0 < report["schema_version"] <= len(MIGRATIONS))
    return report


def list_stories(db) -> list[dict[str, Any]]:
    store = _open(db)
    if store is None:
        return []
    with store:
        outlets: dict[str, set] = defaultdict(set)
        for sid, source in store.conn.execute(
                "SELECT story_id, source FROM articles WHERE story_id IS NOT NULL"):
            outlets[sid].add(source or "?")
        rows = store.conn.execute(
            "SELECT id, title, size, first_published, last_published, entities, origins, related "
            "FROM stories ORDER BY size DESC, id").fetchall()
        return [{"id": r["id"], "title": r["title"], "size": r["size"],
                 "outlets": sorted(outlets.get(r["id"], ())), "first_published": r["first_published"],
                 "last_published": r["last_published"], "entities": json.loads(r["entities"]),
                 "origins": json.loads(r["origins"]), "related": json.loads(r["related"])} for r in rows]


def story_detail(db, story_id: str) -> dict[str, Any] | None:
    store = _open(db)
    if store is None:
        return None
    with store:
        row = store.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
        if row is None:
            return None
        arts = [dict(r) for r in store.conn.execute(
            "SELECT id, source, title, published, url, duplicate_of, language FROM articles "
            "WHERE story_id=? ORDER BY published IS NULL, published, id", (story_id,))]
    groups: dict[str, list[str]] = defaultdict(list)
    for a in arts:
        if a["duplicate_of"]:
            groups[a["duplicate_of"]].append(a["id"])
    return {"id": row["id"], "title": row["title"], "entities": json.loads(row["entities"]),
            "origins": json.loads(row["origins"]), "related": json.loads(row["related"]),
            "articles": arts,
            "duplicate_groups": [{"representative": k, "copies": sorted(v)} for k, v in sorted(groups.items())]}
