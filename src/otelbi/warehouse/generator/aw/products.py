"""DimProduct: SCD2 products on three yearly price lists, plus unsold parts and frames.

Each model comes in one or more sizes and is on one or more price lists; every (size, price
list) pair is a row. List prices and cost ratios are spread evenly over each category's
range; dealers pay 0.6 x list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.columns import MONEY, PLACEHOLDER_IMAGE, Columns, pick, words
from otelbi.warehouse.generator.aw.dates import parse_days
from otelbi.warehouse.generator.aw.product_categories import SUBCATEGORIES
from otelbi.warehouse.generator.aw.run import Run

# Version i of a product starts on _PRICE_LIST_STARTS[i] in DimProduct and is sold from
# PERIOD_STARTS[i] (late December of the year before), as in the real data, where historic
# rows also end before they start.
_PRICE_LIST_STARTS = ("2011-07-01", "2012-07-01", "2013-07-01")
_PRICE_LIST_ENDS = ("2007-12-28", "2008-12-27", None)
PERIOD_STARTS = parse_days("2010-12-29", "2011-12-29", "2012-12-28")
_LIFESPANS = ((0, 1, 2), (0, 1), (1, 2), (0,), (1,), (2,))  # the price lists a product is on
_RANGE = {  # category key: number of products per lifespan, in _LIFESPANS order
    1: (4, 10, 9, 16, 12, 47),
    2: (12, 7, 6, 13, 37, 75),
    3: (6, 1, 12, 0, 2, 2),
    4: (3, 0, 7, 0, 0, 12),
}
_PRICES = {1: (540.0, 3580.0), 2: (20.0, 450.0), 3: (8.5, 90.0), 4: (2.3, 160.0)}
# Standard cost / list price. Dealers pay 0.6 x list, so most bikes sell to them below cost.
_COST_RATIOS = {1: (0.545, 0.64), 2: (0.45, 0.61), 3: (0.36, 0.70), 4: (0.357, 0.4125)}
_OLDER_PRICE = (1.0, 1.0, 0.9615, 0.9091, 0.8826)  # a price list's price / the next one's
_FRAMES = {12: "M ", 14: "R ", 16: "T "}  # frame subcategory key: product line
_BIKE_LINES = {1: "M ", 2: "R ", 3: "T "}
_BIKE_MODELS = {
    1: ("Ridge", "Summit", "Canyon"),
    2: ("Velo", "Sprint", "Tempo"),
    3: ("Voyager", "Nomad"),
}
_STYLE_NAMES = ("Classic", "Team", "Trail", "Logo", "Aero", "Urban")
_LEVELS = (("Entry", "L "), ("Sport", "M "), ("Pro", "H "))
_FRAME_SIZES = words("38 40 42 44 46 48 50 52 54 56 58 60 62")
_CLOTHING_SIZES = ("S", "M", "L", "XL")
_SINGULAR = {
    "Bottles and Cages": "Bottle Cage", "Cleaners": "Bike Cleaner", "Fenders": "Fender Set",
    "Tires and Tubes": "Tire", "Bib-Shorts": "Bib-Shorts", "Gloves": "Gloves",
    "Shorts": "Shorts", "Socks": "Socks", "Tights": "Tights",
}  # fmt: skip
_PART_NAMES = (
    "Adjustable Race", "Bearing Ball", "Blade", "Chain Stay", "Chainring Bolt", "Chainring Nut",
    "Cone Race", "Crown Race", "Cup Race", "Decal", "Down Tube", "External Lock Washer",
    "Flat Washer", "Fork End", "Freewheel", "Guide Pulley", "Head Tube", "Hex Bolt", "Hex Nut",
    "Internal Lock Washer", "Keyed Washer", "Lock Nut", "Lock Ring", "Lock Washer",
    "Metal Plate", "Metal Sheet", "Pinch Bolt", "Reflector", "Seat Lug", "Seat Stay", "Spokes",
    "Steerer", "Stem", "Tension Pulley", "Thin-Jam Hex Nut", "Top Tube",
)  # fmt: skip
_PARTS = 209


def product_columns(run: Run) -> Columns:
    rng = run.rng(aw_tables.dim_product)
    models: list[_Model] = []
    serial = 100
    for category, counts in _RANGE.items():
        subcategories = [k for k, s in enumerate(SUBCATEGORIES, 1) if s[0] == category]
        for lifespan, count in zip(_LIFESPANS, counts, strict=True):
            left = count
            while left:
                # Touring bikes and frames arrive with the second price list.
                choices = [k for k in subcategories if lifespan[0] > 0 or k not in (3, 16)]
                subcategory = choices[rng.integers(0, len(choices))]
                # The first bike sold on the first price list only is a flagship: the 2011
                # internet orders average over 3,000.
                top = category == 1 and lifespan == (0,) and left == count
                models.append(_model(rng, serial, subcategory, lifespan, left, top=top))
                left -= len(models[-1].sizes)
                serial += 10
    # Prices and costs are spread evenly over each category's range, so the catalogue, and
    # the margins the facts get from it, change little from seed to seed.
    placed = []
    for category in _RANGE:
        mine = [m for m in models if SUBCATEGORIES[m.subcategory - 1][0] == category]
        price_at, cost_at = (rng.permutation(len(mine)) + rng.random((2, len(mine)))) / len(mine)
        for model, price, cost in zip(mine, price_at, cost_at, strict=True):
            rows = _model_rows(rng, model, float(price), float(cost))
            placed.append((model.lifespan[0], float(rng.random()), rows))
    rows = _part_rows(rng)
    for _, _, model_rows in sorted(placed, key=lambda m: (m[0], m[1])):
        rows += model_rows
    columns: Columns = {
        column.name: [row.get(column.name) for row in rows] for column in aw_tables.dim_product.c
    }
    columns["ProductKey"] = np.arange(1, len(rows) + 1)
    columns["LargePhoto"] = [PLACEHOLDER_IMAGE] * len(rows)
    return columns


def _part_rows(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Return the parts, which have no subcategory or price, then two unpriced frames."""
    rows: list[dict[str, Any]] = []
    numbers = rng.permutation(9000)[:_PARTS] + 1000
    for i in range(_PARTS):
        name = _PART_NAMES[i % len(_PART_NAMES)]
        stock = (1000, 800, 500)[rng.integers(0, 3)]
        initials = "".join(word[0] for word in name.split()).upper().ljust(2, "X")[:2]
        rows.append({
            "ProductAlternateKey": f"{initials}-{numbers[i]}",
            "EnglishProductName": f"{name} {i // len(_PART_NAMES) + 1}",
            "SpanishProductName": "",
            "FrenchProductName": "",
            "FinishedGoodsFlag": False,
            "Color": "NA",
            "SafetyStockLevel": stock,
            "ReorderPoint": stock * 3 // 4,
            "SizeRange": "NA",
            "DaysToManufacture": int(rng.integers(0, 2)),
            "StartDate": "2003-07-01",
            "Status": "Current",
        })  # fmt: skip
    for color in ("Black", "Red"):
        name = f"Pro Road Frame-900 - {color}, 58"
        rows.append({
            "ProductAlternateKey": f"FR-P900{color[0]}-58",
            "ProductSubcategoryKey": 14,
            "WeightUnitMeasureCode": "LB ",
            "SizeUnitMeasureCode": "CM ",
            "EnglishProductName": name,
            "SpanishProductName": "",
            "FrenchProductName": "",
            "FinishedGoodsFlag": True,
            "Color": color,
            "SafetyStockLevel": 500,
            "ReorderPoint": 375,
            "Size": "58",
            "SizeRange": "54-58 CM",
            "DaysToManufacture": 1,
            "ProductLine": "R ",
            "Class": "H ",
            "Style": "U ",
            "ModelName": "Pro Road Frame-900",
            "StartDate": "2003-07-01",
            "Status": "Current",
        })  # fmt: skip
    return rows


