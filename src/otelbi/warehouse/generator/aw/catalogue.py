"""The sellable product versions the sales facts read back from DimProduct, by sales period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from otelbi.warehouse.generator.aw.columns import Array
from otelbi.warehouse.generator.aw.products import PERIOD_STARTS
from otelbi.warehouse.generator.aw.run import Run


@dataclass(frozen=True)
class Catalogue:
    """Sellable product versions as the sales facts see them (money in ten-thousandths)."""

    key: Array
    period: Array  # index into PERIOD_STARTS of the orders this version is sold on
    category: Array
    list_price: Array
    dealer_price: Array
    cost: Array

    def on_sale(self, period: int, *categories: str) -> Array:
        on_sale: Array = np.flatnonzero(
            (self.period == period) & np.isin(self.category, categories)
        )
        return on_sale


def read_catalogue(run: Run) -> Catalogue:
    """Return the priced product versions in DimProduct, each assigned to a sales period."""
    rows = run.query(
        "SELECT p.ProductKey AS key, CAST(p.StartDate AS DATE) - DATE '1970-01-01' AS start,"
        " c.EnglishProductCategoryName AS category,"
        " CAST(round(p.ListPrice * 10000) AS BIGINT) AS list_price,"
        " CAST(round(coalesce(p.DealerPrice, p.ListPrice * 0.6) * 10000) AS BIGINT) AS dealer,"
        " CAST(round(p.StandardCost * 10000) AS BIGINT) AS cost"
        " FROM dbo.DimProduct p"
        " JOIN dbo.DimProductSubcategory s ON s.ProductSubcategoryKey = p.ProductSubcategoryKey"
        " JOIN dbo.DimProductCategory c ON c.ProductCategoryKey = s.ProductCategoryKey"
        " WHERE p.ListPrice > 0 AND p.StandardCost IS NOT NULL AND p.StartDate IS NOT NULL"
        " ORDER BY p.ProductKey"
    )
    # The last three price lists serve the three sales periods; with fewer, the oldest one
    # also serves the periods before it.
    periods = len(PERIOD_STARTS)
    starts = np.unique(rows["start"])
    rank = np.searchsorted(starts, rows["start"])
    period = rank + periods - len(starts)
    missing = [np.flatnonzero(rank == 0)] * max(periods - len(starts), 0)
    index = np.concatenate([np.arange(len(rank)), *missing]).astype(np.int64)
    period = np.concatenate([period, *(np.full(len(m), p) for p, m in enumerate(missing))])
    return Catalogue(
        key=rows["key"][index],
        period=period,
        category=rows["category"][index],
        list_price=rows["list_price"][index],
        dealer_price=rows["dealer"][index],
        cost=rows["cost"][index],
    )
