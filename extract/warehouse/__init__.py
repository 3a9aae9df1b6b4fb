"""Warehouse: the DuckDB schema derived from the record declarations, loading, views, search and export."""