@dataclass(frozen=True)
class _Model:
    serial: int
    subcategory: int
    lifespan: tuple[int, ...]  # the price lists it is on
    name: str
    color: str
    sizes: Sequence[str | None]
    line: str | None
    klass: str | None
    style: str | None
    prices: tuple[float, float]  # range of the current list price


def _model(
    rng: np.random.Generator,
    serial: int,
    subcategory: int,
    lifespan: tuple[int, ...],
    most: int,
    *,
    top: bool,
) -> _Model:
    """Return how one model looks: name, colour, at most `most` sizes, lines, price range."""
    category, english = SUBCATEGORIES[subcategory - 1][:2]
    singular = _SINGULAR.get(english, english.removesuffix("s"))
    level, level_code = _LEVELS[rng.integers(0, len(_LEVELS))]
    first = rng.integers(0, len(_FRAME_SIZES) - 4)
    frame_sizes = _FRAME_SIZES[first : first + rng.integers(3, 6)][:most]
    style_name = _STYLE_NAMES[rng.integers(0, len(_STYLE_NAMES))]
    plain = {"sizes": (None,), "klass": None, "style": None}
    looks: dict[str, Any]
    if category == 1:
        stems = _BIKE_MODELS[subcategory]
        looks = {
            "name": f"{stems[rng.integers(0, len(stems))]}-{serial}",
            "color": pick(rng, ("Black", "Red", "Silver", "Yellow", "Blue"), 1)[0],
            "sizes": frame_sizes,
            "line": _BIKE_LINES[subcategory],
            "klass": level_code,
            "style": pick(rng, ("U ", "W "), 1, p=[0.7, 0.3])[0],
            "prices": (3300.0 if top else _PRICES[1][0], _PRICES[1][1]),
        }
    elif subcategory in _FRAMES:
        looks = {
            "name": f"{level} {singular}-{serial}",
            "color": pick(rng, ("Black", "Red", "Silver", "Yellow"), 1)[0],
            "sizes": frame_sizes,
            "line": _FRAMES[subcategory],
            "klass": level_code,
            "style": "U ",
            "prices": (250.0, 1430.0),
        }
    elif category == 2:
        looks = plain | {
            "name": f"{level} {singular}-{serial}",
            "color": "NA",
            "line": pick(rng, ("M ", "R ", "T ", None), 1)[0],
            "klass": level_code,
            "prices": _PRICES[2],
        }
    elif category == 3:
        sized = english not in ("Caps", "Socks")
        looks = plain | {
            "name": f"{style_name} {singular}-{serial}",
            "color": pick(rng, ("Multi", "White", "Black", "Yellow"), 1)[0],
            "sizes": _CLOTHING_SIZES[rng.integers(0, 2) :][:most] if sized else (None,),
            "line": "S ",
            "style": pick(rng, ("U ", "W ", "M "), 1)[0],
            "prices": _PRICES[3],
        }
    else:
        looks = plain | {
            "name": f"{style_name} {singular}-{serial}",
            "color": "NA",
            "line": "S ",
            "prices": _PRICES[4],
        }
    return _Model(serial=serial, subcategory=subcategory, lifespan=lifespan, **looks)


