"""FactInternetSales: daily web orders by customers, at list price and without discount.

The internet profile (expected orders and bike share per day, 2010-12-29 to 2014-01-28)
drives both the order days and DimCustomer.DateFirstPurchase. Orders hold one bike until the
2013 price list brings accessories and clothing; bikes stop after 2013-12-28.
"""

from __future__ import annotations

import numpy as np

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.catalogue import read_catalogue
from otelbi.warehouse.generator.aw.columns import MONEY, Array, Columns
from otelbi.warehouse.generator.aw.currencies import currency_keys
from otelbi.warehouse.generator.aw.dates import parse_day, parse_days
from otelbi.warehouse.generator.aw.order_lines import (
    OrderLines,
    line_columns,
    mix_weights,
    numbered_lines,
    pick_distinct,
    price_tilt,
)
from otelbi.warehouse.generator.aw.products import PERIOD_STARTS
from otelbi.warehouse.generator.aw.promotions import no_discount_key
from otelbi.warehouse.generator.aw.run import Run

_INTERNET_LAST_DAY = parse_day("2014-01-28")

# Expected internet orders per day and share of orders holding a bike, interpolated between
# these days: single-line bike orders until the 2013 price list brings accessories and
# clothing, then a level shift in daily revenue around May 2013.
_INTERNET_PROFILE = (
    ("2010-12-29", 4.7, 1.0),
    ("2011-12-28", 7.3, 1.0),
    ("2011-12-29", 7.6, 1.0),
    ("2012-12-27", 10.4, 1.0),
    ("2012-12-28", 12.0, 0.95),
    ("2013-01-31", 40.0, 0.45),
    ("2013-02-01", 46.0, 0.39),
    ("2013-04-30", 53.0, 0.41),
    ("2013-06-01", 62.0, 0.46),
    ("2013-12-28", 70.0, 0.50),
    ("2013-12-29", 70.0, 0.0),
    ("2013-12-31", 70.0, 0.0),
    ("2014-01-01", 31.0, 0.0),
    ("2014-01-28", 31.0, 0.0),
)
_INTERNET_BIKE_PRICE = (3190.0, 1790.0, 1580.0)  # mean bike price per sales period
_INTERNET_EXTRAS = {"Accessories": (0.8, 19.4), "Clothing": (0.2, 37.3)}  # share, mean price
_INTERNET_MAX_LINES = 8
_INTERNET_CURRENCIES = {
    "Canada": (("CAD", 0.93), ("USD", 0.07)),
    "France": (("USD", 0.98), ("FRF", 0.012), ("GBP", 0.008)),
    "Germany": (("USD", 0.987), ("DEM", 0.013)),
    "Australia": (("AUD", 0.973), ("USD", 0.027)),
    "United Kingdom": (("GBP", 0.97), ("USD", 0.03)),
}


def internet_profile() -> tuple[Array, Array, Array]:
    """Return the internet sales days, expected orders per day and bike share per day."""
    days = np.arange(parse_day(_INTERNET_PROFILE[0][0]), _INTERNET_LAST_DAY + 1)
    knots = parse_days(*(k[0] for k in _INTERNET_PROFILE)).astype(np.int64)
    at = days.astype(np.int64)
    rate = np.interp(at, knots, [k[1] for k in _INTERNET_PROFILE])
    bikes = np.interp(at, knots, [k[2] for k in _INTERNET_PROFILE])
    return days, rate, bikes


