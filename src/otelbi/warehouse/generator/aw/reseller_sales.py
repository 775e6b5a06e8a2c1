"""FactResellerSales: month-end batches of dealer orders, each sold by a sales person.

Resellers order in about 40 batches at the dealer price, with volume tiers and a few dated
deals; a reseller orders only once a rep sells in its territory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.catalogue import read_catalogue
from otelbi.warehouse.generator.aw.columns import Array, Columns, concat
from otelbi.warehouse.generator.aw.currencies import currency_keys
from otelbi.warehouse.generator.aw.dates import parse_days
from otelbi.warehouse.generator.aw.employees import SALES_ORG, read_sales_reps
from otelbi.warehouse.generator.aw.order_lines import (
    OrderLines,
    line_columns,
    mix_weights,
    numbered_lines,
    pick_distinct,
)
from otelbi.warehouse.generator.aw.products import PERIOD_STARTS
from otelbi.warehouse.generator.aw.promotions import no_discount_key
from otelbi.warehouse.generator.aw.run import Run

# Monthly reseller batches near month end. The February, April and June 2011 batches slipped
# into the next month; from August 2013 a straggler order lands the day before the batch.
_RESELLER_BATCHES = parse_days(
    "2010-12-29", "2011-01-29", "2011-03-01", "2011-03-31", "2011-05-01", "2011-05-31",
    "2011-07-01", "2011-08-01", "2011-08-29", "2011-09-29", "2011-10-29", "2011-11-29",
    "2011-12-29", "2012-01-29", "2012-02-29", "2012-03-30", "2012-04-30", "2012-05-30",
    "2012-06-30", "2012-07-31", "2012-08-28", "2012-09-28", "2012-10-28", "2012-11-28",
    "2012-12-28", "2013-01-28", "2013-02-28", "2013-03-30", "2013-04-30", "2013-05-30",
    "2013-06-30", "2013-07-31", "2013-08-29", "2013-09-29", "2013-10-29", "2013-11-29",
)  # fmt: skip
_RESELLER_STRAGGLERS = parse_days("2013-08-28", "2013-09-28", "2013-10-28", "2013-11-28")
_RESELLER_ORDERS = (64.0, 182.0)  # orders in a month-end batch, first and last
_QUARTER_END_DIP = 0.55  # batches closing a quarter hold fewer orders
_RESELLER_MIX = {  # category: line share, mean dealer price, mean quantity
    "Bikes": (0.45, 800.0, 3.0),
    "Components": (0.27, 230.0, 2.6),
    "Clothing": (0.20, 26.0, 5.3),
    "Accessories": (0.08, 21.0, 5.1),
}
_RESELLER_CURRENCIES = {
    "Canada": (("CAD", 1.0),),
    "France": (("EUR", 0.13), ("USD", 0.87)),
    "Germany": (("EUR", 1.0),),
    "Australia": (("AUD", 1.0),),
    "United Kingdom": (("GBP", 1.0),),
}
_MANAGER_SHARE = 0.03  # a sales manager takes this fraction of a representative's orders
_PRICE_CUTS = (0.9833, 0.9667, 0.95, 0.9167)  # negotiated unit prices on a few dealer lines
_DEAL_TAKE_UP = 0.06  # share of reseller lines in a deal's window that get the deal


@dataclass(frozen=True)
class _ResellerOrders:
    day: Array
    reseller: Array  # index into the resellers read back
    rep: Array  # index into the reps read back


def _reseller_orders(
    run: Run, rng: np.random.Generator, territory: Array, reps: dict[str, Array]
) -> _ResellerOrders:
    """Return the reseller orders, chronologically, with the reseller and rep of each.

    A reseller orders only once a rep sells in its territory; managers sell little.
    """
    org = {rep.key: rep.sells_in for rep in SALES_ORG}
    places = np.unique(territory)
    # Reps outside the known org sell where DimEmployee puts them, or everywhere.
    sells = np.array([
        np.isin(places, org.get(int(key), (int(home),) if home in places else places))
        for key, home in zip(reps["key"], reps["territory"], strict=True)
    ])  # fmt: skip
    rep_weight = np.where(reps["manager"], _MANAGER_SHARE, 1.0)
    place = np.searchsorted(places, territory)
    appetite = rng.gamma(1.5, size=len(territory)) * (rng.random(len(territory)) > 0.09)
    affinity = rng.random((len(territory), len(reps["key"]))) ** 3

    batch = np.concatenate([_RESELLER_BATCHES, _RESELLER_STRAGGLERS])
    month = (batch - 3).astype("datetime64[M]").astype(np.int64) % 12 + 1
    span = (_RESELLER_BATCHES[-1] - batch[0]).astype(np.float64)
    progress = (batch - batch[0]).astype(np.float64) / span
    first, last = _RESELLER_ORDERS
    expected = (first + (last - first) * progress) * run.scale
    expected *= np.where(month % 3 == 0, _QUARTER_END_DIP, 1.0)
    counts = rng.poisson(expected)
    counts[len(_RESELLER_BATCHES) :] = 1
    days, resellers, sellers = (
        [np.zeros(0, "datetime64[D]")],
        [np.zeros(0, int)],
        [np.zeros(0, int)],
    )
    for day, n in zip(batch, counts, strict=True):
        active = (reps["hired"] <= day)[:, None] & sells  # rep x place
        weights = appetite * (active * rep_weight[:, None]).max(axis=0)[place]
        if n == 0 or weights.sum() == 0:
            continue
        who = rng.choice(len(weights), n, p=weights / weights.sum())
        cumulative = (active[:, place[who]].T * rep_weight * affinity[who]).cumsum(axis=1)
        draw = rng.random(n) * cumulative[:, -1]
        sellers.append((cumulative < draw[:, None]).sum(axis=1))
        resellers.append(who)
        days.append(np.full(n, day))
    day, reseller, rep = (np.concatenate(x) for x in (days, resellers, sellers))
    chronological = np.lexsort((reseller, day))
    return _ResellerOrders(day[chronological], reseller[chronological], rep[chronological])


def reseller_sales(run: Run) -> OrderLines:
    rng = run.rng(aw_tables.fact_reseller_sales)
    catalogue = read_catalogue(run)
    resellers = run.query(
        "SELECT r.ResellerKey AS key, g.SalesTerritoryKey AS territory,"
        " t.SalesTerritoryCountry AS country"
        " FROM dbo.DimReseller r"
        " JOIN dbo.DimGeography g ON g.GeographyKey = r.GeographyKey"
        " JOIN dbo.DimSalesTerritory t ON t.SalesTerritoryKey = g.SalesTerritoryKey"
        " ORDER BY r.ResellerKey"
    )
    reps = read_sales_reps(run)
    if resellers["key"].size == 0 or reps["key"].size == 0:
        return OrderLines(np.zeros(0, "datetime64[D]"), np.zeros(0, np.int64), {})
    orders = _reseller_orders(run, rng, resellers["territory"], reps)
    n = len(orders.day)
    size = np.clip(np.rint(rng.lognormal(np.log(9.5), 1.2, n)), 1, 72).astype(np.int64)
    size = np.where(np.isin(orders.day, _RESELLER_STRAGGLERS), rng.integers(1, 5, n), size)
    period = np.searchsorted(PERIOD_STARTS, orders.day, side="right") - 1
    mix = {category: (share, price) for category, (share, price, _) in _RESELLER_MIX.items()}
    line_orders, line_products = [], []
    for p in range(len(PERIOD_STARTS)):
        on_sale = catalogue.on_sale(p, *_RESELLER_MIX)
        wants = np.flatnonzero(period == p)
        if on_sale.size and wants.size:
            weights = mix_weights(catalogue, on_sale, mix, catalogue.dealer_price)
            rows, picked = pick_distinct(rng, weights, size[wants])
            line_orders.append(wants[rows])
            line_products.append(on_sale[picked])
    line_order, product, line_number = numbered_lines(line_orders, line_products)
    kept, line_order = np.unique(line_order, return_inverse=True)
    day, reseller, rep = orders.day[kept], orders.reseller[kept], orders.rep[kept]

    lines = len(line_order)
    mean = np.array([_RESELLER_MIX[c][2] for c in catalogue.category[product]])
    shape = 1.5  # negative binomial: 1 and 2 about as common, a long tail up to 44
    quantity = np.minimum(1 + rng.negative_binomial(shape, shape / (shape + mean - 1)), 44)
    cut = np.where(rng.random(lines) < 0.08, rng.choice(_PRICE_CUTS, lines), 1.0)
    unit_price = np.rint(catalogue.dealer_price[product] * cut).astype(np.int64)
    promotion, discount = _reseller_promotions(run, rng, day[line_order], quantity)
    currency = currency_keys(run, rng, resellers["country"][reseller], _RESELLER_CURRENCIES)
    hex_digits = np.array(list("0123456789ABCDEF"))[rng.integers(0, 16, (10, len(day)))]
    carrier = concat(*hex_digits[:4], "-", *hex_digits[4:8], "-", *hex_digits[8:])
    purchase_order = concat("PO", rng.integers(10**9, 10**13, len(day)))
    columns: Columns = {
        "ProductKey": catalogue.key[product],
        "ResellerKey": resellers["key"][reseller][line_order],
        "EmployeeKey": reps["key"][rep][line_order],
        "PromotionKey": promotion,
        "CurrencyKey": currency[line_order],
        "SalesTerritoryKey": resellers["territory"][reseller][line_order],
        "SalesOrderLineNumber": line_number,
        **line_columns(day[line_order], unit_price, quantity, discount, catalogue.cost[product]),
        "CarrierTrackingNumber": carrier[line_order],
        "CustomerPONumber": purchase_order[line_order],
    }
    return OrderLines(day, line_order, columns)


def _reseller_promotions(
    run: Run, rng: np.random.Generator, day: Array, quantity: Array
) -> tuple[Array, Array]:
    """Return PromotionKey and discount per reseller line: volume tiers, then a few deals."""
    promotions = run.query(
        "SELECT PromotionKey AS key, coalesce(DiscountPct, 0) AS pct,"
        " CAST(StartDate AS DATE) - DATE '1970-01-01' AS first_day,"
        " coalesce(CAST(EndDate AS DATE) - DATE '1970-01-01', 1000000) AS last_day,"
        " coalesce(MinQty, 0) AS min_qty, coalesce(MaxQty, 1000000) AS max_qty,"
        " coalesce(EnglishPromotionCategory, '') AS category"
        " FROM dbo.DimPromotion ORDER BY PromotionKey"
    )
    key = np.full(len(day), no_discount_key(run))
    discount = np.zeros(len(day))
    at = day.astype(np.int64)
    draw = rng.random(len(day))
    for i in np.argsort(promotions["min_qty"] == 0, kind="stable"):  # deals override tiers
        pct = float(promotions["pct"][i])
        running = (promotions["first_day"][i] <= at) & (at <= promotions["last_day"][i])
        if promotions["min_qty"][i] > 0:
            low, high = promotions["min_qty"][i], promotions["max_qty"][i]
            applies = running & (low <= quantity) & (quantity <= high)
        elif promotions["category"][i] == "Reseller":
            applies = running & (draw < _DEAL_TAKE_UP)
        else:
            continue
        if pct > 0:
            key[applies], discount[applies] = promotions["key"][i], pct
    return key, discount