def _model_rows(
    rng: np.random.Generator, model: _Model, price_at: float, cost_at: float
) -> list[dict[str, Any]]:
    """Return the DimProduct rows of one model: one per size and price list.

    `price_at` and `cost_at` (0-1) place its list price and cost ratio in their ranges.
    """
    category, english, *_, prefix = SUBCATEGORIES[model.subcategory - 1]
    low, high = np.log(model.prices)
    prices = [float(np.floor(np.exp(low + price_at * (high - low)))) + 0.99]
    for _ in model.lifespan[1:]:
        prices.insert(0, round(prices[0] * float(rng.choice(_OLDER_PRICE)), 4))
    low, high = _COST_RATIOS[category]
    ratios = low + cost_at * (high - low) + rng.uniform(-0.015, 0.015, len(model.lifespan))
    ratios = np.clip(ratios, low, high)
    framed = category == 1 or model.subcategory in _FRAMES
    weight = round(float(rng.uniform(13, 30) if category == 1 else rng.uniform(2.5, 3.5)), 2)
    code = f"{prefix}-{model.name[0]}{model.serial}"
    rows = []
    for size in model.sizes:
        name = model.name
        if size is not None:
            name += f"{' -' if category == 2 else ''} {model.color}, {size}"
            name = f"{model.name}, {size}" if category == 3 else name
        for version, list_price, ratio in zip(model.lifespan, prices, ratios, strict=True):
            list_units = round(list_price * MONEY)
            rows.append({
                "ProductAlternateKey": code if size is None else f"{code}-{size}",
                "ProductSubcategoryKey": model.subcategory,
                "WeightUnitMeasureCode": "LB " if framed else None,
                "SizeUnitMeasureCode": "CM " if framed else None,
                "EnglishProductName": name,
                "SpanishProductName": name,
                "FrenchProductName": name,
                "StandardCost": round(list_units * ratio),
                "FinishedGoodsFlag": True,
                "Color": model.color,
                "SafetyStockLevel": {1: 100, 2: 500}.get(category, 4),
                "ReorderPoint": {1: 75, 2: 375}.get(category, 3),
                "ListPrice": list_units,
                "Size": size,
                "SizeRange": _size_range(size),
                "Weight": weight if framed else None,
                "DaysToManufacture": 4 if category == 1 else 2 if framed else 0,
                "ProductLine": model.line,
                "DealerPrice": round(list_units * 0.6),
                "Class": model.klass,
                "Style": model.style,
                "ModelName": model.name,
                "EnglishDescription": f"{model.name}: {english.lower()} for every ride.",
                "StartDate": _PRICE_LIST_STARTS[version],
                "EndDate": _PRICE_LIST_ENDS[version],
                "Status": "Current" if _PRICE_LIST_ENDS[version] is None else None,
            })  # fmt: skip
    return rows


def _size_range(size: str | None) -> str:
    if size is None:
        return "NA"
    if not size.isdigit():
        return size
    bands = ((40, "38-40 CM"), (46, "42-46 CM"), (52, "48-52 CM"), (58, "54-58 CM"))
    return next((band for top, band in bands if int(size) <= top), "60-62 CM")
