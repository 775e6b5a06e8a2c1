"""The AdventureWorks data version: what the result cache keys every AW view by."""

from __future__ import annotations

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.warehouse.aw_tables import (
    dim_employee,
    dim_product,
    dim_product_category,
    dim_product_subcategory,
    fact_internet_sales,
    fact_reseller_sales,
    fact_sales_quota,
)
from otelbi.warehouse.catalog import declare
from otelbi.warehouse.fingerprint import fingerprint_query

DATA_VERSION = declare(
    "aw.data_version",
    Domain.AW,
    fingerprint_query(
        {
            fact_internet_sales: (
                sa.func.max(fact_internet_sales.c.OrderDateKey),
                sa.func.sum(fact_internet_sales.c.SalesAmount),
            ),
            fact_reseller_sales: (
                sa.func.max(fact_reseller_sales.c.OrderDateKey),
                sa.func.sum(fact_reseller_sales.c.SalesAmount),
            ),
            fact_sales_quota: (
                sa.func.max(fact_sales_quota.c.DateKey),
                sa.func.sum(fact_sales_quota.c.SalesAmountQuota),
            ),
            # Type-2 dimensions: a changed product or employee is a new row.
            dim_employee: (sa.func.max(dim_employee.c.EmployeeKey),),
            dim_product: (sa.func.max(dim_product.c.ProductKey),),
            dim_product_subcategory: (),
            dim_product_category: (),
        }
    ),
)
