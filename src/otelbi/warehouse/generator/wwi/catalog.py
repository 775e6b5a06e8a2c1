"""The 227 stock items for sale: novelties, clothing, packaging and toys, with their usual
supplier, package, lead time and price.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from otelbi.warehouse.generator.wwi.scd2 import NA


class ItemSpec(NamedTuple):
    name: str
    color: str
    size: str
    selling: str
    buying: str
    brand: str
    lead_days: int
    per_outer: int
    price: float
    weight: float
    supplier: int  # WWI Supplier ID of the usual supplier
    family: str
    chiller: bool


def _item(
    base: str,
    color: str,
    size: str,
    *,
    lead_days: int,
    per_outer: int,
    price: float,
    weight: float,
    supplier: int,
    family: str,
    selling: str = "Each",
    buying: str = "Each",
    brand: str = NA,
    chiller: bool = False,
) -> ItemSpec:
    name = base + (f" ({color})" if color != NA else "") + (f" {size}" if size != NA else "")
    return ItemSpec(
        name, color, size, selling, buying, brand, lead_days, per_outer, price, weight,
        supplier, family, chiller,
    )  # fmt: skip


# WWI Supplier IDs of the generated suppliers (the list in suppliers.py)
_CHOCOLATIER, _FIGURES, _CLOTHING, _MUGS, _PACKAGING, _TOYS, _GADGETS = 1, 3, 4, 5, 7, 10, 11

_SHIRT_SIZES = ("3XS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL", "5XL", "6XL", "7XL")
_FOOT_SIZES = ("S", "M", "L", "XL")
_MUG_JOKES = (
    ("Developer", "it works on my machine"), ("Developer", "off by one again"),
    ("Developer", "ship it on Friday"), ("Developer", "the cache did it"),
    ("Developer", "commit early, commit often"), ("Developer", "rubber duck approved"),
    ("Developer", "sudo make me a coffee"), ("DBA", "SELECT coffee FROM pot"),
    ("DBA", "NULL is not zero"), ("DBA", "index all the things"),
    ("DBA", "keep calm and roll back"), ("DBA", "I know where your data lives"),
    ("IT", "have you tried turning it off"), ("IT", "there is no cloud"),
    ("IT", "404 coffee not found"), ("IT", "it is always DNS"),
    ("Tester", "works as designed"), ("Tester", "I break things for a living"),
)  # fmt: skip
_GADGETS_SOLD = (
    ("USB desk fan", "Blue", 32.0), ("USB cup warmer", "Black", 35.0),
    ("USB hand warmer", "Red", 32.0), ("USB snow globe", NA, 45.0),
    ("USB lava lamp", "Blue", 48.0), ("USB plasma ball", NA, 55.0),
    ("USB pet rock", "Gray", 32.0), ("USB fidget cube", "Gray", 32.0),
    ("USB drum kit", NA, 99.0), ("USB missile turret", "Green", 240.0),
    ("USB mini fridge", "White", 120.0), ("USB keyboard vacuum", "Black", 37.0),
    ("USB light sabre", "Blue", 45.0), ("USB robot arm", "Yellow", 180.0),
    ("USB disco ball", NA, 40.0),
)  # fmt: skip
_CARTONS = (
    ("229x229x229mm", 0.66), ("279x254x217mm", 0.95), ("305x305x305mm", 1.05),
    ("356x229x229mm", 1.11), ("356x356x279mm", 1.28), ("413x285x187mm", 1.4),
    ("457x279x279mm", 1.52), ("457x457x457mm", 2.04), ("480x270x320mm", 1.76),
    ("500x310x310mm", 2.1),
)  # fmt: skip
_CHOCOLATES = (
    ("Chilli chocolates", "500g", 12, 14.5), ("Chilli chocolates", "250g", 24, 8.55),
    ("Chocolate turtles", "250g", 24, 8.55), ("Chocolate bats", "250g", 24, 8.55),
    ("Chocolate owls", "250g", 24, 8.55), ("Chocolate dolphins", "250g", 24, 8.55),
    ("Milk chocolate stars", "250g", 24, 8.55), ("Milk chocolate comets", "250g", 24, 8.55),
)  # fmt: skip


def _novelty_items() -> list[ItemSpec]:
    """Return mugs, USB gadgets, action figures and chilled chocolates."""
    mug: dict[str, Any] = {
        "lead_days": 12,
        "per_outer": 1,
        "price": 13.0,
        "weight": 0.4,
        "supplier": _MUGS,
    }
    items = [
        _item(f"{topic} joke mug - {joke}", color, NA, family="mug", **mug)
        for topic, joke in _MUG_JOKES
        for color in ("Black", "White")
    ]
    items += [
        _item(base, color, NA, lead_days=14, per_outer=1, price=price, weight=0.3,
              supplier=_GADGETS, family="gadget")
        for base, color, price in _GADGETS_SOLD
    ]  # fmt: skip
    items += [
        _item(f"Pack of 12 action figures ({kind})", NA, NA, selling="Packet", buying="Packet",
              lead_days=2, per_outer=1, price=16.0, weight=0.7, supplier=_FIGURES,
              family="figures")
        for kind in ("variety", "heroes", "villains")
    ]  # fmt: skip
    items += [
        _item(base, NA, size, selling="Bag", buying="Carton", lead_days=3, per_outer=per_outer,
              price=price, weight=0.25 * (1 + (size == "500g")), supplier=_CHOCOLATIER,
              family="chocolate", chiller=True)
        for base, size, per_outer, price in _CHOCOLATES
    ]  # fmt: skip
    return items


def _clothing_items() -> list[ItemSpec]:
    """Return the clothing supplier's t-shirts, jackets, slippers, socks and masks."""
    clothing: dict[str, Any] = {"supplier": _CLOTHING}
    items = [
        _item('"Hello world" slogan t-shirt', color, size, buying="Carton", lead_days=7,
              per_outer=12, price=18.0, weight=0.2, family="t-shirt", **clothing)
        for color in ("Black", "White")
        for size in _SHIRT_SIZES
    ]  # fmt: skip
    items += [
        _item(base, color, size, lead_days=12, per_outer=1, price=price - 5.0 * (n < 3),
              weight=0.6, family="jacket", **clothing)
        for base, color, price in (("Space cadet hoodie", "Black", 35.0),
                                   ("Robot pilot jacket", "Blue", 30.0))
        for n, size in enumerate(_SHIRT_SIZES[:11])
    ]  # fmt: skip
    items += [
        _item(base, color, size, lead_days=12, per_outer=1, price=32.0, weight=0.4,
              family="slippers", **clothing)
        for base, color in (("Penguin slippers", "Black"), ("Dragon slippers", "Green"),
                            ("Bear paw slippers", "Brown"), ("Unicorn slippers", "Pink"),
                            ("Rocket slippers", "Red"))
        for size in _FOOT_SIZES
    ]  # fmt: skip
    items += [
        _item("Striped novelty socks", "Pink", size, selling="Pair", buying="Packet",
              lead_days=12, per_outer=12, price=5.0, weight=0.1, family="socks", **clothing)
        for size in _FOOT_SIZES
    ]  # fmt: skip
    items += [
        _item(base, color, size, buying="Carton", lead_days=12, per_outer=12, price=18.0,
              weight=0.3, family="mask", **clothing)
        for base, color in (("Halloween witch mask", "Green"), ("Halloween vampire mask", "Gray"))
        for size in _FOOT_SIZES
    ]  # fmt: skip
    return items


