"""DimDate and the day arithmetic the other tables share (datetime64[D], yyyymmdd keys)."""

from __future__ import annotations

import numpy as np

from otelbi.warehouse.generator.aw.columns import Array, Columns, words
from otelbi.warehouse.generator.aw.run import Run


def parse_day(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


def parse_days(*texts: str) -> Array:
    return np.array(texts, dtype="datetime64[D]")


def date_keys(days: Array) -> Array:
    """Return int yyyymmdd keys for datetime64[D] values."""
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    keys: Array = (year * 10_000 + month * 100 + day).astype(np.int32)
    return keys


def days_from_keys(keys: Array) -> Array:
    """Return datetime64[D] values for int yyyymmdd keys."""
    keys = np.asarray(keys, dtype=np.int64)
    months = (keys // 10_000 - 1970) * 12 + keys // 100 % 100 - 1
    days: Array = months.astype("datetime64[M]").astype("datetime64[D]") + (keys % 100 - 1)
    return days


def _weekday(days: Array) -> Array:
    """Return the DimDate day number of the week: 1 = Sunday ... 7 = Saturday."""
    weekday: Array = (days.astype(np.int64) + 4) % 7 + 1  # 1970-01-01 was a Thursday
    return weekday


_EN_DAYS = words("Sunday Monday Tuesday Wednesday Thursday Friday Saturday")
_ES_DAYS = words("Domingo Lunes Martes Miércoles Jueves Viernes Sábado")
_FR_DAYS = words("Dimanche Lundi Mardi Mercredi Jeudi Vendredi Samedi")
_EN_MONTHS = words(
    "January February March April May June July August September October November December"
)
_ES_MONTHS = words(
    "Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Octubre Noviembre Diciembre"
)
_FR_MONTHS = words(
    "Janvier Février Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre"
)


def date_columns(run: Run) -> Columns:
    days = np.arange(parse_day("2005-01-01"), parse_day("2015-01-01"))
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    jan_first = days.astype("datetime64[Y]").astype("datetime64[D]")
    day_of_year = (days - jan_first).astype(np.int64) + 1
    weekday = _weekday(days)
    second_half = month >= 7
    # The real table names fiscal years by their end year until 2010 and by their start year
    # from 2011, so FY2010 and FY2011 each come in two pieces.
    fiscal_year = np.where(
        year <= 2010, np.where(second_half, year + 1, year), np.where(second_half, year, year - 1)
    )
    fiscal_month = (month - 7) % 12
    return {
        "DateKey": date_keys(days),
        "FullDateAlternateKey": days,
        "DayNumberOfWeek": weekday,
        "EnglishDayNameOfWeek": np.array(_EN_DAYS)[weekday - 1],
        "SpanishDayNameOfWeek": np.array(_ES_DAYS)[weekday - 1],
        "FrenchDayNameOfWeek": np.array(_FR_DAYS)[weekday - 1],
        "DayNumberOfMonth": (days - days.astype("datetime64[M]")).astype(np.int64) + 1,
        "DayNumberOfYear": day_of_year,
        "WeekNumberOfYear": (day_of_year + _weekday(jan_first) - 2) // 7 + 1,
        "EnglishMonthName": np.array(_EN_MONTHS)[month - 1],
        "SpanishMonthName": np.array(_ES_MONTHS)[month - 1],
        "FrenchMonthName": np.array(_FR_MONTHS)[month - 1],
        "MonthNumberOfYear": month,
        "CalendarQuarter": (month - 1) // 3 + 1,
        "CalendarYear": year,
        "CalendarSemester": (month - 1) // 6 + 1,
        "FiscalQuarter": fiscal_month // 3 + 1,
        "FiscalYear": fiscal_year,
        "FiscalSemester": fiscal_month // 6 + 1,
    }
