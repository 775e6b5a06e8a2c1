"""Dimension.Supplier: 13 suppliers in two versions, one of them renamed at the last load."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.columns import I64, LINEAGE, Columns, int32, texts
from otelbi.warehouse.generator.wwi.connection import query
from otelbi.warehouse.generator.wwi.names import person_names
from otelbi.warehouse.generator.wwi.scd2 import NA, Versions, read_versions, scd2_columns
from otelbi.warehouse.generator.wwi.timeline import END_OF_TIME, LAST_LOAD, MINUTE, START

# (name, category, payment days), by WWI Supplier ID
_SUPPLIERS = (
    ("A. Datum Corporation", "Novelty Goods Supplier", 14),
    ("Blue Yonder Freight", "Courier Services Supplier", 30),
    ("Contoso, Ltd.", "Novelty Goods Supplier", 7),
    ("Fabrikam, Inc.", "Clothing Supplier", 30),
    ("Fourth Coffee Studio", "Novelty Goods Supplier", 14),
    ("Humongous Insurance", "Insurance Services Supplier", 14),
    ("Litware, Inc.", "Packaging Supplier", 30),
    ("Lucerne Publishing", "Novelty Goods Supplier", 30),
    ("Margie's Travel", "Marketing Services Supplier", 7),
    ("Northwind Traders", "Toy Supplier", 30),
    ("Proseware, Inc.", "Novelty Goods Supplier", 30),
    ("Trey Research", "Marketing Services Supplier", 7),
    ("Woodgrove Bank", "Financial Services Supplier", 7),
)
_RENAMED_SUPPLIER = (2, "Blue Yonder Logistics")


@dataclass(frozen=True)
class Suppliers:
    versions: Versions
    payment_days: dict[int, int]  # by Supplier Key

    def ids_of(self, keys: I64) -> I64:
        by_key = dict(
            zip(self.versions.key.tolist(), self.versions.business_id.tolist(), strict=True)
        )
        return np.array([by_key.get(k, 0) for k in keys.tolist()], dtype=np.int64)


def generate_suppliers(rng: np.random.Generator) -> tuple[Suppliers, Columns]:
    """Return 13 suppliers in two versions (split five minutes into 2013) and one rename."""
    count = len(_SUPPLIERS)
    ids = np.arange(1, count + 1, dtype=np.int64)
    split = START + 5 * MINUTE
    renamed_id, new_name = _RENAMED_SUPPLIER
    renamed_at = LAST_LOAD + 13 * MINUTE
    wwi = np.concatenate([[0], ids, ids, [renamed_id]]).astype(np.int64)
    key = np.concatenate([[0], 1 + rng.permutation(count), count + ids, [2 * count + 1]])
    valid_from = np.concatenate([[START], [START] * count, [split] * count, [renamed_at]])
    valid_to = np.concatenate([[END_OF_TIME], [split] * count, [END_OF_TIME] * (count + 1)])
    valid_to[count + renamed_id] = renamed_at  # the second version of the renamed supplier
    spec = [("Unknown", NA, 0)] + [_SUPPLIERS[i - 1] for i in wwi[1:].tolist()]
    spec[-1] = (new_name, spec[-1][1], spec[-1][2])
    contacts = [NA, *person_names(rng, count)]
    letters = rng.integers(0, 26, (count, 2))
    references = [NA] + [
        f"{chr(65 + a)}{chr(65 + b)}{n:07d}"
        for (a, b), n in zip(letters.tolist(), rng.integers(0, 10**7, count).tolist(), strict=True)
    ]
    postal = [NA] + [str(p) for p in rng.integers(10_000, 99_999, count)]
    order = np.argsort(key).tolist()
    columns = {
        "Supplier Key": int32(key[order]),
        "WWI Supplier ID": int32(wwi[order]),
        "Supplier": texts([spec[i][0] for i in order]),
        "Category": texts([spec[i][1] for i in order]),
        "Primary Contact": texts([contacts[wwi[i]] for i in order]),
        "Supplier Reference": texts([references[wwi[i]] for i in order]),
        "Payment Days": int32([spec[i][2] for i in order]),
        "Postal Code": texts([postal[wwi[i]] for i in order]),
        **scd2_columns(
            valid_from[order],
            valid_to[order],
            np.where(key[order] == 0, 0, LINEAGE[t.dimension_supplier]),
        ),
    }
    suppliers = Suppliers(
        versions=Versions(wwi, key, valid_from),
        payment_days={k: spec[i][2] for i, k in enumerate(key.tolist())},
    )
    return suppliers, columns


def read_suppliers(con: duckdb.DuckDBPyConnection) -> Suppliers:
    versions = read_versions(con, t.dimension_supplier, "Supplier Key", "WWI Supplier ID")
    rows = query(con, 'SELECT "Supplier Key" AS k, "Payment Days" AS d FROM "Dimension"."Supplier"')
    return Suppliers(
        versions=versions,
        payment_days=dict(zip(rows["k"].tolist(), rows["d"].tolist(), strict=True)),
    )
