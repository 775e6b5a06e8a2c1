/**
 * The jobs view's server state: each service's jobs, their latest run and history, polled
 * while a run is in progress so a run started here is seen to finish; and run-now.
 */
import {
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';

import { api, request } from '@/api/client';
import {
  type JobExecution,
  type JobExecutionPage,
  type JobHistoryFilters,
  type JobService,
  JOB_SERVICE_NAMES,
  operationsKeys,
  operationsQueries,
} from '@/api/queries/operations';

/** How often the history is read again while a run is in progress. */
export const POLL_INTERVAL_MS = 2000;

/** How many recent gateway runs are read to find the gateway's jobs (it lists none). */
const GATEWAY_JOBS_FROM_RUNS = 200;

/** A job of a service; the gateway publishes no schedules, so its cron is unknown (null). */
export interface JobEntry {
  jobId: string;
  cron: string | null;
  description: string | null;
}

const isRunning = (run: JobExecution | undefined) => run?.status === 'running';

/** Return the service's jobs: its schedules, or for the gateway the jobs it has run. */
export function useJobList(service: JobService): UseQueryResult<JobEntry[]> {
  const schedules = useQuery({
    ...operationsQueries.jobSchedules(service === 'gateway' ? 'aw' : service),
    enabled: service !== 'gateway',
    select: (jobs): JobEntry[] =>
      jobs.items.map((job) => ({ jobId: job.job_id, cron: job.cron, description: job.description })),
  });
  const gatewayJobs = useQuery({
    ...operationsQueries.jobHistory('gateway', { limit: GATEWAY_JOBS_FROM_RUNS }),
    enabled: service === 'gateway',
    select: (runs): JobEntry[] =>
      [...new Set(runs.items.map((run) => run.job_id))]
        .sort()
        .map((jobId) => ({ jobId, cron: null, description: null })),
  });
  return service === 'gateway' ? gatewayJobs : schedules;
}

/** Return each job's latest run (undefined: never ran, or not read yet), polled while running. */
export function useLatestRuns(service: JobService, jobIds: readonly string[]) {
  return useQueries({
    queries: jobIds.map((jobId) => ({
      ...operationsQueries.jobHistory(service, { jobId, limit: 1 }),
      refetchInterval: (query: { state: { data?: JobExecutionPage | undefined } }) =>
        isRunning(query.state.data?.items[0]) ? POLL_INTERVAL_MS : false,
    })),
    combine: (results) => ({
      latest: new Map(jobIds.map((jobId, index) => [jobId, results[index]])),
      anyRunning: results.some((result) => isRunning(result.data?.items[0])),
    }),
  });
}

/** Return the service's run history, polled while a run in it (or `alsoPoll`) is running. */
export function useJobHistory(service: JobService, filters: JobHistoryFilters, alsoPoll: boolean) {
  return useQuery({
    ...operationsQueries.jobHistory(service, filters),
    refetchInterval: (query) =>
      alsoPoll || (query.state.data?.items ?? []).some(isRunning) ? POLL_INTERVAL_MS : false,
  });
}

/** Run-now for one of the service's jobs; the history is read again once it is claimed. */
export function useRunJob(service: JobService, jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => {
      const operation = `Running ${jobId} on ${JOB_SERVICE_NAMES[service]}`;
      return service === 'gateway'
        ? request(
            operation,
            api.POST('/api/jobs/gateway/{job_id}/run', { params: { path: { job_id: jobId } } }),
          )
        : request(
            operation,
            api.POST('/api/jobs/{domain}/{job_id}/run', {
              params: { path: { domain: service, job_id: jobId } },
            }),
          );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: operationsKeys.jobHistory(service) }),
  });
}
