"""Dimension.Customer: two buying groups of a head office and 200 stores each."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.cities import Cities
from otelbi.warehouse.generator.wwi.columns import I64, LINEAGE, Columns, int32, texts
from otelbi.warehouse.generator.wwi.connection import query, require_rows
from otelbi.warehouse.generator.wwi.names import person_names
from otelbi.warehouse.generator.wwi.scd2 import NA, scd2_columns, with_unknown
from otelbi.warehouse.generator.wwi.timeline import END_OF_TIME, START


@dataclass(frozen=True)
class Customers:
    key: I64  # dimension customers, Unknown excluded
    bill_to_key: I64
    city_id: I64  # WWI City ID of the delivery city


_BUYING_GROUPS = ("Tailspin Toys", "Wingtip Toys")


def generate_customers(rng: np.random.Generator, cities: Cities) -> tuple[Customers, Columns]:
    """Return 402 customers: two buying groups of a head office and 200 stores each."""
    store_city = rng.choice(len(cities.ids), size=400, replace=len(cities.ids) < 400)
    head_city = rng.choice(len(cities.ids), size=2)
    wwi_ids: list[int] = []
    names: list[str] = []
    city: list[int] = []
    for number, group in enumerate(_BUYING_GROUPS):
        wwi_ids += range(400 * number + 1, 400 * number + 202)
        names.append(f"{group} (Head Office)")
        city.append(int(head_city[number]))
        for c in store_city[200 * number : 200 * (number + 1)].tolist():
            names.append(f"{group} ({cities.names[c]}, {cities.state_codes[c]})")
            city.append(c)
    count = len(wwi_ids)
    group_of = [_BUYING_GROUPS[i // 201] for i in range(count)]
    keys = np.arange(1, count + 1, dtype=np.int64)
    columns = {
        "Customer Key": int32(with_unknown(keys, 0)),
        "WWI Customer ID": int32([0, *wwi_ids]),
        "Customer": texts(["Unknown", *names]),
        "Bill To Customer": texts([NA, *(f"{g} (Head Office)" for g in group_of)]),
        "Category": texts([NA] + ["Novelty Shop"] * count),
        "Buying Group": texts([NA, *group_of]),
        "Primary Contact": texts([NA, *person_names(rng, count)]),
        "Postal Code": texts([NA, *(str(p) for p in rng.integers(90_001, 90_999, count))]),
        **scd2_columns(
            np.full(count + 1, START),
            np.full(count + 1, END_OF_TIME),
            [0] + [LINEAGE[t.dimension_customer]] * count,
        ),
    }
    customers = Customers(
        key=keys,
        bill_to_key=np.where(keys <= 201, 1, 202).astype(np.int64),
        city_id=cities.ids[np.array(city)],
    )
    return customers, columns


_CUSTOMER_CITY = re.compile(r"\((?P<city>[^,()]+), (?P<state>[A-Z]{2})\)$")


def read_customers(
    con: duckdb.DuckDBPyConnection, cities: Cities, rng: np.random.Generator
) -> Customers:
    """Read the customers; a store's city comes from its name when the City dimension has it."""
    require_rows(con, t.dimension_customer)
    rows = query(
        con,
        'SELECT c."Customer Key" AS k, c."Customer" AS name, coalesce(b."Customer Key", '
        'c."Customer Key") AS bill_to FROM "Dimension"."Customer" AS c LEFT JOIN '
        '(SELECT "Customer", min("Customer Key") AS "Customer Key" FROM "Dimension"."Customer" '
        'GROUP BY 1) AS b ON b."Customer" = c."Bill To Customer" '
        'WHERE c."Customer Key" <> 0 ORDER BY 1',
    )
    by_label = {
        f"{name}, {code}": int(city_id)
        for name, code, city_id in zip(cities.names, cities.state_codes, cities.ids, strict=True)
    }
    fallback = rng.choice(cities.ids, size=len(rows["k"]))
    city_ids = []
    for name, other in zip(rows["name"], fallback, strict=True):
        match = _CUSTOMER_CITY.search(str(name))
        label = f"{match['city']}, {match['state']}" if match else ""
        city_ids.append(by_label.get(label, int(other)))
    return Customers(
        key=rows["k"].astype(np.int64),
        bill_to_key=rows["bill_to"].astype(np.int64),
        city_id=np.array(city_ids, dtype=np.int64),
    )
