"""DimPromotion: no discount, the reseller volume tiers and dated deals, in three languages."""

from __future__ import annotations

import numpy as np

from otelbi.warehouse.generator.aw.columns import Columns
from otelbi.warehouse.generator.aw.dates import parse_days
from otelbi.warehouse.generator.aw.run import Run

_TRANSLATIONS = {  # promotion type or category: Spanish, French
    "No Discount": ("Sin descuento", "Aucune remise"),
    "Volume Discount": ("Descuento por volumen", "Remise sur quantité"),
    "Discontinued Product": ("Producto descatalogado", "Produit abandonné"),
    "Seasonal Discount": ("Descuento de temporada", "Remise saisonnière"),
    "Excess Inventory": ("Exceso de inventario", "Excédent de stock"),
    "New Product": ("Producto nuevo", "Nouveau produit"),
    "Reseller": ("Distribuidor", "Revendeur"),
    "Customer": ("Cliente", "Client"),
}
_VOLUME_DAYS = ("2010-12-29", "2013-12-28")  # volume discounts run for the reseller period
_PROMOTIONS = (  # name, discount, type, category, first day, last day, min qty, max qty
    ("No Discount", 0.0, "No Discount", "No Discount", "2010-11-29", "2014-06-30", 0, None),
    ("Volume Discount 11 to 14", 0.02, "Volume Discount", "Reseller", *_VOLUME_DAYS, 11, 14),
    ("Volume Discount 15 to 24", 0.05, "Volume Discount", "Reseller", *_VOLUME_DAYS, 15, 24),
    ("Volume Discount 25 to 40", 0.10, "Volume Discount", "Reseller", *_VOLUME_DAYS, 25, 40),
    ("Volume Discount 41 to 60", 0.15, "Volume Discount", "Reseller", *_VOLUME_DAYS, 41, 60),
    ("Volume Discount over 60", 0.20, "Volume Discount", "Reseller", *_VOLUME_DAYS, 61, None),
    ("Trail Line Clearance", 0.35, "Discontinued Product", "Reseller",
     "2011-11-12", "2011-12-28", 0, None),
    ("Winter Helmet Offer 2011", 0.10, "Seasonal Discount", "Reseller",
     "2011-12-29", "2012-01-28", 0, None),
    ("Road Line Overstock", 0.30, "Excess Inventory", "Reseller",
     "2011-12-29", "2012-02-28", 0, None),
    ("Tyre Clearance", 0.50, "Excess Inventory", "Customer",
     "2012-12-12", "2013-02-26", 0, None),
    ("Winter Helmet Offer 2012", 0.15, "Seasonal Discount", "Reseller",
     "2012-12-28", "2013-01-27", 0, None),
    ("Entry Frame Sale", 0.35, "Excess Inventory", "Reseller",
     "2012-12-28", "2013-02-11", 0, None),
    ("Touring Launch", 0.15, "New Product", "Reseller", "2012-12-28", "2013-03-29", 0, None),
    ("Touring Pro Launch", 0.20, "New Product", "Reseller", "2012-12-28", "2013-03-29", 0, None),
    ("Pedal Half-Price Week", 0.50, "Seasonal Discount", "Customer",
     "2013-02-11", "2013-03-14", 0, None),
    ("Ridge Silver Clearance", 0.40, "Discontinued Product", "Reseller",
     "2013-10-29", "2013-12-28", 0, None),
)  # fmt: skip


def promotion_columns(run: Run) -> Columns:
    rows = _PROMOTIONS
    keys = np.arange(1, len(rows) + 1)
    columns: Columns = {"PromotionKey": keys, "PromotionAlternateKey": keys}
    for language, prefix in enumerate(("Spanish", "French")):
        columns[f"{prefix}PromotionName"] = [_promotion_name(r[0], language) for r in rows]
        columns[f"{prefix}PromotionType"] = [_TRANSLATIONS[r[2]][language] for r in rows]
        columns[f"{prefix}PromotionCategory"] = [_TRANSLATIONS[r[3]][language] for r in rows]
    return columns | {
        "EnglishPromotionName": [r[0] for r in rows],
        "DiscountPct": [r[1] for r in rows],
        "EnglishPromotionType": [r[2] for r in rows],
        "EnglishPromotionCategory": [r[3] for r in rows],
        "StartDate": parse_days(*(r[4] for r in rows)),
        "EndDate": parse_days(*(r[5] for r in rows)),
        "MinQty": [r[6] for r in rows],
        "MaxQty": [r[7] for r in rows],
    }


def _promotion_name(name: str, language: int) -> str:
    if name in _TRANSLATIONS:
        return _TRANSLATIONS[name][language]
    if name.startswith("Volume Discount"):
        words = (("a", "más de"), ("à", "plus de"))[language]
        tail = name.removeprefix("Volume Discount").replace("to", words[0])
        return _TRANSLATIONS["Volume Discount"][language] + tail.replace("over", words[1])
    return name  # deal names are product names


def no_discount_key(run: Run) -> int:
    """Return the PromotionKey of the first promotion without a discount."""
    rows = run.query(
        "SELECT PromotionKey AS key FROM dbo.DimPromotion"
        " WHERE coalesce(DiscountPct, 0) = 0 ORDER BY PromotionKey LIMIT 1"
    )
    if rows["key"].size == 0:
        raise ValueError("DimPromotion has no no-discount row; fill it before the sales facts")
    return int(rows["key"][0])