def _internet_orders(run: Run, rng: np.random.Generator, first_day: Array) -> tuple[Array, Array]:
    """Return (day, customer index) per internet order, chronologically.

    Each buying customer's first order falls on its first-purchase day; the other orders are
    repeat orders from customers who had bought before.
    """
    days, rate, _ = internet_profile()
    weights = rate / rate.sum()
    wanted = int(rng.poisson(rate.sum() * run.scale))
    first = first_day.astype("datetime64[D]")
    unknown = (first < days[0]) | (first > days[-1])
    first[unknown] = days[rng.choice(len(days), int(unknown.sum()), p=weights)]
    buyers = np.arange(len(first))
    if len(first) > wanted:
        buyers = np.sort(rng.choice(len(first), wanted, replace=False))
    repeat_day = days[rng.choice(len(days), max(wanted - len(buyers), 0), p=weights)]
    by_first = buyers[np.argsort(first[buyers], kind="stable")]
    earlier = np.searchsorted(first[by_first], repeat_day, side="left")
    repeat_day, earlier = repeat_day[earlier > 0], earlier[earlier > 0]
    repeater = by_first[np.floor(rng.random(len(repeat_day)) * earlier).astype(np.int64)]
    customer = np.concatenate([buyers, repeater])
    order_day = np.concatenate([first[buyers], repeat_day])
    chronological = np.lexsort((customer, order_day))
    return order_day[chronological], customer[chronological]


def internet_sales(run: Run) -> OrderLines:
    rng = run.rng(aw_tables.fact_internet_sales)
    catalogue = read_catalogue(run)
    customers = run.query(
        "SELECT c.CustomerKey AS key, g.SalesTerritoryKey AS territory,"
        " t.SalesTerritoryCountry AS country,"
        " coalesce(c.DateFirstPurchase - DATE '1970-01-01', 0) AS first_day"
        " FROM dbo.DimCustomer c"
        " JOIN dbo.DimGeography g ON g.GeographyKey = c.GeographyKey"
        " JOIN dbo.DimSalesTerritory t ON t.SalesTerritoryKey = g.SalesTerritoryKey"
        " ORDER BY c.CustomerKey"
    )
    order_day, customer = _internet_orders(run, rng, customers["first_day"])
    days, _, bike_share = internet_profile()
    n = len(order_day)
    period = np.searchsorted(PERIOD_STARTS, order_day, side="right") - 1
    has_bike = rng.random(n) < bike_share[(order_day - days[0]).astype(np.int64)]
    extras = np.where(has_bike, rng.poisson(1.8, n), 1 + rng.poisson(1.2, n))
    line_orders, line_products = [], []
    for p in range(len(PERIOD_STARTS)):
        in_period = period == p
        bikes = catalogue.on_sale(p, "Bikes")
        if bikes.size:
            wants = np.flatnonzero(in_period & has_bike)
            weights = price_tilt(catalogue.list_price[bikes] / MONEY, _INTERNET_BIKE_PRICE[p])
            line_orders.append(wants)
            line_products.append(bikes[rng.choice(len(bikes), len(wants), p=weights)])
        else:
            has_bike[in_period] = False
        others = catalogue.on_sale(p, *_INTERNET_EXTRAS)
        if others.size:
            # Bike orders stay single-line until the last price list.
            wants = np.flatnonzero(in_period & ((p == len(PERIOD_STARTS) - 1) | ~has_bike))
            count = np.minimum(extras[wants], _INTERNET_MAX_LINES - has_bike[wants])
            weights = mix_weights(catalogue, others, _INTERNET_EXTRAS, catalogue.list_price)
            rows, picked = pick_distinct(rng, weights, count)
            line_orders.append(wants[rows])
            line_products.append(others[picked])
    line_order, product, line_number = numbered_lines(line_orders, line_products)
    kept, line_order = np.unique(line_order, return_inverse=True)  # orders without lines go
    order_day, customer = order_day[kept], customer[kept]
    currency = currency_keys(run, rng, customers["country"][customer], _INTERNET_CURRENCIES)
    day = order_day[line_order]
    columns: Columns = {
        "ProductKey": catalogue.key[product],
        "CustomerKey": customers["key"][customer][line_order],
        "PromotionKey": np.full(len(day), no_discount_key(run)),
        "CurrencyKey": currency[line_order],
        "SalesTerritoryKey": customers["territory"][customer][line_order],
        "SalesOrderLineNumber": line_number,
        **line_columns(
            day,
            unit_price=catalogue.list_price[product],
            quantity=np.ones(len(day), dtype=np.int64),
            discount_pct=np.zeros(len(day)),
            unit_cost=catalogue.cost[product],
        ),
    }
    return OrderLines(order_day, line_order, columns)
