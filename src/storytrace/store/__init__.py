"""The SQLite store: schema, migrations, and the reads and writes the pipeline needs."""
from .db import Store, open_store, readonly_uri

__all__ = ["Store", "open_store", "readonly_uri"]
