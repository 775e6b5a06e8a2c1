/** How long a run took, from the API's moments (UTC, ending in `Z`). */
import type { JobExecution } from '@/api/queries/operations';

/** Return how long the run took in milliseconds, or null while it runs. */
export function runDuration(run: Pick<JobExecution, 'started_at' | 'finished_at'>): number | null {
  if (run.finished_at === null) return null;
  return Math.max(0, Date.parse(run.finished_at) - Date.parse(run.started_at));
}
