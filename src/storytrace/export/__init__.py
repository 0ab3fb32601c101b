"""Exports for the tools people already use: JSONL/CSV/Parquet tables, GEXF/GraphML graphs."""
from .tables import TABLES, csv_cell, export_table, iter_rows, write_table

__all__ = ["TABLES", "csv_cell", "export_table", "iter_rows", "write_table"]
