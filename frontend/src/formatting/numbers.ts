/** Numbers in the reader's locale: currency, percent, counts; compact in tiles. */

const locale = (): string | undefined =>
  typeof navigator === 'undefined' ? undefined : navigator.language;

/** The warehouses keep amounts in US dollars. */
export const CURRENCY = 'USD';

export function formatCurrency(value: number | null | undefined, options?: { compact?: boolean }) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), {
    style: 'currency',
    currency: CURRENCY,
    ...(options?.compact === true
      ? { notation: 'compact', maximumFractionDigits: 1 }
      : { maximumFractionDigits: 2, minimumFractionDigits: 2 }),
  }).format(value);
}

export function formatCount(value: number | null | undefined, options?: { compact?: boolean }) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), {
    ...(options?.compact === true
      ? { notation: 'compact', maximumFractionDigits: 1 }
      : { maximumFractionDigits: 0 }),
  }).format(value);
}

export function formatDecimal(value: number | null | undefined, digits = 1) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** `value` is in percent (12.5 means 12.5 %), as the API gives it. */
export function formatPercent(value: number | null | undefined, digits = 1) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value / 100);
}

/** A change in percent with its sign (+3.2 %, −1.0 %). */
export function formatChange(value: number | null | undefined, digits = 1) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), {
    style: 'percent',
    signDisplay: 'exceptZero',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value / 100);
}
