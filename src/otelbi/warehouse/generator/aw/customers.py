"""The two kinds of buyer: DimCustomer (internet shoppers) and DimReseller (bike shops).

Both scale with `scale` and take their GeographyKey from the cities in DimGeography. A
customer's DateFirstPurchase follows the internet order profile, because FactInternetSales
puts the customer's first order on that day.
"""

from __future__ import annotations

import numpy as np

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.columns import (
    Array,
    Columns,
    concat,
    money,
    pick,
    words,
)
from otelbi.warehouse.generator.aw.dates import parse_day
from otelbi.warehouse.generator.aw.internet_sales import internet_profile
from otelbi.warehouse.generator.aw.people import INITIALS, address_lines, person_names, phones
from otelbi.warehouse.generator.aw.places import geography_keys
from otelbi.warehouse.generator.aw.run import Run
from otelbi.warehouse.generator.insert import nullable


def _alternate_keys(keys: Array) -> Array:
    return concat("AW", np.char.zfill(keys.astype(str), 8))


# Customers per territory: most US customers live in the Northwest and the Southwest.
_CUSTOMER_SHARES = {
    1: 3341, 2: 8, 3: 8, 4: 4450, 5: 12, 6: 1571, 7: 1810, 8: 1780, 9: 3591, 10: 1913,
}  # fmt: skip
_EDUCATION = (  # English, Spanish, French
    ("Bachelors", "Licenciatura", "Licence"),
    ("Graduate Degree", "Estudios de posgrado", "Master"),
    ("High School", "Educación secundaria", "Baccalauréat"),
    ("Partial College", "Estudios universitarios (en curso)", "Études supérieures"),
    ("Partial High School", "Secundaria (en curso)", "Lycée"),
)
_OCCUPATIONS = (
    ("Clerical", "Administrativo", "Employé"),
    ("Management", "Gestión", "Direction"),
    ("Manual", "Obrero", "Ouvrier"),
    ("Professional", "Profesional", "Cadre"),
    ("Skilled Manual", "Obrero especializado", "Technicien"),
)
_COMMUTES = ("0-1 Miles", "1-2 Miles", "2-5 Miles", "5-10 Miles", "10+ Miles")


def customer_columns(run: Run) -> Columns:
    rng = run.rng(aw_tables.dim_customer)
    n = run.scaled(18_484)
    keys = 11_000 + np.arange(n)
    gender, first, last = person_names(rng, n)
    children = rng.integers(0, 6, n)
    education = np.array(_EDUCATION)[rng.choice(5, n, p=[0.29, 0.17, 0.18, 0.27, 0.09])]
    occupation = np.array(_OCCUPATIONS)[rng.choice(5, n, p=[0.15, 0.17, 0.12, 0.30, 0.26])]
    days, rate, _ = internet_profile()
    return {
        "CustomerKey": keys,
        "GeographyKey": geography_keys(rng, run, _CUSTOMER_SHARES, n, spread=6.0),
        "CustomerAlternateKey": _alternate_keys(keys),
        "Title": nullable(np.where(gender == "F", "Ms.", "Mr."), rng.random(n) < 0.005),
        "FirstName": first,
        "MiddleName": nullable(pick(rng, INITIALS, n), rng.random(n) < 0.57),
        "LastName": last,
        "NameStyle": np.zeros(n, dtype=bool),
        "BirthDate": parse_day("1916-01-01") + rng.integers(0, 70 * 365, n),
        "MaritalStatus": np.where(rng.random(n) < 0.54, "M", "S"),
        "Suffix": nullable(np.full(n, "Jr."), rng.random(n) < 0.001),
        "Gender": gender,
        "EmailAddress": concat(
            np.char.lower(first.astype(str)), rng.integers(0, 50, n), "@adventure-works.com"
        ),
        "YearlyIncome": money(rng.integers(1, 18, n) * 10_000),
        "TotalChildren": children,
        "NumberChildrenAtHome": np.floor(rng.random(n) * (children + 1)).astype(np.int64),
        "EnglishEducation": education[:, 0],
        "SpanishEducation": education[:, 1],
        "FrenchEducation": education[:, 2],
        "EnglishOccupation": occupation[:, 0],
        "SpanishOccupation": occupation[:, 1],
        "FrenchOccupation": occupation[:, 2],
        "HouseOwnerFlag": np.where(rng.random(n) < 0.68, "1", "0"),
        "NumberCarsOwned": rng.choice(5, n, p=[0.22, 0.27, 0.35, 0.09, 0.07]),
        "AddressLine1": address_lines(rng, n),
        "AddressLine2": nullable(concat("Unit ", rng.integers(1, 99, n)), rng.random(n) < 0.02),
        "Phone": phones(rng, n),
        # First purchases follow the internet order profile; FactInternetSales puts each
        # customer's first order on this day.
        "DateFirstPurchase": days[rng.choice(len(days), n, p=rate / rate.sum())],
        "CommuteDistance": pick(rng, _COMMUTES, n, p=[0.35, 0.17, 0.17, 0.17, 0.14]),
    }


