"""Where buyers are: DimSalesTerritory, DimGeography, and GeographyKeys drawn for buyers.

Ten territories in six countries (plus the "NA" row); cities, states and postal codes are
synthesized in each country's style. Customers and resellers get their GeographyKey from
`geography_keys`, which reads DimGeography back, so it works on imported cities too.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.columns import (
    PLACEHOLDER_IMAGE,
    Array,
    Columns,
    concat,
    pick,
    words,
)
from otelbi.warehouse.generator.aw.run import Run

_TERRITORIES = (  # keys 1-10: region, country, group
    ("Northwest", "United States", "North America"),
    ("Northeast", "United States", "North America"),
    ("Central", "United States", "North America"),
    ("Southwest", "United States", "North America"),
    ("Southeast", "United States", "North America"),
    ("Canada", "Canada", "North America"),
    ("France", "France", "Europe"),
    ("Germany", "Germany", "Europe"),
    ("Australia", "Australia", "Pacific"),
    ("United Kingdom", "United Kingdom", "Europe"),
)


def territory_columns(run: Run) -> Columns:
    rows = [*_TERRITORIES, ("NA", "NA", "NA")]  # key 11, alternate key 0
    return {
        "SalesTerritoryKey": np.arange(1, len(rows) + 1),
        "SalesTerritoryAlternateKey": [*range(1, len(_TERRITORIES) + 1), 0],
        "SalesTerritoryRegion": [r[0] for r in rows],
        "SalesTerritoryCountry": [r[1] for r in rows],
        "SalesTerritoryGroup": [r[2] for r in rows],
        "SalesTerritoryImage": [PLACEHOLDER_IMAGE] * len(_TERRITORIES) + [None],
    }


_COUNTRIES = {  # SalesTerritoryCountry: code, English, Spanish, French, place-name style
    "United States": ("US", "United States", "Estados Unidos", "États-Unis", "en"),
    "Canada": ("CA", "Canada", "Canadá", "Canada", "en"),
    "France": ("FR", "France", "Francia", "France", "fr"),
    "Germany": ("DE", "Germany", "Alemania", "Allemagne", "de"),
    "Australia": ("AU", "Australia", "Australia", "Australie", "en"),
    "United Kingdom": ("GB", "United Kingdom", "Reino Unido", "Royaume-Uni", "en"),
}
_STATES = {  # territory key: "code name" of its states or provinces
    1: ("WA Washington", "OR Oregon", "ID Idaho", "MT Montana", "WY Wyoming"),
    2: ("NY New York", "MA Massachusetts", "CT Connecticut", "NH New Hampshire", "ME Maine",
        "VT Vermont", "MI Michigan", "OH Ohio", "IN Indiana"),
    3: ("IL Illinois", "MN Minnesota", "MO Missouri", "WI Wisconsin", "KS Kansas",
        "NE Nebraska", "CO Colorado"),
    4: ("CA California", "AZ Arizona", "NV Nevada", "UT Utah", "TX Texas"),
    5: ("FL Florida", "GA Georgia", "NC North Carolina", "SC South Carolina", "VA Virginia",
        "TN Tennessee", "AL Alabama", "KY Kentucky", "MS Mississippi"),
    6: ("BC British Columbia", "AB Alberta", "ON Ontario", "QC Quebec", "MB Manitoba",
        "NS Nova Scotia"),
    7: ("75 Paris", "92 Hauts-de-Seine", "93 Seine-Saint-Denis", "94 Val-de-Marne",
        "78 Yvelines", "91 Essonne", "95 Val-d'Oise", "77 Seine-et-Marne", "59 Nord",
        "69 Rhône", "13 Bouches-du-Rhône", "33 Gironde", "31 Haute-Garonne",
        "44 Loire-Atlantique", "45 Loiret", "57 Moselle", "67 Bas-Rhin"),
    8: ("BY Bayern", "BB Brandenburg", "HE Hessen", "HH Hamburg", "NW Nordrhein-Westfalen",
        "SL Saarland"),
    9: ("NSW New South Wales", "VIC Victoria", "QLD Queensland", "SA South Australia",
        "TAS Tasmania"),
    10: ("ENG England",),
}  # fmt: skip
_GEOGRAPHY_ROWS = {1: 83, 2: 51, 3: 51, 4: 127, 5: 64, 6: 73, 7: 48, 8: 65, 9: 40, 10: 53}
_PLACE_PARTS = {
    "en": (
        words(
            "Ash Bay Bridge Brook Cedar Clear Crest Elm Fair Glen Green Hazel High Lake Maple "
            "Mill North Oak Pine Red River Rock Rose Spring Stone Sun West Willow"
        ),
        words(
            "bury dale field ford gate haven hurst land mont port ridge side ton vale view "
            "ville wood worth"
        ),
    ),
    "de": (
        words(
            "Alten Berg Blumen Eichen Falken Grün Hohen Kirch Linden Neu Ober Rosen Schön "
            "Stein Wald Weiß Wolfs"
        ),
        words("au bach berg burg dorf feld hausen heim hof stadt tal"),
    ),
    "fr": (
        words("Beau Belle Bois Château Clair Fontaine Grand Haut Mont Neuf Roche Val"),
        words("bourg champ fort lieu mont pré ville -sur-Mer -les-Bains -le-Roi"),
    ),
}
_DOCUMENTATION_NETWORKS = ("192.0.2.", "198.51.100.", "203.0.113.")


def geography_columns(run: Run) -> Columns:
    rng = run.rng(aw_tables.dim_geography)
    territories = run.query(
        "SELECT SalesTerritoryKey AS key, SalesTerritoryCountry AS country"
        " FROM dbo.DimSalesTerritory ORDER BY SalesTerritoryKey"
    )
    parts: list[Columns] = []
    for key, country in zip(
        territories["key"].tolist(), territories["country"].tolist(), strict=True
    ):
        if country in _COUNTRIES:
            parts.append(_cities(rng, key, country))
    if not parts:
        raise ValueError("DimSalesTerritory has no known country; fill it before DimGeography")
    order = rng.permutation(sum(len(p["City"]) for p in parts))  # keys follow no territory
    columns: Columns = {name: np.concatenate([p[name] for p in parts])[order] for name in parts[0]}
    columns["GeographyKey"] = np.arange(1, len(order) + 1)
    return columns


def _cities(rng: np.random.Generator, territory: int, country: str) -> Columns:
    code, english, spanish, french, style = _COUNTRIES[country]
    home = next(k for k, t in enumerate(_TERRITORIES, 1) if t[1] == country)
    states = np.array([s.split(" ", 1) for s in _STATES.get(territory, _STATES[home])])
    n = _GEOGRAPHY_ROWS.get(territory, 50)
    state = states[rng.integers(0, len(states), n)]
    first, second = _PLACE_PARTS[style]
    return {
        "City": concat(pick(rng, first, n), pick(rng, second, n)),
        "StateProvinceCode": state[:, 0],
        "StateProvinceName": state[:, 1],
        "CountryRegionCode": np.full(n, code),
        "EnglishCountryRegionName": np.full(n, english),
        "SpanishCountryRegionName": np.full(n, spanish),
        "FrenchCountryRegionName": np.full(n, french),
        "PostalCode": _postal_codes(rng, code, state[:, 0]),
        "SalesTerritoryKey": np.full(n, territory),
        "IpAddressLocator": concat(pick(rng, _DOCUMENTATION_NETWORKS, n), rng.integers(1, 255, n)),
    }


def _postal_codes(rng: np.random.Generator, country: str, states: Array) -> Array:
    n = len(states)

    def letters(alphabet: str) -> Array:
        return np.array(list(alphabet))[rng.integers(0, len(alphabet), n)]

    if country == "CA":
        digits = rng.integers(0, 10, (3, n))
        alphabet = "ABCEGHJKLMNPRSTVXY"
        return concat(
            letters(alphabet), digits[0], letters(alphabet), " ",
            digits[1], letters(alphabet), digits[2],
        )  # fmt: skip
    if country == "FR":
        return concat(states, np.char.zfill(rng.integers(0, 1000, n).astype(str), 3))
    if country == "GB":
        return concat(
            letters("ABCDEGHKLMNPRSTWY"), letters("ABDEFHLMNPRSTW"), rng.integers(1, 30, n)
        )
    if country == "AU":
        return rng.integers(1000, 8000, n).astype(str)
    return np.char.zfill(rng.integers(1000, 99999, n).astype(str), 5)


def geography_keys(
    rng: np.random.Generator, run: Run, shares: Mapping[int, float], n: int, *, spread: float
) -> Array:
    """Return a GeographyKey per row: territories drawn by `shares`, cities unevenly."""
    cities = run.query(
        "SELECT g.GeographyKey AS key, g.SalesTerritoryKey AS territory"
        " FROM dbo.DimGeography g"
        " JOIN dbo.DimSalesTerritory t ON t.SalesTerritoryKey = g.SalesTerritoryKey"
        " ORDER BY g.GeographyKey"
    )
    present = sorted(set(cities["territory"].tolist()) & set(shares))
    if not present:
        raise ValueError("DimGeography has no city in a sales territory; fill it first")
    weights = np.array([shares[t] for t in present], dtype=np.float64)
    territory = np.asarray(present)[rng.choice(len(present), n, p=weights / weights.sum())]
    keys = np.zeros(n, dtype=np.int64)
    for t in present:
        rows = territory == t
        candidates = cities["key"][cities["territory"] == t]
        popularity = rng.random(len(candidates)) ** spread
        picked = rng.choice(len(candidates), int(rows.sum()), p=popularity / popularity.sum())
        keys[rows] = candidates[picked]
    return keys
