"""Fact.Transaction: customer and supplier invoices, and the payments that settle them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.columns import (
    I64,
    LINEAGE,
    Columns,
    Moments,
    dates,
    flags,
    int32,
    int64,
    texts,
)
from otelbi.warehouse.generator.wwi.purchases import Purchases
from otelbi.warehouse.generator.wwi.sales import SaleLines
from otelbi.warehouse.generator.wwi.small_dimensions import Kinds
from otelbi.warehouse.generator.wwi.stock_holdings import Holdings
from otelbi.warehouse.generator.wwi.stock_items import STANDARD_TAX
from otelbi.warehouse.generator.wwi.suppliers import Suppliers
from otelbi.warehouse.generator.wwi.timeline import CUTOFF_DAY, later, next_weekday, noon, open_day

# Fact.Transaction rows of one kind, as named arrays; a part leaves out what does not apply
Ledger: TypeAlias = dict[str, npt.NDArray[Any]]
_LEDGER_KINDS = (
    "Customer Invoice", "Customer Payment Received", "Supplier Invoice", "Supplier Payment Issued"
)  # fmt: skip
_LEDGER_FIELDS = (
    "customer", "bill_to", "supplier", "method", "invoice", "purchase_order", "number",
    "excl", "tax", "incl", "outstanding",
)  # fmt: skip


def _sum_by(group: I64, values: I64, size: int) -> I64:
    weights = values.astype(np.float64)
    return np.rint(np.bincount(group, weights=weights, minlength=size)).astype(np.int64)


def _payments(payer: I64, due: Moments, amount: I64) -> tuple[I64, Moments, I64]:
    """Return (payer, day, amount) of one payment per payer and due day."""
    groups, member = np.unique(
        np.stack([payer, due.astype("M8[D]").astype(np.int64)]), axis=1, return_inverse=True
    )
    total = _sum_by(member.ravel().astype(np.int64), amount, groups.shape[1])
    return groups[0], groups[1].astype("M8[D]"), total


def customer_ledger(rng: np.random.Generator, sales: SaleLines, kinds: Kinds) -> list[Ledger]:
    """Return customer invoices and payments: buying groups pay on the first Monday 30 days
    on, customers outside the dimension pay each invoice within two weeks."""
    invoices, first = np.unique(sales.invoice_id, return_index=True)
    group = np.searchsorted(invoices, sales.invoice_id)
    count = len(invoices)
    day = sales.invoice_day[first]
    bill_to = sales.bill_to_key[first]
    including = _sum_by(group, sales.including_tax, count)
    in_group = bill_to != 0
    due = np.where(
        in_group,
        next_weekday(later(day, 30), 0),
        open_day(later(day, rng.integers(0, 15, count))),
    )
    paid = due <= CUTOFF_DAY
    payer = np.where(in_group, bill_to, -1 - np.arange(count))  # one payment each outside
    payer, pay_day, amount = _payments(payer[paid], due[paid], including[paid])
    methods = np.array(["Cash", "Check", "Credit Card", "EFT"])
    chosen = np.where(payer > 0, 3, rng.choice(4, size=len(payer), p=[0.25, 0.25, 0.3, 0.2]))
    method = np.zeros(len(payer), dtype=np.int64)
    for m, name in enumerate(methods.tolist()):
        method[chosen == m] = kinds.method_key(name, noon(pay_day[chosen == m]))
    invoice_part: Ledger = {
        "kind": np.zeros(count, dtype=np.int64),
        "day": day,
        "finalized": paid,
        "customer": sales.customer_key[first],
        "bill_to": bill_to,
        "invoice": invoices,
        "excl": _sum_by(group, sales.excluding_tax, count),
        "tax": _sum_by(group, sales.tax, count),
        "incl": including,
        "outstanding": np.where(paid, 0, including),
    }
    payer = np.maximum(payer, 0)
    payment_part: Ledger = {
        "kind": np.ones(len(payer), dtype=np.int64),
        "day": pay_day,
        "finalized": np.ones(len(payer), dtype=np.bool_),
        "customer": payer,
        "bill_to": payer,
        "method": method,
        "excl": -amount,
        "incl": -amount,
    }
    return [invoice_part, payment_part]


def supplier_ledger(
    rng: np.random.Generator,
    purchases: Purchases,
    receipts: Moments,
    holdings: Holdings,
    suppliers: Suppliers,
    kinds: Kinds,
) -> list[Ledger]:
    """Return one supplier invoice per received purchase order (costed at the last cost price)
    and the Friday payment runs after each supplier's payment days."""
    received = purchases.finalized
    orders, first = np.unique(purchases.order_id[received], return_index=True)
    group = np.searchsorted(orders, purchases.order_id[received])
    count = len(orders)
    cost = purchases.quantity[received] * holdings.cost_cents[purchases.item[received]]
    excluding = _sum_by(group, cost, count)
    tax = (excluding * STANDARD_TAX + 50_000) // 100_000
    day = receipts[received][first]
    supplier = purchases.supplier_key[received][first]
    terms = [suppliers.payment_days.get(k, 30) for k in supplier.tolist()]
    due = next_weekday(later(day, terms), 4)
    paid = due <= CUTOFF_DAY
    payee, pay_day, amount = _payments(supplier[paid], due[paid], (excluding + tax)[paid])
    invoice_part: Ledger = {
        "kind": np.full(count, 2, dtype=np.int64),
        "day": day,
        "finalized": paid,
        "supplier": supplier,
        "purchase_order": orders,
        "number": rng.integers(1_000, 999_999, count),
        "excl": excluding,
        "tax": tax,
        "incl": excluding + tax,
        "outstanding": np.where(paid, 0, excluding + tax),
    }
    payment_part: Ledger = {
        "kind": np.full(len(payee), 3, dtype=np.int64),
        "day": pay_day,
        "finalized": np.ones(len(payee), dtype=np.bool_),
        "supplier": suppliers.versions.at(suppliers.ids_of(payee), noon(pay_day)),
        "method": kinds.method_key("EFT", noon(pay_day)),
        "excl": -amount,
        "incl": -amount,
    }
    return [invoice_part, payment_part]


