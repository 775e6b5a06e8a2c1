"""Loads a directory of per-table Parquet or CSV files into the embedded warehouse layout.

A table's file is found by its name as the warehouse spells it (`FactInternetSales.parquet`)
or in snake case with its schema (`fact_stock_holding.csv` for Fact.[Stock Holding]).
Every file column must be a declared column; a declared column the file lacks is NULL if
nullable and an error otherwise; values are cast to the declared types. CSV files may be
comma, pipe, semicolon or tab delimited, with a header row.

The source is checked before anything is built (`check_source`): every declared table has a
file with at least one row and columns that match its declaration — a table without a file
is allowed only with `fill_missing`, and then the generator supplies it, consistent with
what was loaded; a source holding none of the tables is refused. Every problem found is
named in one `ImportFailed`. The warehouse is then built under a temporary name and renamed
over the old one, so a failed import leaves the old warehouse as it was, byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import sqlalchemy as sa
from duckdb_engine import Dialect as DuckDBDialect

from otelbi.domains import Domain
from otelbi.warehouse.builder import fill_tables
from otelbi.warehouse.duckdb_file import create_tables, replace_atomically
from otelbi.warehouse.engines import METADATA

_DIALECT = DuckDBDialect()
_DELIMITERS = ("|", ",", ";", "\t")
_TEXT_TYPES = (sa.String, sa.Unicode, sa.UnicodeText, sa.Text)


class ImportFailed(Exception):
    """The files cannot be loaded as they are; the message says which file and why."""


@dataclass
class ImportReport:
    """What an import loaded, what it did not find and what it generated instead."""

    path: Path
    loaded: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    generated: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return the report as lines for a person."""
        lines = [f"imported into {self.path}"]
        lines += [f"  loaded    {table}: {rows:,} rows" for table, rows in self.loaded.items()]
        lines += [f"  generated {table}: {rows:,} rows" for table, rows in self.generated.items()]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


def candidate_names(table: sa.Table) -> list[str]:
    """Return the file stems a table's data may be stored under."""
    snake = re.sub(r"\W+", "_", table.name).lower()
    schema = (table.schema or "").lower()
    return [table.name, f"{table.schema}.{table.name}", f"{schema}_{snake}", snake]


def find_file(directory: Path, table: sa.Table) -> Path | None:
    """Return the Parquet or CSV file holding `table` in `directory`, if any."""
    for stem in candidate_names(table):
        for suffix in (".parquet", ".csv"):
            path = directory / f"{stem}{suffix}"
            if path.is_file():
                return path
    return None


def import_warehouse(
    domain: Domain,
    path: Path,
    source: Path,
    *,
    fill_missing: bool = False,
    scale: float = 1.0,
    seed: int = 7,
) -> ImportReport:
    """Build the warehouse file at `path` from the files in `source`; return what happened."""
    files = check_source(domain, source, fill_missing=fill_missing)
    metadata = METADATA[domain]
    report = ImportReport(path=path)
    with replace_atomically(path) as con:
        create_tables(con, metadata)
        for table in metadata.tables.values():
            file = files.get(table.fullname)
            if file is None:
                report.missing.append(table.fullname)
                continue
            report.loaded[table.fullname] = _load(con, table, file, report.notes)
        if fill_missing and report.missing:
            report.generated = fill_tables(
                domain, con, scale=scale, seed=seed, only=set(report.missing)
            )
    return report


def check_source(domain: Domain, source: Path, *, fill_missing: bool) -> dict[str, Path]:
    """Return each declared table's file in `source`; ImportFailed naming every problem."""
    if not source.is_dir():
        raise ImportFailed(f"{source} is not a directory")
    tables = list(METADATA[domain].tables.values())
    files = {table.fullname: find_file(source, table) for table in tables}
    found = {name: file for name, file in files.items() if file is not None}
    if not found:
        raise ImportFailed(
            f"{source} holds none of the {domain.value} tables' files "
            f"(expected e.g. {candidate_names(tables[0])[0]}.parquet or .csv)"
        )
    problems: list[str] = []
    with duckdb.connect() as con:
        for table in tables:
            file = found.get(table.fullname)
            if file is not None:
                problems += _file_problems(con, table, file)
    missing = [name for name in files if name not in found]
    if missing and not fill_missing:
        problems.append(
            f"not found: {', '.join(missing)} (--fill-missing generates them from the rest)"
        )
    if problems:
        raise ImportFailed(f"{source} cannot be imported: {'; '.join(problems)}")
    return found


def _file_problems(con: duckdb.DuckDBPyConnection, table: sa.Table, file: Path) -> list[str]:
    """Return what is wrong with `file` as the data of `table` (empty: nothing)."""
    reader = _reader(file)
    try:
        # Identifiers come from the declarations and are quoted; the path is a quoted literal.
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()  # noqa: S608
        file_columns = [row[0] for row in described]
        counted = con.execute(f"SELECT count(*) FROM {reader}").fetchone()  # noqa: S608
    except duckdb.Error as error:
        return [f"{file.name}: unreadable: {str(error).splitlines()[0]}"]
    problems = []
    declared = [column.name for column in table.columns]
    unknown = [name for name in file_columns if name not in declared]
    if unknown:
        problems.append(
            f"{file.name}: column(s) {', '.join(unknown)} are not in {table.fullname} "
            f"(expected: {', '.join(declared)})"
        )
    required = [c.name for c in table.columns if c.name not in file_columns and not c.nullable]
    if required:
        problems.append(f"{file.name}: required column(s) {', '.join(required)} missing")
    if counted is None or counted[0] == 0:
        problems.append(f"{file.name}: no rows")
    return problems


def _load(con: duckdb.DuckDBPyConnection, table: sa.Table, file: Path, notes: list[str]) -> int:
    reader = _reader(file)
    # Identifiers come from the declarations and are quoted; the path is a quoted literal.
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()  # noqa: S608
    file_columns = [row[0] for row in described]
    declared = {column.name: column for column in table.columns}
    absent = [column for name, column in declared.items() if name not in file_columns]
    if absent:
        notes.append(
            f"{table.fullname}: {', '.join(c.name for c in absent)} not in {file.name}, left NULL"
        )
    preparer = _DIALECT.identifier_preparer
    target = preparer.format_table(table)
    selected = ", ".join(
        _cast(column, preparer.quote(column.name)) if column.name in file_columns else "NULL"
        for column in table.columns
    )
    try:
        # DuckDB answers an INSERT with the number of rows it wrote.
        inserted = con.execute(f"INSERT INTO {target} SELECT {selected} FROM {reader}").fetchall()  # noqa: S608
    except duckdb.Error as error:
        reason = str(error).splitlines()[0]
        raise ImportFailed(f"{file.name}: cannot load into {table.fullname}: {reason}") from None
    return int(inserted[0][0])


def _cast(column: sa.Column[object], quoted: str) -> str:
    type_sql = _DIALECT.type_compiler_instance.process(column.type)
    value = f"CAST({quoted} AS {type_sql})"
    # CSV exports write empty text for an empty NOT NULL string; keep it empty, not NULL.
    if isinstance(column.type, _TEXT_TYPES) and not column.nullable:
        return f"coalesce({value}, '')"
    return value


def _reader(file: Path) -> str:
    quoted = "'" + str(file).replace("'", "''") + "'"
    if file.suffix == ".parquet":
        return f"read_parquet({quoted})"
    with file.open(encoding="utf-8-sig") as handle:
        header = handle.readline()
    delimiter = max(_DELIMITERS, key=header.count)
    return f"read_csv({quoted}, delim='{delimiter}', header=true, all_varchar=true, quote='\"')"
