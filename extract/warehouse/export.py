"""Export every warehouse table to Parquet or CSV files, one file per table (DuckDB COPY)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import duckdb

from extract.warehouse.connection import WarehouseError, first_line, table_columns
from extract.reading.read import file_to_sha256
from extract.warehouse.schema import TABLES

ExportFormat = Literal["parquet", "csv"]
_COPY_OPTIONS = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%f'"}


def warehouse_to_files(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write OUTDIR/<table>.<fmt> for every table and return the paths written."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create {out_dir}: {exc.strerror}") from None
    return [_copy_to_file(con, table.name, out_dir / f"{table.name}.{fmt}", fmt) for table in TABLES]


def _csv_select(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """Lists as JSON arrays (as `plans query --csv` and Table Schema's array type write them)."""
    lists = [r[0] for r in con.execute(f"DESCRIBE {relation}").fetchall() if r[1].endswith("[]")]
    replaced = ", ".join(f"CAST(to_json({c}) AS VARCHAR) AS {c}" for c in lists)
    return f"SELECT * REPLACE ({replaced}) FROM {relation}" if lists else f"SELECT * FROM {relation}"


def _copy_to_file(con: duckdb.DuckDBPyConnection, relation: str, path: Path, fmt: ExportFormat) -> Path:
    """One table or view to one file through DuckDB's COPY."""
    quoted = str(path).replace("'", "''")
    select = _csv_select(con, relation) if fmt == "csv" else f"SELECT * FROM {relation}"
    try:
        con.execute(f"COPY ({select}) TO '{quoted}' ({_COPY_OPTIONS[fmt]})")
    except duckdb.Error as exc:
        raise WarehouseError(f"export of {relation} to {path} failed: {first_line(exc)}") from None
    return path


CODEBOOK_FILE = Path(__file__).resolve().parent / "codebook.yaml"
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("parquet", "csv")


def views_to_files(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write OUTDIR/views/<view>.<fmt> for every comparison view (their rows at export time)."""
    from extract.warehouse.views import VIEWS

    views_dir = Path(out_dir) / "views"
    views_dir.mkdir(parents=True, exist_ok=True)
    return [_copy_to_file(con, name, views_dir / f"{name}.{fmt}", fmt) for name in VIEWS]


def read_codebook(path: Path = CODEBOOK_FILE) -> dict[str, dict[str, dict[str, Any]]]:
    """Descriptions of tables, views and columns ({'tables': {...}, 'views': {...}})."""
    from extract.rules import read_yaml

    data = read_yaml(path)
    return {"tables": data.get("tables") or {}, "views": data.get("views") or {}}


def _md(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _columns_table(columns: list[tuple[str, str]], meanings: dict[str, str]) -> list[str]:
    lines = ["| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | {sql_type} | {_md(meanings.get(name, 'NOT DESCRIBED'))} |" for name, sql_type in columns]
    return lines


def warehouse_to_codebook(con: duckdb.DuckDBPyConnection) -> str:
    """codebook.md: every table, view and column with type and meaning, the status vocabularies (with
    the documents' own legend labels) and the theme schemes with every code."""
    from extract.records.themes import load_theme_rules
    from extract.warehouse.views import VIEWS
    from extract.warehouse.schema import status_values
    from models.registry import MARKED_TYPES

    book = read_codebook()
    out = ["# Codebook", "",
           "Every exported table and view, column by column. `manifest.json` beside this file pins the extractor "
           "version, the rules version, the input files (sha256) and the row counts of this export.", "",
           "## Tables", ""]
    for table in TABLES:
        entry = book["tables"].get(table.name, {})
        out += [f"### `{table.name}`", "", _md(entry.get("description", "NOT DESCRIBED")), ""]
        out += _columns_table(list(table.columns), entry.get("columns") or {}) + [""]
    out += ["## Views", "", "Comparison views, exported under `views/` with their rows at export time.", ""]
    for name in VIEWS:
        entry = book["views"].get(name, {})
        columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {name}").fetchall()]
        out += [f"### `{name}`", "", _md(entry.get("description", "NOT DESCRIBED")), ""]
        out += _columns_table(columns, entry.get("columns") or {}) + [""]
    labels: dict[tuple[str, str], set[str]] = {}
    for scale, status, label in con.execute("SELECT DISTINCT scale, status, label FROM status_legend").fetchall():
        labels.setdefault((scale, status), set()).add(label)
    out += ["## Status vocabularies", "",
            "Marks are resolved through each document's own legend (table `status_legend`); a record without a "
            "mark has status NULL (`'no mark'` in `v_status_share`).", "",
            "| scale | status | labels in the documents' legends |", "|---|---|---|"]
    for record_type in MARKED_TYPES:
        scale, statuses = record_type.scale, status_values(record_type.model)
        out += [f"| {scale} | `{s}` | {_md('; '.join(sorted(labels.get((scale, s), set()))))} |" for s in statuses]
    out += ["", "`goal.status` uses the assignment vocabulary.", "", "## Theme schemes", "",
            "Codes of `theme.scheme` / `theme.code`, assigned by the rules in `rules/themes.yaml`.", ""]
    for name, scheme in load_theme_rules().schemes.items():
        out += [f"### `{name}`: {_md(scheme.label)}", "", "| code | label | Swedish |", "|---|---|---|"]
        out += [f"| {c.code} | {_md(c.en)} | {_md(c.sv)} |" for c in scheme.codes] + [""]
    return "\n".join(out)


def warehouse_to_manifest(con: duckdb.DuckDBPyConnection, out_dir: Path, files: list[Path]) -> dict[str, Any]:
    """What a paper cites: extractor and rules versions, the inputs by sha256, row counts and every
    exported file by sha256."""
    import datetime as dt

    from extract import __version__
    from extract.rules import rules_hash
    from extract.warehouse.views import VIEWS

    keys = ("document_id", "municipality_code", "source_file", "source_path", "sha256", "pages", "extractor_version",
            "rules_version", "extracted_at")
    present = table_columns(con, "document")
    selected = ", ".join(f"CAST({k} AS VARCHAR)" if k == "extracted_at" else k if k in present else f"NULL AS {k}"
                         for k in keys)  # a warehouse opened read-only may predate a column
    inputs = con.execute(f"SELECT {selected} FROM document ORDER BY source_file").fetchall()
    out_dir = Path(out_dir)
    listed = [{"path": p.relative_to(out_dir).as_posix(), "bytes": p.stat().st_size, "sha256": file_to_sha256(p)}
              for p in files]
    return {
        "extractor_version": __version__,
        "rules_version": rules_hash(),
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "duckdb_version": duckdb.__version__,
        "tool_versions": tool_versions(),
        "dataset_sha256": files_to_digest(listed),
        "inputs": [dict(zip(keys, row)) for row in inputs],
        "row_counts": {t.name: con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] for t in TABLES},
        "view_row_counts": {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in VIEWS},
        "files": listed,
    }


def files_to_digest(files: list[dict[str, Any]]) -> str:
    """One sha256 for the whole dataset: over each exported file's path and sha256, in path order, so
    a citation names the exact files without listing them."""
    import hashlib

    lines = "".join(f"{f['path']}\t{f['sha256']}\n" for f in sorted(files, key=lambda f: f["path"]))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def tool_versions() -> dict[str, str | None]:
    """The installed version of every package the extractor declares (PDF readers, spaCy, Tesseract's
    binding, DuckDB, ...) and of the Tesseract program itself; None for one that is missing."""
    import re
    import shutil
    import subprocess
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for requirement in metadata.requires("municipal-plans") or []:
        if "extra ==" in requirement:
            continue
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    binary = shutil.which("tesseract")
    try:
        found = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30) if binary else None
    except (OSError, subprocess.TimeoutExpired):
        found = None
    words = ((found.stdout or found.stderr).split() if found else []) + [None, None]
    versions["tesseract"] = words[1] if words[0] == "tesseract" else None
    return versions


def export_warehouse(con: duckdb.DuckDBPyConnection, out_dir: Path,
                     formats: tuple[ExportFormat, ...] = EXPORT_FORMATS, views: bool = True,
                     authors: tuple[str, ...] = ()) -> list[Path]:
    """Tables (and views) in each format, codebook.md, datapackage.json and CITATION.cff, and last
    manifest.json listing all of them (its dataset digest covers the data and the codebook)."""
    from extract.warehouse.package import manifest_to_citation, manifest_to_datapackage
    from extract.warehouse.views import ensure_views

    ensure_views(con)
    out_dir = Path(out_dir)
    written: list[Path] = []
    for fmt in formats:
        written += warehouse_to_files(con, out_dir, fmt)
        if views:
            written += views_to_files(con, out_dir, fmt)
    codebook = out_dir / "codebook.md"
    codebook.write_text(warehouse_to_codebook(con), encoding="utf-8")
    written.append(codebook)
    manifest = warehouse_to_manifest(con, out_dir, written)
    book = read_codebook()
    package, citation = out_dir / "datapackage.json", out_dir / "CITATION.cff"
    package.write_text(_json(manifest_to_datapackage(con, out_dir, manifest, book["tables"] | book["views"])),
                       encoding="utf-8")
    citation.write_text(manifest_to_citation(manifest, list(authors) or ["plans users"]), encoding="utf-8")
    manifest["descriptors"] = [{"path": p.name, "sha256": file_to_sha256(p)} for p in (package, citation)]
    (out_dir / "manifest.json").write_text(_json(manifest), encoding="utf-8")
    return written + [package, citation, out_dir / "manifest.json"]


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