def _packaging_items() -> list[ItemSpec]:
    """Return the packaging supplier's tapes, cartons, bubble wrap and tools."""
    kit: dict[str, Any] = {"lead_days": 14, "supplier": _PACKAGING}
    items = [
        _item(f"{label} despatch tape", NA, size, per_outer=24, price=price, weight=0.9,
              family="tape", **kit)
        for label in ("Fragile", "This way up", "Handle with care", "Urgent", "Do not bend")
        for size, price in (("48mmx75m", 3.7), ("48mmx100m", 4.1))
    ]  # fmt: skip
    items += [
        _item("Clear packaging tape", NA, size, per_outer=36, price=price, weight=0.9,
              family="tape", **kit)
        for size, price in (("48mmx75m", 2.9), ("48mmx100m", 3.5))
    ]  # fmt: skip
    items += [
        _item("Shipping carton", "Brown", size, per_outer=25, price=price, weight=0.4,
              family="carton", **kit)
        for size, price in _CARTONS
    ]  # fmt: skip
    items += [
        _item("Courier satchel 3kg", "White", "300x190x95mm", per_outer=25, price=0.8,
              weight=0.05, family="carton", **kit),
        _item("Express post box 5kg", "White", "350x280x130mm", per_outer=25, price=3.5,
              weight=0.3, family="carton", **kit),
        _item("Mailing tube", "Brown", "60x600mm", per_outer=26, price=2.9, weight=0.2,
              family="carton", **kit),
        _item("Shipping label roll", "White", "100x150mm", per_outer=20, price=3.5, weight=0.3,
              family="label", **kit),
    ]  # fmt: skip
    items += [
        _item(f"{width} mm {kind} bubble wrap", color, length, per_outer=10,
              price=round(price * factor), weight=2.0, family="bubble wrap", **kit)
        for width, factor in ((10, 1.0), (20, 1.05), (32, 1.12))
        for kind, color in (("Anti static", "Blue"), ("Double sided", NA))
        for length, price in (("10m", 24.0), ("20m", 42.0), ("50m", 99.0))
    ]  # fmt: skip
    items += [
        _item(f"{label} bubble wrap roll", NA, length, per_outer=10, price=price, weight=1.5,
              family="bubble wrap", **kit)
        for label, length, price in (("Small", "10m", 20.0), ("Medium", "20m", 36.0),
                                     ("Large", "50m", 80.0))
    ]  # fmt: skip
    items += [
        _item("Bubble wrap dispenser", color, "1.5m", per_outer=1, price=240.0, weight=6.0,
              family="dispenser", **kit)
        for color in ("Red", "Blue", "Black")
    ]  # fmt: skip
    items += [
        _item("Void fill bag", "White", size, per_outer=10, price=price,
              weight=0.25 * price / 12.5, family="void fill", **kit)
        for size, price in (("100L", 12.5), ("200L", 25.0), ("300L", 37.5), ("400L", 50.0))
    ]  # fmt: skip
    items += [
        _item(base, color, size, per_outer=per_outer, price=price, weight=0.05, family="tool",
              **kit)
        for base, color, per_outer, sizes in (
            ("Replacement knife blades", NA, 10, (("9mm", 4.1), ("18mm", 4.5))),
            ("Packing knife", "Yellow", 5, (("9mm", 1.89), ("18mm", 2.4))),
        )
        for size, price in sizes
    ]  # fmt: skip
    items += [
        _item("Permanent marker 5mm nib", color, "5mm", per_outer=12, price=2.7, weight=0.05,
              family="tool", **kit)
        for color in ("Black", "Blue", "Red")
    ]  # fmt: skip
    items += [
        _item("Air cushion film", NA, size, per_outer=1, price=price, weight=5.0,
              family="air cushion", **kit)
        for size, price in (("200mmx100mm 325m", 87.0), ("200mmx200mm 325m", 90.0))
    ]  # fmt: skip
    slow: dict[str, Any] = {"lead_days": 20, "supplier": _PACKAGING}
    items += [
        _item("Tape dispenser", color, NA, per_outer=10, price=32.0, weight=0.6,
              family="dispenser", **slow)
        for color in ("Black", "Red", "Blue")
    ]  # fmt: skip
    items.append(
        _item("Air cushion machine", "Blue", NA, per_outer=1, price=1899.0, weight=21.0,
              family="air cushion", **slow)
    )  # fmt: skip
    return items


