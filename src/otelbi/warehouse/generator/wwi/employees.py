"""Dimension.Employee: 19 people, ten of them salespeople, with many versions each."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.columns import (
    I64,
    LINEAGE,
    Columns,
    flags,
    int32,
    texts,
)
from otelbi.warehouse.generator.wwi.connection import query
from otelbi.warehouse.generator.wwi.names import person_names
from otelbi.warehouse.generator.wwi.scd2 import (
    NA,
    Versions,
    read_versions,
    scd2_columns,
    version_times,
    with_unknown,
)
from otelbi.warehouse.generator.wwi.timeline import END_OF_TIME, LAST_LOAD, MINUTE, START


@dataclass(frozen=True)
class Employees:
    versions: Versions
    salespeople: I64  # WWI Employee IDs
    others: I64


def generate_employees(rng: np.random.Generator) -> tuple[Employees, Columns]:
    """Return 19 people (10 salespeople) with about 11 versions each, as in the real dimension."""
    count = 19
    ids = np.arange(2, count + 2, dtype=np.int64)
    names: list[str] = []
    while len(names) < count:
        names += [n for n in person_names(rng, 1) if n not in names]
    is_salesperson = np.zeros(count, dtype=np.bool_)
    is_salesperson[rng.choice(count, size=10, replace=False)] = True
    member, valid_from, valid_to = version_times(
        rng,
        rng.integers(3, 19, count),
        np.full(count, START),
        np.full(count, np.datetime64("2016-05-30T00:00", "us")),
        np.full(count, LAST_LOAD + 14 * MINUTE),
    )
    order = np.lexsort((ids[member], valid_from))
    member, valid_from, valid_to = member[order], valid_from[order], valid_to[order]
    rows = len(member)
    keys = np.arange(rows + 1, dtype=np.int64)
    who = [names[i] for i in member.tolist()]
    columns = {
        "Employee Key": int32(keys),
        "WWI Employee ID": int32(with_unknown(ids[member], 0)),
        "Employee": texts(["Unknown", *who]),
        "Preferred Name": texts([NA, *(name.split(" ")[0] for name in who)]),
        "Is Salesperson": flags(with_unknown(is_salesperson[member], False)),
        **scd2_columns(
            with_unknown(valid_from, START),
            with_unknown(valid_to, END_OF_TIME),
            [0] + [LINEAGE[t.dimension_employee]] * rows,
        ),
    }
    employees = Employees(
        versions=Versions(with_unknown(ids[member], 0), keys, with_unknown(valid_from, START)),
        salespeople=ids[is_salesperson],
        others=ids[~is_salesperson],
    )
    return employees, columns


def read_employees(con: duckdb.DuckDBPyConnection) -> Employees:
    versions = read_versions(con, t.dimension_employee, "Employee Key", "WWI Employee ID")
    rows = query(
        con,
        'SELECT "WWI Employee ID" AS id, bool_or("Is Salesperson") AS sales '
        'FROM "Dimension"."Employee" WHERE "WWI Employee ID" <> 0 GROUP BY 1 ORDER BY 1',
    )
    ids = rows["id"].astype(np.int64)
    sales = rows["sales"].astype(np.bool_)
    return Employees(versions=versions, salespeople=ids[sales], others=ids[~sales])
