/** The jobs view's URL state: service tab, history filters and how many runs to show. */
import { parseAsInteger, parseAsString, parseAsStringLiteral } from 'nuqs';

import { JOB_SERVICES, type JobStatus } from '@/api/queries/operations';

export const JOB_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'skipped',
  'interrupted',
] as const satisfies readonly JobStatus[];

/** Runs shown at first, and added by "Show more" (the API gives at most 1000). */
export const RUNS_STEP = 50;
export const RUNS_MAX = 1000;

export const jobsParams = {
  service: parseAsStringLiteral(JOB_SERVICES).withDefault('aw'),
  status: parseAsStringLiteral(JOB_STATUSES),
  job: parseAsString,
  runs: parseAsInteger.withDefault(RUNS_STEP),
};
