/** File sizes in decimal units, as file managers show them: 980 B, 55.1 kB, 1.4 MB. */

const locale = (): string | undefined =>
  typeof navigator === 'undefined' ? undefined : navigator.language;

const UNITS = [
  { unit: 'megabyte', size: 1_000_000 },
  { unit: 'kilobyte', size: 1_000 },
] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const scale = UNITS.find(({ size }) => bytes >= size);
  if (scale === undefined) {
    return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(bytes)} B`;
  }
  return new Intl.NumberFormat(locale(), {
    style: 'unit',
    unit: scale.unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(bytes / scale.size);
}
