"""DimEmployee: the sales organisation, the executives and the other departments.

The 17 sales people (three managers, fourteen representatives) and the executives sit at
their real keys; the rest of the 296 rows are departments with one head each. A few people
have a historic SCD2 row just before their current one. `read_sales_reps` reads the sales
people back for the reseller sales and the quotas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.columns import Array, Columns, concat, money, pick
from otelbi.warehouse.generator.aw.dates import parse_day
from otelbi.warehouse.generator.aw.people import FIRST_NAMES_FEMALE, INITIALS, person_names, phones
from otelbi.warehouse.generator.aw.run import Run
from otelbi.warehouse.generator.insert import nullable


@dataclass(frozen=True)
class _Rep:
    key: int
    parent: int
    title: str
    territory: int  # DimEmployee.SalesTerritoryKey, often not where the rep sells
    hired: str
    sells_in: tuple[int, ...]


_REPRESENTATIVE = "Sales Representative"
_VICE_PRESIDENT = 277  # heads sales but has SalesPersonFlag 0
_CHIEF_EXECUTIVE = 112
_CHIEF_FINANCIAL = 143  # rows 143 and 144 are two versions of one person, as in the real table
_NORTH_AMERICA = (1, 2, 3, 4, 5, 6)
SALES_ORG = (
    _Rep(272, _VICE_PRESIDENT, "North American Sales Manager", 11, "2010-08-04", _NORTH_AMERICA),
    _Rep(281, 272, _REPRESENTATIVE, 2, "2010-12-29", (2, 3, 4, 5)),
    _Rep(282, 272, _REPRESENTATIVE, 4, "2010-12-29", (1, 3, 4)),
    _Rep(283, 272, _REPRESENTATIVE, 3, "2010-12-29", (2, 3, 4, 5)),
    _Rep(284, 272, _REPRESENTATIVE, 6, "2010-12-29", (6,)),
    _Rep(285, 272, _REPRESENTATIVE, 5, "2010-12-29", (5,)),
    _Rep(286, 272, _REPRESENTATIVE, 1, "2010-12-29", (1,)),
    _Rep(287, 272, _REPRESENTATIVE, 4, "2010-12-29", (1, 3, 4)),
    _Rep(288, 272, _REPRESENTATIVE, 6, "2010-12-29", (6, 10)),
    _Rep(289, 272, _REPRESENTATIVE, 1, "2010-12-29", (1,)),
    _Rep(290, _VICE_PRESIDENT, "European Sales Manager", 11, "2011-11-15", (7, 8, 10)),
    _Rep(291, 290, _REPRESENTATIVE, 10, "2011-12-29", (6,)),
    _Rep(292, 290, _REPRESENTATIVE, 7, "2011-12-29", (7,)),
    _Rep(293, 272, _REPRESENTATIVE, 1, "2012-04-30", (1,)),
    _Rep(294, _VICE_PRESIDENT, "Pacific Sales Manager", 11, "2012-10-12", (9,)),
    _Rep(295, 290, _REPRESENTATIVE, 8, "2012-12-28", (8,)),
    _Rep(296, 294, _REPRESENTATIVE, 9, "2012-12-28", (9,)),
)  # fmt: skip
_EXECUTIVES = {  # key: title, parent, hire date, base rate
    _VICE_PRESIDENT: ("Vice President of Sales", _CHIEF_EXECUTIVE, "2010-09-15", 72.1154),
    _CHIEF_EXECUTIVE: ("Chief Executive Officer", 0, "2008-08-14", 125.5),
    _CHIEF_FINANCIAL: ("Chief Financial Officer", _CHIEF_EXECUTIVE, "2008-08-31", 60.0962),
}
_DEPARTMENTS = (  # name, people outside sales and the executives, base-rate range
    ("Production", 174, 9.5, 40.0),
    ("Purchasing", 14, 12.75, 30.0),
    ("Marketing", 10, 13.5, 37.5),
    ("Information Services", 10, 27.4, 50.5),
    ("Finance", 10, 13.5, 43.3),
    ("Production Control", 7, 16.0, 24.5),
    ("Facilities and Maintenance", 7, 9.25, 24.0),
    ("Engineering", 6, 32.7, 63.5),
    ("Human Resources", 6, 13.9, 27.1),
    ("Shipping and Receiving", 6, 9.0, 19.2),
    ("Quality Assurance", 6, 10.6, 28.8),
    ("Document Control", 5, 10.25, 17.8),
    ("Tool Design", 5, 25.0, 29.8),
    ("Research and Development", 4, 40.9, 50.5),
)
_EMPLOYEES = 296
_REVISED = 5  # people, besides the CFO, whose row k is a historic version of row k + 1


@dataclass
class _Staff:
    """DimEmployee attributes decided by the org chart, indexed by EmployeeKey - 1."""

    department: Array
    title: Array
    parent: Array
    rate: Array
    hired: Array


def _org_chart(rng: np.random.Generator, heads: Array, members: Array) -> _Staff:
    """Return the org chart: sales and executives fixed, one department per head."""
    n = _EMPLOYEES
    staff = _Staff(
        department=np.empty(n, dtype=object),
        title=np.empty(n, dtype=object),
        parent=np.zeros(n, dtype=np.int64),
        rate=np.zeros(n),
        hired=parse_day("2006-01-28") + rng.integers(0, 4 * 365, n),
    )
    start = 0
    for head_key, (name, size, low, high) in zip(heads, _DEPARTMENTS, strict=True):
        head, team = head_key - 1, members[start : start + size - 1] - 1
        start += size - 1
        staff.department[head], staff.department[team] = name, name
        staff.title[head], staff.parent[head] = f"{name} Manager", _CHIEF_EXECUTIVE
        staff.title[team], staff.parent[team] = _job_titles(rng, name, len(team)), head_key
        staff.rate[team] = np.round(rng.uniform(low, high, len(team)), 4)
        staff.rate[head] = round(high * 1.3, 4)
    for rep in SALES_ORG:
        i = rep.key - 1
        staff.department[i], staff.title[i], staff.parent[i] = "Sales", rep.title, rep.parent
        staff.rate[i] = 23.0769 if rep.title == _REPRESENTATIVE else 48.101
        staff.hired[i] = parse_day(rep.hired)
    for key, (title, parent, hired, rate) in _EXECUTIVES.items():
        i = key - 1
        staff.department[i] = "Sales" if key == _VICE_PRESIDENT else "Executive"
        staff.title[i], staff.parent[i], staff.rate[i] = title, parent, rate
        staff.hired[i] = parse_day(hired)
    return staff


def _job_titles(rng: np.random.Generator, department: str, n: int) -> Array:
    if department == "Production":
        role = np.where(rng.random(n) < 0.9, "Production Technician", "Production Supervisor")
        return concat(role, " - WC", rng.choice([10, 20, 30, 40, 45, 50, 60], n))
    roles = (f"{department} Specialist", f"{department} Assistant", f"{department} Analyst")
    return pick(rng, roles, n)


def employee_columns(run: Run) -> Columns:
    rng = run.rng(aw_tables.dim_employee)
    n = _EMPLOYEES
    keys = np.arange(1, n + 1)
    fixed = {rep.key for rep in SALES_ORG} | set(_EXECUTIVES) | {_CHIEF_FINANCIAL + 1}
    free = np.array([k for k in keys.tolist() if k not in fixed])
    adjacent = free[:-1][np.diff(free) == 1]
    revised = np.sort(rng.choice(adjacent[::2], _REVISED, replace=False))
    historic = np.append(revised, _CHIEF_FINANCIAL)
    current = historic + 1  # the current row of the person in each historic row
    people = rng.permutation(np.setdiff1d(free, np.concatenate([revised, revised + 1])))
    heads = people[: len(_DEPARTMENTS)]  # no department is headed by a historic row
    staff = _org_chart(rng, heads, rng.permutation(np.append(people[len(heads) :], revised)))
    gender, first, last = person_names(rng, n)
    national_id = (rng.choice(900_000_000, n, replace=False) + 100_000_000).astype(str)
    login = concat(np.char.lower(first.astype(str)), rng.integers(0, 3, n))
    phone = phones(rng, n)
    born = staff.hired - rng.integers(20 * 365, 55 * 365, n)
    for field in (staff.department, staff.title, staff.parent, staff.rate, staff.hired):
        field[current - 1] = field[historic - 1]
    for field in (gender, first, last, national_id, login, phone, born):
        field[current - 1] = field[historic - 1]
    started = staff.hired.copy()
    started[current - 1] = staff.hired[historic - 1] + rng.integers(300, 1200, len(current))
    ended = started.copy()
    ended[historic - 1] = started[current - 1]
    is_historic = np.isin(keys, historic)
    territory = np.full(n, 11)
    for rep in SALES_ORG:
        territory[rep.key - 1] = rep.territory
    return {
        "EmployeeKey": keys,
        "ParentEmployeeKey": nullable(staff.parent, staff.parent > 0),
        "EmployeeNationalIDAlternateKey": national_id,
        "SalesTerritoryKey": territory,
        "FirstName": first,
        "LastName": last,
        "MiddleName": nullable(pick(rng, INITIALS, n), rng.random(n) < 0.6),
        "NameStyle": np.zeros(n, dtype=bool),
        "Title": staff.title,
        "HireDate": staff.hired,
        "BirthDate": born,
        "LoginID": concat("adventure-works\\", login),
        "EmailAddress": concat(login, "@adventure-works.com"),
        "Phone": phone,
        "MaritalStatus": np.where(rng.random(n) < 0.5, "M", "S"),
        "EmergencyContactName": concat(pick(rng, FIRST_NAMES_FEMALE, n), " ", last),
        "EmergencyContactPhone": phones(rng, n),
        "SalariedFlag": (staff.rate > 25) | (staff.department == "Sales"),
        "Gender": gender,
        "PayFrequency": np.where(staff.rate > 25, 2, 1),
        "BaseRate": money(staff.rate),
        "VacationHours": rng.integers(0, 100, n),
        "SickLeaveHours": rng.integers(20, 81, n),
        "CurrentFlag": np.ones(n, dtype=bool),  # 1 on every real row too: Status tells
        "SalesPersonFlag": np.isin(keys, [rep.key for rep in SALES_ORG]),
        "DepartmentName": staff.department,
        "StartDate": started,
        "EndDate": nullable(ended, is_historic),
        "Status": nullable(np.full(n, "Current"), ~is_historic),
    }


def read_sales_reps(run: Run) -> dict[str, Array]:
    """Return the sales people in DimEmployee: key, territory, hire day, whether a manager."""
    reps = run.query(
        "SELECT EmployeeKey AS key, coalesce(max(SalesTerritoryKey), 0) AS territory,"
        " coalesce(min(HireDate), DATE '2010-12-29') - DATE '1970-01-01' AS hired,"
        " coalesce(max(Title), '') AS title"
        " FROM dbo.DimEmployee WHERE SalesPersonFlag GROUP BY EmployeeKey ORDER BY EmployeeKey"
    )
    reps["hired"] = reps["hired"].astype("datetime64[D]")
    reps["manager"] = np.char.find(reps["title"].astype(str), "Manager") >= 0
    return reps
