"""DimCurrency (105 currencies, the seven in use at their real keys) and each order's currency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from otelbi.warehouse.generator.aw.columns import Array, Columns
from otelbi.warehouse.generator.aw.run import Run

# The sales facts use these seven currencies; their keys are the real ones.
_USED_CURRENCIES = {
    6: ("AUD", "Australian Dollar"),
    19: ("CAD", "Canadian Dollar"),
    29: ("DEM", "Deutsche Mark"),
    36: ("EUR", "Euro"),
    39: ("FRF", "French Franc"),
    98: ("GBP", "Pound Sterling"),
    100: ("USD", "US Dollar"),
}
_OTHER_CURRENCIES = (
    "AFN Afghani|DZD Algerian Dinar|ARS Argentine Peso|AMD Armenian Dram|AWG Aruban Florin|"
    "AZN Azerbaijan Manat|BSD Bahamian Dollar|BHD Bahraini Dinar|THB Baht|PAB Balboa|"
    "BBD Barbados Dollar|BYN Belarusian Ruble|BZD Belize Dollar|BMD Bermudian Dollar|"
    "BOB Boliviano|BRL Brazilian Real|BND Brunei Dollar|BGN Bulgarian Lev|"
    "CVE Cabo Verde Escudo|KYD Cayman Islands Dollar|CLP Chilean Peso|COP Colombian Peso|"
    "CRC Costa Rican Colon|CZK Czech Koruna|DKK Danish Krone|MKD Denar|DJF Djibouti Franc|"
    "DOP Dominican Peso|VND Dong|XCD East Caribbean Dollar|EGP Egyptian Pound|"
    "ETB Ethiopian Birr|FJD Fiji Dollar|HUF Forint|GHS Ghana Cedi|GIP Gibraltar Pound|"
    "HTG Gourde|PYG Guarani|GYD Guyana Dollar|HKD Hong Kong Dollar|UAH Hryvnia|"
    "ISK Iceland Krona|INR Indian Rupee|IRR Iranian Rial|IQD Iraqi Dinar|JMD Jamaican Dollar|"
    "JOD Jordanian Dinar|KES Kenyan Shilling|PGK Kina|HRK Kuna|KWD Kuwaiti Dinar|AOA Kwanza|"
    "MMK Kyat|LAK Lao Kip|GEL Lari|LBP Lebanese Pound|ALL Lek|HNL Lempira|SLL Leone|"
    "LRD Liberian Dollar|LYD Libyan Dinar|SZL Lilangeni|MGA Malagasy Ariary|"
    "MWK Malawi Kwacha|MYR Malaysian Ringgit|MUR Mauritius Rupee|MXN Mexican Peso|"
    "MDL Moldovan Leu|MAD Moroccan Dirham|NGN Naira|ERN Nakfa|NAD Namibia Dollar|"
    "NPR Nepalese Rupee|ILS New Israeli Sheqel|TWD New Taiwan Dollar|NZD New Zealand Dollar|"
    "BTN Ngultrum|KPW North Korean Won|NOK Norwegian Krone|MRU Ouguiya|TOP Pa'anga|"
    "PKR Pakistan Rupee|MOP Pataca|UYU Peso Uruguayo|PHP Philippine Peso|BWP Pula|"
    "QAR Qatari Rial|GTQ Quetzal|ZAR Rand|OMR Rial Omani|KHR Riel|RON Romanian Leu|"
    "MVR Rufiyaa|IDR Rupiah|RUB Russian Ruble|RWF Rwanda Franc|SAR Saudi Riyal|"
    "RSD Serbian Dinar|SCR Seychelles Rupee|SGD Singapore Dollar|SBD Solomon Islands Dollar|"
    "KGS Som|SOS Somali Shilling|PLN Zloty"
)
_CURRENCY_ROWS = 105


def currency_columns(run: Run) -> Columns:
    others = iter(item.split(" ", 1) for item in _OTHER_CURRENCIES.split("|"))
    rows = [
        _USED_CURRENCIES.get(key) or tuple(next(others)) for key in range(1, _CURRENCY_ROWS + 1)
    ]
    return {
        "CurrencyKey": np.arange(1, len(rows) + 1),
        "CurrencyAlternateKey": [code for code, _ in rows],
        "CurrencyName": [name for _, name in rows],
    }


def currency_keys(
    run: Run,
    rng: np.random.Generator,
    countries: Array,
    mix: Mapping[str, Sequence[tuple[str, float]]],
) -> Array:
    """Return a CurrencyKey per order: drawn from the country's mix, else US dollars."""
    rows = run.query(
        "SELECT trim(CurrencyAlternateKey) AS code, CurrencyKey AS key FROM dbo.DimCurrency"
    )
    by_code = dict(zip(rows["code"].tolist(), rows["key"].tolist(), strict=True))
    if not by_code:
        raise ValueError("DimCurrency is empty; fill it before the sales facts")
    dollar = by_code.get("USD", min(by_code.values()))
    keys = np.full(len(countries), dollar, dtype=np.int64)
    draw = rng.random(len(countries))
    for country, choices in mix.items():
        here = countries == country
        options = np.array([by_code.get(code, dollar) for code, _ in choices])
        edges = np.cumsum([share for _, share in choices])
        chosen = np.minimum(np.searchsorted(edges, draw[here], side="right"), len(options) - 1)
        keys[here] = options[chosen]
    return keys
