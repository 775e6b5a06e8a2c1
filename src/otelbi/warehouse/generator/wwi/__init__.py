"""Deterministic WideWorldImportersDW sample data, shaped like the released database.

`generate_wwi` fills the tables declared in `wwi_tables` (they must already exist in the DuckDB
connection). With `only`, it fills just those tables and reads every other one from the
connection, so the five tables missing from the public extract (City, Sale, Order, Movement,
Transaction) can be generated to fit the real dimensions, purchases and stock holdings.

What is kept from the real warehouse (see the warehouse-schemas reference):

- Every dimension has key 0 "Unknown" with "N/A" texts; facts write 0 for "not applicable".
- SCD2 dimensions: stock items have 2-5 versions whose later ones all come from the last load
  (2016-05-31 23:00-23:12); facts store the *first* version of an item (found through the WWI
  business key), Stock Holding the *current* one; employees, cities, suppliers and payment
  methods are looked up at the moment of the fact.
- Sales run 2013-01-01..2016-05-31, mostly on weekdays, growing a little each year. An order has
  1-6 lines of Quantity Per Outer x 1..10 units; about 9% of order lines name the backorder that
  took over the lines that could not be picked. An order picked by the cut-off is invoiced that
  day, so Sale has one line per picked order line; orders not yet picked have no Picked Date and
  invoices not yet delivered no Delivery Date. About 28% of orders come from customers the
  dimension lacks (key 0).
- Money is kept in whole cents, so [Total Excluding Tax] = Quantity x [Unit Price],
  [Tax Amount] = excl x rate / 100 rounded half up, [Total Including Tax] = excl + tax and
  [Profit] = Quantity x ([Unit Price] - [Last Cost Price]) hold exactly. Tax is 15%, 10% for
  chiller items.
- Purchases: every item is bought once when first stocked, then a handful of fast sellers are
  re-bought in large lots from the two big suppliers; the two latest orders are still open.
- Movement: one negative issue per sale line, one positive receipt per finalized purchase line
  a few days after the order, and a few stocktake adjustments. An item whose stock plus open
  orders cannot cover twice its expected sales over its lead time is sold less, so issues stay
  plausible against the stock holding.
- Transaction: one row per customer invoice and per received purchase order, and negative
  payment rows grouped by payer and payment run; what is unpaid at the cut-off keeps its
  outstanding balance.

Row counts follow `scale` (1 gives about the real ones); catalogue-sized dimensions (227 stock
items, 402 customers, 19 employees, 13 suppliers, the 2013-2016 calendar) do not scale.
Names are synthesized here; nothing is read from the real extract.

How the package is cut (each module holds one concept; `build` runs them in order):

- `build`: `generate_wwi` and the order tables are filled or read in, one random stream
  per purpose, so a table does not depend on which others are filled in the same run.
- `columns`, `connection`: array types, Arrow columns in the warehouse's types, and the
  inserts into / reads from the DuckDB connection.
- `timeline`, `activity`: the bounds of the history, day arithmetic, trading-day shares and
  counts that follow `scale`.
- `scd2`: the Unknown member and SCD2 versions every dimension shares.
- `names`, `catalog`: synthesized town and person names, and the 227 stock items for sale.
- `small_dimensions`, `cities`, `customers`, `employees`, `stock_items`, `suppliers`: one
  module per dimension (Date, Transaction Type and Payment Method together).
- `purchases`, `stock_holdings`, `sales` (orders and invoices), `movements`,
  `transactions`: one module per fact.
"""

from otelbi.warehouse.generator.wwi.build import TABLES, generate_wwi

__all__ = ["TABLES", "generate_wwi"]
