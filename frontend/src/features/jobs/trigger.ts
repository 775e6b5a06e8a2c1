/** Why a run ran, in the words of the person reading the history. */
import type { JobExecution, JobTrigger } from '@/api/queries/operations';

export const TRIGGER_LABELS: Record<JobTrigger, string> = {
  schedule: 'Scheduled',
  'run-now': 'Run now',
  'data-change': 'Data changed',
};

/** Return the sentence that says why the run ran (a data-change run names the run it redid). */
export function triggerExplanation(run: Pick<JobExecution, 'trigger' | 'supersedes_execution_id'>): string {
  switch (run.trigger) {
    case 'schedule':
      return "The job's schedule started this run (or the catch-up run after its service started).";
    case 'run-now':
      return 'Someone started this run with Run now (or from the command line).';
    case 'data-change':
      return run.supersedes_execution_id === null
        ? "The warehouse's data changed; this run recomputed its snapshots."
        : `The warehouse's data changed after run #${run.supersedes_execution_id}; this run recomputed its snapshots.`;
  }
}
