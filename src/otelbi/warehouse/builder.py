"""Builds an embedded warehouse file from the deterministic generator."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import duckdb

from otelbi.domains import Domain
from otelbi.warehouse.duckdb_file import create_tables, replace_atomically
from otelbi.warehouse.engines import METADATA
from otelbi.warehouse.generator.aw import generate_aw
from otelbi.warehouse.generator.wwi import generate_wwi

Generator = Callable[..., dict[str, int]]
GENERATORS: dict[Domain, Generator] = {Domain.AW: generate_aw, Domain.WWI: generate_wwi}


def fill_tables(
    domain: Domain,
    con: duckdb.DuckDBPyConnection,
    *,
    scale: float,
    seed: int,
    only: Collection[str] | None = None,
) -> dict[str, int]:
    """Generate rows into `con` (all tables, or `only` these); return rows per table."""
    generator = GENERATORS[domain]
    return generator(con, scale=scale, seed=seed, only=only)


def generate_warehouse(domain: Domain, path: Path, *, scale: float, seed: int) -> dict[str, int]:
    """Write a generated warehouse to `path` (atomically); return rows per table."""
    with replace_atomically(path) as con:
        create_tables(con, METADATA[domain])
        return fill_tables(domain, con, scale=scale, seed=seed)
