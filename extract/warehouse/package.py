"""An export as a Frictionless Data Package (datapackage.json) and a CITATION.cff, so the data loads into
R, pandas or any Frictionless tool with its types, keys and meanings, and cites like a dataset.

Field types, primary keys and foreign keys come from the table declarations (extract.warehouse.schema),
meanings from the codebook; nothing is declared twice.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from extract.warehouse.schema import CHILD_TABLES, DOCUMENT_TABLES, TABLES, TABLES_BY_NAME

PROFILE = "data-package"
"""Tabular for the CSV files; the Parquet copies are file resources (see file_to_resource)."""
_FIELD_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "HUGEINT": "integer",
                "DOUBLE": "number", "DECIMAL": "number", "BOOLEAN": "boolean", "DATE": "date",
                "TIMESTAMP": "datetime"}
_MEDIA = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def sql_to_field_type(sql_type: str) -> str:
    """A DuckDB column type as a Table Schema field type (lists are JSON arrays in CSV)."""
    if sql_type.endswith("[]"):
        return "array"
    return _FIELD_TYPES.get(sql_type.split("(")[0], "any")


def _foreign_keys(table: str, columns: list[str], suffix: str) -> list[dict[str, Any]]:
    """A document's records point at their document, held records at their holder, and a column named
    as another table's one-column id at that table; these the loader keeps whole."""
    targets = {column: parent for child, parent, column in CHILD_TABLES if child == table}
    if table in DOCUMENT_TABLES:
        targets["document_id"] = "document"
    for other in TABLES:
        key = other.spec.key if other.spec else ()
        if other.name != table and len(key) == 1 and key[0].endswith("_id") and key[0] in columns:
            targets.setdefault(key[0], other.name)
    return [{"fields": column, "reference": {"resource": parent + suffix, "fields": column}}
            for column, parent in sorted(targets.items()) if column in columns]


def file_to_resource(con: duckdb.DuckDBPyConnection, out_dir: Path, path: Path,
                     meanings: dict[str, dict[str, Any]], digest: str) -> dict[str, Any]:
    """One exported table or view file as a resource: path, format, hash and a typed schema."""
    relative = path.relative_to(out_dir).as_posix()
    relation, fmt = path.stem, path.suffix.lstrip(".")
    columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {relation}").fetchall()]
    entry = meanings.get(relation, {})
    described = entry.get("columns") or {}
    schema: dict[str, Any] = {"fields": [{"name": name, "type": sql_to_field_type(sql_type),
                                          **({"description": described[name]} if name in described else {})}
                                         for name, sql_type in columns]}
    table = TABLES_BY_NAME.get(relation) if "/" not in relative else None
    if table is not None and table.spec and table.spec.key:
        schema["primaryKey"] = list(table.spec.key)
    if table is not None:
        suffix = "" if fmt == "csv" else f"-{fmt}"
        schema["foreignKeys"] = _foreign_keys(relation, [name for name, _ in columns], suffix)
    name = relative.removesuffix(f".{fmt}").replace("/", "-").lower() + ("" if fmt == "csv" else f"-{fmt}")
    resource = {"name": name, "profile": "tabular-data-resource", "path": relative, "format": fmt, "mediatype": _MEDIA[fmt], "encoding": "utf-8",
                "hash": f"sha256:{digest}", "bytes": path.stat().st_size, "schema": schema}
    if entry.get("description"):
        resource["description"] = entry["description"]
    if fmt != "csv":
        # Frictionless reads Parquet only through pandas and misreads its lists: the file is described
        # (hash, size, schema) but checked as a file, not as a table.
        resource.update(profile="data-resource", type="file")
        resource.pop("encoding")
    return resource


def manifest_to_datapackage(con: duckdb.DuckDBPyConnection, out_dir: Path, manifest: dict[str, Any],
                            meanings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """datapackage.json for an export: every table and view file (CSV and Parquet) as a resource."""
    from extract import __version__

    out_dir = Path(out_dir)
    data = [f for f in manifest["files"] if f["path"].endswith((".csv", ".parquet"))]
    return {
        "profile": PROFILE,
        "name": "municipal-plans",
        "title": "Goals, statuses, indicators and activities from Swedish municipal plans and follow-ups",
        "version": manifest["dataset_sha256"][:12],
        "created": manifest["exported_at"],
        "description": f"Exported by plans {__version__}; codebook.md describes every column and manifest.json "
                       "pins the input files and tool versions. dataset_sha256 in the manifest digests every file.",
        "sources": [{"title": row["source_file"], "path": row["source_file"]} for row in manifest["inputs"]],
        "resources": [file_to_resource(con, out_dir, out_dir / f["path"], meanings, f["sha256"]) for f in data],
    }


def manifest_to_citation(manifest: dict[str, Any], authors: list[str]) -> str:
    """CITATION.cff for the exported dataset; the extractor is listed as a reference."""
    import yaml

    municipalities = sorted({row["municipality_code"] for row in manifest["inputs"] if row["municipality_code"]})
    citation = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": f"Municipal plan records from {len(manifest['inputs'])} documents of "
                 f"{len(municipalities)} Swedish municipalities",
        "version": manifest["dataset_sha256"][:12],
        "date-released": manifest["exported_at"][:10],
        "authors": [{"name": name} for name in authors],
        "identifiers": [{"type": "other", "value": f"sha256:{manifest['dataset_sha256']}",
                         "description": "dataset_sha256 of manifest.json"}],
        "references": [{"type": "software", "title": "plans", "version": manifest["extractor_version"],
                        "authors": [{"name": "plans contributors"}]}],
    }
    return yaml.safe_dump(citation, allow_unicode=True, sort_keys=False)
