"""Dimension.City: US towns (and Puerto Rico) weighted by state population, in versions."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.activity import scaled
from otelbi.warehouse.generator.wwi.columns import I64, LINEAGE, Columns, int32, int64, texts
from otelbi.warehouse.generator.wwi.connection import query
from otelbi.warehouse.generator.wwi.names import town_names
from otelbi.warehouse.generator.wwi.scd2 import (
    NA,
    Versions,
    read_versions,
    scd2_columns,
    version_times,
    with_unknown,
)
from otelbi.warehouse.generator.wwi.timeline import END_OF_TIME, LAST_LOAD, MINUTE, START

# (state, code, sales territory, weight ~ population in millions, latitude, longitude)
_STATES: tuple[tuple[str, str, str, float, float, float], ...] = (
    ("Alabama", "AL", "Southeast", 4.9, 32.8, -86.8),
    ("Alaska", "AK", "Far West", 0.7, 61.4, -152.3),
    ("Arizona", "AZ", "Southwest", 7.0, 34.2, -111.7),
    ("Arkansas", "AR", "Southeast", 3.0, 34.9, -92.4),
    ("California", "CA", "Far West", 39.0, 37.2, -119.5),
    ("Colorado", "CO", "Rocky Mountain", 5.7, 39.0, -105.5),
    ("Connecticut", "CT", "New England", 3.6, 41.6, -72.7),
    ("Delaware", "DE", "Mideast", 1.0, 39.0, -75.5),
    ("District of Columbia", "DC", "Mideast", 0.7, 38.9, -77.0),
    ("Florida", "FL", "Southeast", 21.0, 28.6, -82.4),
    ("Georgia", "GA", "Southeast", 10.6, 32.7, -83.4),
    ("Hawaii", "HI", "Far West", 1.4, 20.8, -156.3),
    ("Idaho", "ID", "Rocky Mountain", 1.8, 44.4, -114.6),
    ("Illinois", "IL", "Great Lakes", 12.7, 40.0, -89.2),
    ("Indiana", "IN", "Great Lakes", 6.7, 39.9, -86.3),
    ("Iowa", "IA", "Plains", 3.2, 42.1, -93.5),
    ("Kansas", "KS", "Plains", 2.9, 38.5, -98.4),
    ("Kentucky", "KY", "Southeast", 4.5, 37.5, -85.3),
    ("Louisiana", "LA", "Southeast", 4.6, 31.1, -92.0),
    ("Maine", "ME", "New England", 1.3, 45.4, -69.2),
    ("Maryland", "MD", "Mideast", 6.0, 39.0, -76.8),
    ("Massachusetts", "MA", "New England", 6.9, 42.3, -71.8),
    ("Michigan", "MI", "Great Lakes", 10.0, 44.3, -85.4),
    ("Minnesota", "MN", "Plains", 5.6, 46.3, -94.3),
    ("Mississippi", "MS", "Southeast", 3.0, 32.7, -89.7),
    ("Missouri", "MO", "Plains", 6.1, 38.4, -92.5),
    ("Montana", "MT", "Rocky Mountain", 1.1, 47.0, -109.6),
    ("Nebraska", "NE", "Plains", 1.9, 41.5, -99.8),
    ("Nevada", "NV", "Far West", 3.0, 39.3, -116.6),
    ("New Hampshire", "NH", "New England", 1.4, 43.7, -71.6),
    ("New Jersey", "NJ", "Mideast", 8.9, 40.2, -74.7),
    ("New Mexico", "NM", "Southwest", 2.1, 34.4, -106.1),
    ("New York", "NY", "Mideast", 19.5, 42.9, -75.5),
    ("North Carolina", "NC", "Southeast", 10.4, 35.6, -79.4),
    ("North Dakota", "ND", "Plains", 0.8, 47.5, -100.5),
    ("Ohio", "OH", "Great Lakes", 11.7, 40.3, -82.8),
    ("Oklahoma", "OK", "Southwest", 3.9, 35.6, -97.5),
    ("Oregon", "OR", "Far West", 4.2, 43.9, -120.6),
    ("Pennsylvania", "PA", "Mideast", 12.8, 40.9, -77.8),
    ("Rhode Island", "RI", "New England", 1.1, 41.7, -71.5),
    ("South Carolina", "SC", "Southeast", 5.1, 33.9, -80.9),
    ("South Dakota", "SD", "Plains", 0.9, 44.4, -100.2),
    ("Tennessee", "TN", "Southeast", 6.8, 35.9, -86.4),
    ("Texas", "TX", "Southwest", 29.0, 31.5, -99.3),
    ("Utah", "UT", "Rocky Mountain", 3.2, 39.3, -111.7),
    ("Vermont", "VT", "New England", 0.6, 44.1, -72.7),
    ("Virginia", "VA", "Southeast", 8.5, 37.5, -78.9),
    ("Washington", "WA", "Far West", 7.6, 47.4, -120.5),
    ("West Virginia", "WV", "Southeast", 1.8, 38.6, -80.6),
    ("Wisconsin", "WI", "Great Lakes", 5.8, 44.6, -89.9),
    ("Wyoming", "WY", "Rocky Mountain", 0.6, 43.0, -107.6),
    ("Puerto Rico (US Territory)", "PR", "External", 3.2, 18.2, -66.5),
)
_STATE_CODES = {state[0]: state[1] for state in _STATES}


# about 116k City rows at scale 1: 38.1k cities with three versions on average
_CITIES_AT_SCALE_1 = 38_130


@dataclass(frozen=True)
class Cities:
    versions: Versions
    ids: I64  # WWI City IDs, in order
    names: list[str]  # latest name of each id
    state_codes: list[str]


def generate_cities(rng: np.random.Generator, scale: float) -> tuple[Cities, Columns]:
    """Return US cities (and Puerto Rico) with 1-5 population versions each."""
    count = scaled(_CITIES_AT_SCALE_1, scale, 50)
    weights = np.array([state[3] for state in _STATES])
    state = rng.choice(len(_STATES), size=count, p=weights / weights.sum())
    names = town_names(rng, count)
    ids = np.arange(1, count + 1, dtype=np.int64)
    member, valid_from, valid_to = version_times(
        rng,
        rng.choice([1, 2, 3, 4, 5], size=count, p=[0.1, 0.2, 0.35, 0.25, 0.1]),
        np.full(count, START),
        np.full(count, np.datetime64("2016-05-01T00:00", "us")),
        np.full(count, LAST_LOAD + 14 * MINUTE),
    )
    # keys follow the load order: by the moment a version appeared, then by city
    order = np.lexsort((member, valid_from))
    member, valid_from, valid_to = member[order], valid_from[order], valid_to[order]
    keys = np.arange(1, len(member) + 1, dtype=np.int64)
    years = (valid_from - START).astype(np.float64) / 3.156e13
    population = np.exp(rng.normal(7.5, 1.7, count))[member] * (1 + 0.01 * years)
    latitude = np.array([s[4] for s in _STATES])[state] + rng.uniform(-1.5, 1.5, count)
    longitude = np.array([s[5] for s in _STATES])[state] + rng.uniform(-2.5, 2.5, count)
    wkt = [f"POINT ({longitude[i]:.4f} {latitude[i]:.4f})" for i in range(count)]
    where = [_STATES[s] for s in state[member].tolist()]
    rows = len(member)
    columns = {
        "City Key": int32(with_unknown(keys, 0)),
        "WWI City ID": int32(with_unknown(ids[member], 0)),
        "City": texts(["Unknown", *(names[i] for i in member.tolist())]),
        "State Province": texts([NA, *(s[0] for s in where)]),
        "Country": texts([NA] + ["United States"] * rows),
        "Continent": texts([NA] + ["North America"] * rows),
        "Sales Territory": texts([NA, *(s[2] for s in where)]),
        "Region": texts([NA] + ["Americas"] * rows),
        "Subregion": texts([NA] + ["Northern America"] * rows),
        "Location": texts([None, *(wkt[i] for i in member.tolist())]),
        "Latest Recorded Population": int64(with_unknown(population.astype(np.int64) + 10, 0)),
        **scd2_columns(
            with_unknown(valid_from, START),
            with_unknown(valid_to, END_OF_TIME),
            with_unknown(np.full(rows, LINEAGE[t.dimension_city]), 0),
        ),
    }
    cities = Cities(
        versions=Versions(
            with_unknown(ids[member], 0), with_unknown(keys, 0), with_unknown(valid_from, START)
        ),
        ids=ids,
        names=names,
        state_codes=[_STATES[s][1] for s in state.tolist()],
    )
    return cities, columns


def read_cities(con: duckdb.DuckDBPyConnection) -> Cities:
    versions = read_versions(con, t.dimension_city, "City Key", "WWI City ID")
    rows = query(
        con,
        'SELECT "WWI City ID" AS id, arg_max("City", "Valid From") AS city, '
        'arg_max("State Province", "Valid From") AS state FROM "Dimension"."City" '
        'WHERE "WWI City ID" <> 0 GROUP BY 1 ORDER BY 1',
    )
    return Cities(
        versions=versions,
        ids=rows["id"].astype(np.int64),
        names=[str(name) for name in rows["city"]],
        state_codes=[_STATE_CODES.get(str(state), str(state)) for state in rows["state"]],
    )
