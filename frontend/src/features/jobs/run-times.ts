/** How long a run took, from moments the store gives without a zone (UTC). */
import type { JobExecution } from '@/api/queries/operations';

/** Milliseconds since the epoch of an ISO moment; one without an offset is UTC. */
export function momentMillis(isoMoment: string): number {
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/.test(isoMoment);
  return Date.parse(hasOffset ? isoMoment : `${isoMoment}Z`);
}

/** Return how long the run took in milliseconds, or null while it runs. */
export function runDuration(run: Pick<JobExecution, 'started_at' | 'finished_at'>): number | null {
  if (run.finished_at === null) return null;
  return Math.max(0, momentMillis(run.finished_at) - momentMillis(run.started_at));
}
