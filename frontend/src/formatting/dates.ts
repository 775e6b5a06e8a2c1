/**
 * Dates and moments in the reader's locale. Warehouse dates (`2014-01-28`) are calendar
 * days, formatted in UTC so that no time zone moves them to the day before.
 */

const locale = (): string | undefined =>
  typeof navigator === 'undefined' ? undefined : navigator.language;

function calendarDay(isoDate: string): Date {
  return new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
}

/** 28 Jan 2014 */
export function formatDay(isoDate: string | null | undefined): string {
  if (isoDate === null || isoDate === undefined) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    calendarDay(isoDate),
  );
}

/** Jan 2014 */
export function formatMonth(isoDate: string): string {
  return new Intl.DateTimeFormat(locale(), {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(calendarDay(isoDate));
}

/**
 * A moment (job run, audit row) in the reader's time zone: 4 Dec 2026, 05:00:12. The API
 * writes every moment in UTC ending in `Z` (`2026-12-04T05:00:12Z`).
 */
export function formatMoment(isoMoment: string | null | undefined): string {
  if (isoMoment === null || isoMoment === undefined) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(
    new Date(isoMoment),
  );
}

/** 1.2 s, 340 ms */
export function formatDuration(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined) return '—';
  if (milliseconds < 1000) {
    return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(milliseconds)} ms`;
  }
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(milliseconds / 1000)} s`;
}
