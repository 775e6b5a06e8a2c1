/** Territory filter and quota status of the ranked reps. */
import type { components } from '@/api/schema';

type RepScore = components['schemas']['RepScore'];

/** The filter value of reps without a territory. */
export const NO_TERRITORY = '(none)';

/** Return the territories present in `reps`, sorted, for the filter's options. */
export function territoriesOf(reps: RepScore[]): string[] {
  const names = new Set(reps.map((rep) => rep.territory ?? NO_TERRITORY));
  return [...names].sort((a, b) => (a === NO_TERRITORY ? 1 : b === NO_TERRITORY ? -1 : a.localeCompare(b)));
}

/** Return the reps of `territory` (all of them when it is null), in rank order. */
export function repsIn(reps: RepScore[], territory: string | null): RepScore[] {
  if (territory === null) return reps;
  return reps.filter((rep) => (rep.territory ?? NO_TERRITORY) === territory);
}

export type QuotaStatus = 'on-track' | 'close' | 'behind' | 'no-quota';

/** At or above the quota. */
export const ON_TRACK_PCT = 100;
/** Within a fifth of the quota. */
export const CLOSE_PCT = 80;

export function quotaStatus(attainmentPct: number | null): QuotaStatus {
  if (attainmentPct === null) return 'no-quota';
  if (attainmentPct >= ON_TRACK_PCT) return 'on-track';
  if (attainmentPct >= CLOSE_PCT) return 'close';
  return 'behind';
}

export const STATUS_LOOK: Record<QuotaStatus, { label: string; color: string }> = {
  'on-track': { label: 'on track', color: 'teal' },
  close: { label: 'close', color: 'yellow' },
  behind: { label: 'behind', color: 'red' },
  'no-quota': { label: 'no quota', color: 'gray' },
};

/** Return how many reps are in each quota status. */
export function statusCounts(reps: RepScore[]): Record<QuotaStatus, number> {
  const counts: Record<QuotaStatus, number> = { 'on-track': 0, close: 0, behind: 0, 'no-quota': 0 };
  for (const rep of reps) counts[quotaStatus(rep.attainment_pct)] += 1;
  return counts;
}
