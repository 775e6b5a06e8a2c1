import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQueryStates } from 'nuqs';

import { JOB_SERVICE_NAMES, type JobService } from '@/api/queries/operations';
import { QueryView } from '@/components/QueryView';
import { useJobHistory, useJobList, useLatestRuns } from '@/features/jobs/api/job-runs';
import { ExecutionTable } from '@/features/jobs/components/ExecutionTable';
import { JobCard } from '@/features/jobs/components/JobCard';
import classes from '@/features/jobs/components/jobs.module.css';
import { STATUS_LABELS } from '@/features/jobs/components/StatusBadge';
import { JOB_STATUSES, jobsParams, RUNS_MAX, RUNS_STEP } from '@/features/jobs/jobs-params';

/** One service's jobs with their latest run and run-now, then its filtered run history. */
export function ServiceJobs({ service }: { service: JobService }) {
  const [params, setParams] = useQueryStates(jobsParams);
  const name = JOB_SERVICE_NAMES[service];
  const jobs = useJobList(service);
  const jobIds = jobs.data?.map((job) => job.jobId) ?? [];
  const { latest, anyRunning } = useLatestRuns(service, jobIds);
  const limit = Math.min(Math.max(1, params.runs), RUNS_MAX);
  const history = useJobHistory(
    service,
    { limit, status: params.status, jobId: params.job },
    anyRunning,
  );
  const filtered = params.status !== null || params.job !== null;
  const statusWords = params.status === null ? 'runs' : `${STATUS_LABELS[params.status].toLowerCase()} runs`;

  return (
    <Stack gap="lg">
      <section aria-labelledby={`${service}-jobs-heading`}>
        <Title order={2} size="h4" id={`${service}-jobs-heading`} mb="xs">
          {name} jobs
        </Title>
        <QueryView
          query={jobs}
          what={`the ${name} jobs`}
          loadingHeight={130}
          empty={(data) =>
            data.length === 0
              ? service === 'gateway'
                ? {
                    title: 'No gateway job has run yet',
                    hint: 'The gateway lists its jobs once they have run; the weekly report runs on Mondays.',
                  }
                : { title: `${name} runs no scheduled jobs` }
              : null
          }
        >
          {(data) => (
            <div className={classes.cards}>
              {data.map((job) => {
                const result = latest.get(job.jobId);
                return (
                  <JobCard
                    key={job.jobId}
                    service={service}
                    job={job}
                    latest={result?.data === undefined ? undefined : (result.data.items[0] ?? null)}
                    latestError={result?.error ?? null}
                  />
                );
              })}
            </div>
          )}
        </QueryView>
      </section>

      <section aria-labelledby={`${service}-history-heading`}>
        <Title order={2} size="h4" id={`${service}-history-heading`} mb="xs">
          Run history
        </Title>
        <div className={classes.filters}>
          <Select
            className={classes.filter}
            label="Status"
            placeholder="Any status"
            clearable
            data={JOB_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))}
            value={params.status}
            onChange={(value) => {
              const status = JOB_STATUSES.find((candidate) => candidate === value) ?? null;
              void setParams({ status, runs: null });
            }}
            data-testid="job-status-filter"
          />
          <Select
            className={classes.filter}
            label="Job"
            placeholder="Every job"
            clearable
            searchable
            data={params.job !== null && !jobIds.includes(params.job) ? [...jobIds, params.job] : jobIds}
            value={params.job}
            onChange={(value) => void setParams({ job: value, runs: null })}
            data-testid="job-filter"
          />
          {filtered ? (
            <Button variant="subtle" onClick={() => void setParams({ status: null, job: null, runs: null })}>
              Clear filters
            </Button>
          ) : null}
        </div>
        <Stack gap="xs" mt="sm">
          <QueryView
            query={history}
            what={`the ${name} run history`}
            loadingHeight={240}
            empty={(data) =>
              data.items.length === 0
                ? {
                    title: filtered
                      ? `No ${statusWords}${params.job === null ? '' : ` of ${params.job}`}`
                      : `${name} has not run any job yet`,
                    hint: filtered
                      ? 'Clear the filters to see every run.'
                      : 'Runs appear here as the schedule starts them, or when you use Run now.',
                  }
                : null
            }
          >
            {(data) => (
              <>
                <ExecutionTable
                  runs={data.items}
                  caption={`${name} job runs, newest first${filtered ? ', filtered' : ''}`}
                />
                <Group justify="space-between" gap="xs">
                  <Text size="sm" c="dimmed" data-testid="job-history-count">
                    {data.items.length >= data.total
                      ? data.total === 1
                        ? 'The only matching run'
                        : `All ${data.total} matching runs, newest first`
                      : `The newest ${data.items.length} of ${data.total} matching runs`}
                  </Text>
                  {data.items.length < data.total && limit < RUNS_MAX ? (
                    <Button
                      variant="default"
                      size="xs"
                      onClick={() => void setParams({ runs: Math.min(limit + RUNS_STEP, RUNS_MAX) })}
                    >
                      Show {RUNS_STEP} more
                    </Button>
                  ) : null}
                </Group>
              </>
            )}
          </QueryView>
        </Stack>
      </section>
    </Stack>
  );
}