def transaction_columns(parts: Sequence[Ledger], kinds: Kinds) -> Columns:
    """Return the ledger parts as Fact.Transaction, in time order; the OLTP numbers customer
    and supplier transactions separately."""
    merged = {
        name: np.concatenate(
            [part.get(name, np.zeros(len(part["kind"]), dtype=np.int64)) for part in parts]
        )
        for name in ("kind", "day", "finalized", *_LEDGER_FIELDS)
    }
    kind = merged["kind"].astype(np.int64)
    is_supplier = kind >= 2
    order = np.lexsort(
        (merged["invoice"] + merged["purchase_order"], kind, is_supplier, merged["day"])
    )
    ranked = {name: values[order] for name, values in merged.items()}
    k = kind[order]
    own_number = np.zeros(len(k), dtype=np.int64)
    for side in (k < 2, k >= 2):
        own_number[side] = np.arange(1, int(side.sum()) + 1)
    type_key = np.array([kinds.type_key(name) for name in _LEDGER_KINDS])
    rows = len(k)
    return {
        "Transaction Key": int64(np.arange(1, rows + 1)),
        "Date Key": dates(ranked["day"]),
        "Customer Key": int32(ranked["customer"]),
        "Bill To Customer Key": int32(ranked["bill_to"]),
        "Supplier Key": int32(ranked["supplier"]),
        "Transaction Type Key": int32(type_key[k]),
        "Payment Method Key": int32(ranked["method"]),
        "WWI Customer Transaction ID": int32(own_number, null=k >= 2),
        "WWI Supplier Transaction ID": int32(own_number, null=k < 2),
        "WWI Invoice ID": int32(ranked["invoice"], null=k != 0),
        "WWI Purchase Order ID": int32(ranked["purchase_order"], null=k != 2),
        "Supplier Invoice Number": texts(
            [
                str(n) if kk == 2 else None
                for n, kk in zip(ranked["number"].tolist(), k.tolist(), strict=True)
            ]
        ),
        "Total Excluding Tax": int64(ranked["excl"]),
        "Tax Amount": int64(ranked["tax"]),
        "Total Including Tax": int64(ranked["incl"]),
        "Outstanding Balance": int64(ranked["outstanding"]),
        "Is Finalized": flags(ranked["finalized"]),
        "Lineage Key": int32(np.full(rows, LINEAGE[t.fact_transaction])),
    }