_RESELLER_SHARES = {1: 92, 2: 56, 3: 63, 4: 131, 5: 85, 6: 114, 7: 40, 8: 40, 9: 40, 10: 40}
_RESELLER_NAME_PARTS = (
    words(
        "Action Alpine Big Cascade City Coastal Downhill Eastside Express First Grand Hilltop "
        "Metro Mountain National Northern Pacific Premier Riverside Summit Trail Urban Valley"
    ),
    words("Bicycle Bike Cycle Cycling Pedal Sport Wheel Spoke Gear Ride"),
    words("Shop Store Works Supply Outlet Warehouse Center Company Depot Distributors Traders"),
)
_BUSINESS_TYPES = ("Value Added Reseller", "Specialty Bike Shop", "Warehouse")
_BANKS = (
    "Cascade Savings", "Harbor Trust", "Meridian Bank", "Northgate Federal", "Pioneer Credit",
    "Summit National", "Union Commerce",
)  # fmt: skip


def reseller_columns(run: Run) -> Columns:
    rng = run.rng(aw_tables.dim_reseller)
    n = run.scaled(701)
    keys = np.arange(1, n + 1)
    kind = rng.choice(3, n, p=[0.4, 0.3, 0.3])
    annual_sales = np.array([800_000, 300_000, 3_000_000])[kind] * rng.choice([1, 1, 2], n)
    first_year = rng.integers(2011, 2014, n)
    payment = rng.integers(1, 4, n)
    paid = rng.random(n) > 0.15
    name = [pick(rng, part, n) for part in _RESELLER_NAME_PARTS]
    return {
        "ResellerKey": keys,
        "GeographyKey": geography_keys(rng, run, _RESELLER_SHARES, n, spread=1.0),
        "ResellerAlternateKey": _alternate_keys(keys),
        "Phone": phones(rng, n),
        "BusinessType": np.array(_BUSINESS_TYPES)[kind],
        "ResellerName": concat(name[0], " ", name[1], " ", name[2]),
        "NumberEmployees": np.array([10, 2, 40])[kind] + rng.integers(0, 60, n) // (3 - kind),
        "OrderFrequency": pick(rng, "ASQ", n, p=[0.25, 0.25, 0.5]),
        "OrderMonth": rng.integers(1, 13, n),
        "FirstOrderYear": first_year,
        "LastOrderYear": first_year + np.floor(rng.random(n) * (2014 - first_year)).astype(int),
        "ProductLine": pick(rng, ("Mountain", "Road", "Touring"), n, p=[0.45, 0.4, 0.15]),
        "AddressLine1": address_lines(rng, n),
        "AnnualSales": money(annual_sales),
        "BankName": pick(rng, _BANKS, n),
        "MinPaymentType": nullable(payment, paid),
        "MinPaymentAmount": nullable(money(np.where(kind == 2, 600, 300)), paid & (payment == 3)),
        "AnnualRevenue": money(annual_sales // 10),
        "YearOpened": rng.integers(1970, 2001, n),
    }