def _toy_items() -> list[ItemSpec]:
    """Return the toy supplier's remote-controlled and ride-on cars."""
    toy: dict[str, Any] = {"lead_days": 14, "per_outer": 1, "supplier": _TOYS, "brand": "Northwind"}
    models = (
        ("sedan", "Black"), ("sedan", "Blue"), ("sedan", "Red"), ("sedan", "Yellow"),
        ("sedan", "Green"), ("monster truck", "Black"), ("vintage coupe", "Black"),
        ("vintage coupe", "Red"), ("pickup truck", "Gray"),
    )  # fmt: skip
    items = [
        _item(f"RC {model} with remote control", color, "1/50 scale", price=230.0, weight=1.5,
              family="rc toy", **toy)
        for model, color in models
    ]  # fmt: skip
    items += [
        _item(f"Ride on {model}", color, "1/12 scale", price=285.0 + 60.0 * (model != "sedan"),
              weight=14.0 + 7.0 * (model != "sedan"), family="ride on", **toy)
        for model, color in models
    ]  # fmt: skip
    return items


def stock_item_specs() -> list[ItemSpec]:
    """Return the 227 stock items (lead times 14/12/7/3/20/2 days on 96/90/26/8/4/3 items)."""
    return _novelty_items() + _clothing_items() + _packaging_items() + _toy_items()
