"""AdventureWorksDW2022 tables the app reads, declared with their real names, order and types.

One declaration serves SQL Server and the embedded DuckDB copy (see `column_types`). Primary
keys are declared; foreign keys are not, because cross-schema foreign keys break duckdb-engine;
the data-quality checks hold the key relationships instead.

SQL Server `float` is declared as `Float(53)`: it renders `FLOAT(53)` for SQL Server (its
default float) and DOUBLE in DuckDB, where a bare FLOAT would be a 4-byte REAL.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from otelbi.warehouse.column_types import Money, NChar, TinyInt, VarBinaryMax

metadata = sa.MetaData(schema="dbo")


def _key(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), primary_key=True, autoincrement=False, nullable=False)


def _float() -> sa.Float[float]:
    return sa.Float(precision=53)


def _sales_amount_columns(*, nullable: bool) -> list[sa.Column[Any]]:
    """Return the measure columns FactInternetSales and FactResellerSales share, in order."""
    columns: list[tuple[str, sa.types.TypeEngine[Any]]] = [
        ("RevisionNumber", TinyInt()),
        ("OrderQuantity", sa.SmallInteger()),
        ("UnitPrice", Money()),
        ("ExtendedAmount", Money()),
        ("UnitPriceDiscountPct", _float()),
        ("DiscountAmount", _float()),
        ("ProductStandardCost", Money()),
        ("TotalProductCost", Money()),
        ("SalesAmount", Money()),
        ("TaxAmt", Money()),
        ("Freight", Money()),
    ]
    return [sa.Column(name, type_, nullable=nullable) for name, type_ in columns] + [
        sa.Column("CarrierTrackingNumber", sa.Unicode(25)),
        sa.Column("CustomerPONumber", sa.Unicode(25)),
        sa.Column("OrderDate", sa.DateTime()),
        sa.Column("DueDate", sa.DateTime()),
        sa.Column("ShipDate", sa.DateTime()),
    ]


def _order_line_key() -> list[sa.Column[Any]]:
    return [
        sa.Column("SalesOrderNumber", sa.Unicode(20), primary_key=True, nullable=False),
        sa.Column(
            "SalesOrderLineNumber",
            TinyInt(),
            primary_key=True,
            autoincrement=False,
            nullable=False,
        ),
    ]


def _int_not_null(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


fact_internet_sales = sa.Table(
    "FactInternetSales",
    metadata,
    *_int_not_null(
        "ProductKey",
        "OrderDateKey",
        "DueDateKey",
        "ShipDateKey",
        "CustomerKey",
        "PromotionKey",
        "CurrencyKey",
        "SalesTerritoryKey",
    ),
    *_order_line_key(),
    *_sales_amount_columns(nullable=False),
)

fact_reseller_sales = sa.Table(
    "FactResellerSales",
    metadata,
    *_int_not_null(
        "ProductKey",
        "OrderDateKey",
        "DueDateKey",
        "ShipDateKey",
        "ResellerKey",
        "EmployeeKey",
        "PromotionKey",
        "CurrencyKey",
        "SalesTerritoryKey",
    ),
    *_order_line_key(),
    *_sales_amount_columns(nullable=True),
)

fact_sales_quota = sa.Table(
    "FactSalesQuota",
    metadata,
    _key("SalesQuotaKey"),
    sa.Column("EmployeeKey", sa.Integer(), nullable=False),
    sa.Column("DateKey", sa.Integer(), nullable=False),
    sa.Column("CalendarYear", sa.SmallInteger(), nullable=False),
    sa.Column("CalendarQuarter", TinyInt(), nullable=False),
    sa.Column("SalesAmountQuota", Money(), nullable=False),
    sa.Column("Date", sa.DateTime()),
)

dim_date = sa.Table(
    "DimDate",
    metadata,
    _key("DateKey"),
    sa.Column("FullDateAlternateKey", sa.Date(), nullable=False),
    sa.Column("DayNumberOfWeek", TinyInt(), nullable=False),
    sa.Column("EnglishDayNameOfWeek", sa.Unicode(10), nullable=False),
    sa.Column("SpanishDayNameOfWeek", sa.Unicode(10), nullable=False),
    sa.Column("FrenchDayNameOfWeek", sa.Unicode(10), nullable=False),
    sa.Column("DayNumberOfMonth", TinyInt(), nullable=False),
    sa.Column("DayNumberOfYear", sa.SmallInteger(), nullable=False),
    sa.Column("WeekNumberOfYear", TinyInt(), nullable=False),
    sa.Column("EnglishMonthName", sa.Unicode(10), nullable=False),
    sa.Column("SpanishMonthName", sa.Unicode(10), nullable=False),
    sa.Column("FrenchMonthName", sa.Unicode(10), nullable=False),
    sa.Column("MonthNumberOfYear", TinyInt(), nullable=False),
    sa.Column("CalendarQuarter", TinyInt(), nullable=False),
    sa.Column("CalendarYear", sa.SmallInteger(), nullable=False),
    sa.Column("CalendarSemester", TinyInt(), nullable=False),
    sa.Column("FiscalQuarter", TinyInt(), nullable=False),
    sa.Column("FiscalYear", sa.SmallInteger(), nullable=False),
    sa.Column("FiscalSemester", TinyInt(), nullable=False),
)

dim_product = sa.Table(
    "DimProduct",
    metadata,
    _key("ProductKey"),
    sa.Column("ProductAlternateKey", sa.Unicode(25)),
    sa.Column("ProductSubcategoryKey", sa.Integer()),
    sa.Column("WeightUnitMeasureCode", NChar(3)),
    sa.Column("SizeUnitMeasureCode", NChar(3)),
    sa.Column("EnglishProductName", sa.Unicode(50), nullable=False),
    sa.Column("SpanishProductName", sa.Unicode(50), nullable=False),
    sa.Column("FrenchProductName", sa.Unicode(50), nullable=False),
    sa.Column("StandardCost", Money()),
    sa.Column("FinishedGoodsFlag", sa.Boolean(), nullable=False),
    sa.Column("Color", sa.Unicode(15), nullable=False),
    sa.Column("SafetyStockLevel", sa.SmallInteger()),
    sa.Column("ReorderPoint", sa.SmallInteger()),
    sa.Column("ListPrice", Money()),
    sa.Column("Size", sa.Unicode(50)),
    sa.Column("SizeRange", sa.Unicode(50)),
    sa.Column("Weight", _float()),
    sa.Column("DaysToManufacture", sa.Integer()),
    sa.Column("ProductLine", NChar(2)),
    sa.Column("DealerPrice", Money()),
    sa.Column("Class", NChar(2)),
    sa.Column("Style", NChar(2)),
    sa.Column("ModelName", sa.Unicode(50)),
    sa.Column("LargePhoto", VarBinaryMax()),
    sa.Column("EnglishDescription", sa.Unicode(400)),
    sa.Column("FrenchDescription", sa.Unicode(400)),
    sa.Column("ChineseDescription", sa.Unicode(400)),
    sa.Column("ArabicDescription", sa.Unicode(400)),
    sa.Column("HebrewDescription", sa.Unicode(400)),
    sa.Column("ThaiDescription", sa.Unicode(400)),
    sa.Column("GermanDescription", sa.Unicode(400)),
    sa.Column("JapaneseDescription", sa.Unicode(400)),
    sa.Column("TurkishDescription", sa.Unicode(400)),
    sa.Column("StartDate", sa.DateTime()),
    sa.Column("EndDate", sa.DateTime()),
    sa.Column("Status", sa.Unicode(7)),
)

dim_product_subcategory = sa.Table(
    "DimProductSubcategory",
    metadata,
    _key("ProductSubcategoryKey"),
    sa.Column("ProductSubcategoryAlternateKey", sa.Integer()),
    sa.Column("EnglishProductSubcategoryName", sa.Unicode(50), nullable=False),
    sa.Column("SpanishProductSubcategoryName", sa.Unicode(50), nullable=False),
    sa.Column("FrenchProductSubcategoryName", sa.Unicode(50), nullable=False),
    sa.Column("ProductCategoryKey", sa.Integer()),
)

dim_product_category = sa.Table(
    "DimProductCategory",
    metadata,
    _key("ProductCategoryKey"),
    sa.Column("ProductCategoryAlternateKey", sa.Integer()),
    sa.Column("EnglishProductCategoryName", sa.Unicode(50), nullable=False),
    sa.Column("SpanishProductCategoryName", sa.Unicode(50), nullable=False),
    sa.Column("FrenchProductCategoryName", sa.Unicode(50), nullable=False),
)

dim_employee = sa.Table(
    "DimEmployee",
    metadata,
    _key("EmployeeKey"),
    sa.Column("ParentEmployeeKey", sa.Integer()),
    sa.Column("EmployeeNationalIDAlternateKey", sa.Unicode(15)),
    sa.Column("ParentEmployeeNationalIDAlternateKey", sa.Unicode(15)),
    sa.Column("SalesTerritoryKey", sa.Integer()),
    sa.Column("FirstName", sa.Unicode(50), nullable=False),
    sa.Column("LastName", sa.Unicode(50), nullable=False),
    sa.Column("MiddleName", sa.Unicode(50)),
    sa.Column("NameStyle", sa.Boolean(), nullable=False),
    sa.Column("Title", sa.Unicode(50)),
    sa.Column("HireDate", sa.Date()),
    sa.Column("BirthDate", sa.Date()),
    sa.Column("LoginID", sa.Unicode(256)),
    sa.Column("EmailAddress", sa.Unicode(50)),
    sa.Column("Phone", sa.Unicode(25)),
    sa.Column("MaritalStatus", NChar(1)),
    sa.Column("EmergencyContactName", sa.Unicode(50)),
    sa.Column("EmergencyContactPhone", sa.Unicode(25)),
    sa.Column("SalariedFlag", sa.Boolean()),
    sa.Column("Gender", NChar(1)),
    sa.Column("PayFrequency", TinyInt()),
    sa.Column("BaseRate", Money()),
    sa.Column("VacationHours", sa.SmallInteger()),
    sa.Column("SickLeaveHours", sa.SmallInteger()),
    sa.Column("CurrentFlag", sa.Boolean(), nullable=False),
    sa.Column("SalesPersonFlag", sa.Boolean(), nullable=False),
    sa.Column("DepartmentName", sa.Unicode(50)),
    sa.Column("StartDate", sa.Date()),
    sa.Column("EndDate", sa.Date()),
    sa.Column("Status", sa.Unicode(50)),
    sa.Column("EmployeePhoto", VarBinaryMax()),
)

dim_sales_territory = sa.Table(
    "DimSalesTerritory",
    metadata,
    _key("SalesTerritoryKey"),
    sa.Column("SalesTerritoryAlternateKey", sa.Integer()),
    sa.Column("SalesTerritoryRegion", sa.Unicode(50), nullable=False),
    sa.Column("SalesTerritoryCountry", sa.Unicode(50), nullable=False),
    sa.Column("SalesTerritoryGroup", sa.Unicode(50)),
    sa.Column("SalesTerritoryImage", VarBinaryMax()),
)

dim_customer = sa.Table(
    "DimCustomer",
    metadata,
    _key("CustomerKey"),
    sa.Column("GeographyKey", sa.Integer()),
    sa.Column("CustomerAlternateKey", sa.Unicode(15), nullable=False),
    sa.Column("Title", sa.Unicode(8)),
    sa.Column("FirstName", sa.Unicode(50)),
    sa.Column("MiddleName", sa.Unicode(50)),
    sa.Column("LastName", sa.Unicode(50)),
    sa.Column("NameStyle", sa.Boolean()),
    sa.Column("BirthDate", sa.Date()),
    sa.Column("MaritalStatus", NChar(1)),
    sa.Column("Suffix", sa.Unicode(10)),
    sa.Column("Gender", sa.Unicode(1)),
    sa.Column("EmailAddress", sa.Unicode(50)),
    sa.Column("YearlyIncome", Money()),
    sa.Column("TotalChildren", TinyInt()),
    sa.Column("NumberChildrenAtHome", TinyInt()),
    sa.Column("EnglishEducation", sa.Unicode(40)),
    sa.Column("SpanishEducation", sa.Unicode(40)),
    sa.Column("FrenchEducation", sa.Unicode(40)),
    sa.Column("EnglishOccupation", sa.Unicode(100)),
    sa.Column("SpanishOccupation", sa.Unicode(100)),
    sa.Column("FrenchOccupation", sa.Unicode(100)),
    sa.Column("HouseOwnerFlag", NChar(1)),
    sa.Column("NumberCarsOwned", TinyInt()),
    sa.Column("AddressLine1", sa.Unicode(120)),
    sa.Column("AddressLine2", sa.Unicode(120)),
    sa.Column("Phone", sa.Unicode(20)),
    sa.Column("DateFirstPurchase", sa.Date()),
    sa.Column("CommuteDistance", sa.Unicode(15)),
)

dim_geography = sa.Table(
    "DimGeography",
    metadata,
    _key("GeographyKey"),
    sa.Column("City", sa.Unicode(30)),
    sa.Column("StateProvinceCode", sa.Unicode(3)),
    sa.Column("StateProvinceName", sa.Unicode(50)),
    sa.Column("CountryRegionCode", sa.Unicode(3)),
    sa.Column("EnglishCountryRegionName", sa.Unicode(50)),
    sa.Column("SpanishCountryRegionName", sa.Unicode(50)),
    sa.Column("FrenchCountryRegionName", sa.Unicode(50)),
    sa.Column("PostalCode", sa.Unicode(15)),
    sa.Column("SalesTerritoryKey", sa.Integer()),
    sa.Column("IpAddressLocator", sa.Unicode(15)),
)

dim_reseller = sa.Table(
    "DimReseller",
    metadata,
    _key("ResellerKey"),
    sa.Column("GeographyKey", sa.Integer()),
    sa.Column("ResellerAlternateKey", sa.Unicode(15)),
    sa.Column("Phone", sa.Unicode(25)),
    sa.Column("BusinessType", sa.String(20), nullable=False),
    sa.Column("ResellerName", sa.Unicode(50), nullable=False),
    sa.Column("NumberEmployees", sa.Integer()),
    sa.Column("OrderFrequency", sa.String(1)),
    sa.Column("OrderMonth", TinyInt()),
    sa.Column("FirstOrderYear", sa.Integer()),
    sa.Column("LastOrderYear", sa.Integer()),
    sa.Column("ProductLine", sa.Unicode(50)),
    sa.Column("AddressLine1", sa.Unicode(60)),
    sa.Column("AddressLine2", sa.Unicode(60)),
    sa.Column("AnnualSales", Money()),
    sa.Column("BankName", sa.Unicode(50)),
    sa.Column("MinPaymentType", TinyInt()),
    sa.Column("MinPaymentAmount", Money()),
    sa.Column("AnnualRevenue", Money()),
    sa.Column("YearOpened", sa.Integer()),
)

dim_currency = sa.Table(
    "DimCurrency",
    metadata,
    _key("CurrencyKey"),
    sa.Column("CurrencyAlternateKey", NChar(3), nullable=False),
    sa.Column("CurrencyName", sa.Unicode(50), nullable=False),
)

dim_promotion = sa.Table(
    "DimPromotion",
    metadata,
    _key("PromotionKey"),
    sa.Column("PromotionAlternateKey", sa.Integer()),
    sa.Column("EnglishPromotionName", sa.Unicode(255)),
    sa.Column("SpanishPromotionName", sa.Unicode(255)),
    sa.Column("FrenchPromotionName", sa.Unicode(255)),
    sa.Column("DiscountPct", _float()),
    sa.Column("EnglishPromotionType", sa.Unicode(50)),
    sa.Column("SpanishPromotionType", sa.Unicode(50)),
    sa.Column("FrenchPromotionType", sa.Unicode(50)),
    sa.Column("EnglishPromotionCategory", sa.Unicode(50)),
    sa.Column("SpanishPromotionCategory", sa.Unicode(50)),
    sa.Column("FrenchPromotionCategory", sa.Unicode(50)),
    sa.Column("StartDate", sa.DateTime(), nullable=False),
    sa.Column("EndDate", sa.DateTime()),
    sa.Column("MinQty", sa.Integer()),
    sa.Column("MaxQty", sa.Integer()),
)
