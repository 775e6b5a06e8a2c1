"""Deterministic AdventureWorksDW2022 sample data with the real data's shape and quirks.

`generate_aw` fills tables that already exist in a DuckDB database. Dimensions keep their real
sizes; `scale` multiplies the facts, the customers and the resellers. A table outside `only`
is taken as loaded already (for example imported from real files): every key a generated row
needs is read back from the database, so generated rows never point at a missing row.

The shape follows the warehouse-schemas reference, sections 1 and 3:

- DimDate covers 2005-2014 with int yyyymmdd keys, Sunday = 1 and the fiscal-year quirk.
- DimProduct is SCD2: three yearly price lists (2011-07-01, 2012-07-01, 2013-07-01), each
  sold from late December of the year before; historic rows end before they start.
- Internet sales run daily from 2010-12-29 to 2014-01-28: single-line bike orders until the
  2013 price list adds accessories and clothing; bikes stop after 2013-12-28. Each customer's
  first order falls on DimCustomer.DateFirstPurchase.
- Reseller sales come in monthly batches on 40 dates, at the dealer price (0.6 x list), with
  volume and deal discounts and a margin near zero; 17 reps sell them and FactSalesQuota sets
  each rep's quota from what the rep sold.

Each table draws from its own random stream, seeded by (seed, table name): the same seed and
scale give identical contents, and filling one table never shifts another table's numbers.
Money is carried in integer ten-thousandths until it reaches DuckDB, so the fact identities
(ExtendedAmount = UnitPrice x OrderQuantity, TaxAmt = 8% of SalesAmount, ...) hold exactly.
Names, addresses and products are synthesized; nothing is copied from the real data.

The modules, in the order the tables are filled:

- `build`: `generate_aw`, the fill order, and the order numbers shared by both sales facts.
- `run`, `columns`: per-table random streams, read-backs and the Arrow insert; column values.
- `dates`: DimDate and day arithmetic.
- `places`: DimSalesTerritory, DimGeography, and the GeographyKey a buyer gets.
- `currencies`, `promotions`: DimCurrency and DimPromotion, and how an order picks from them.
- `product_categories`, `products`: the product hierarchy and the SCD2 DimProduct.
- `people`, `customers`: synthesized contact details; DimCustomer and DimReseller.
- `employees`: DimEmployee and the sales organisation.
- `catalogue`, `order_lines`: what the sales facts read back, and how they build their lines.
- `internet_sales`, `reseller_sales`, `quotas`: the three facts.
"""

from otelbi.warehouse.generator.aw.build import generate_aw

__all__ = ["generate_aw"]
