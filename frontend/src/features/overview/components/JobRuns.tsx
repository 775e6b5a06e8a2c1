import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import {
  JOB_SERVICE_NAMES,
  type JobExecution,
  type JobService,
  operationsQueries,
} from '@/api/queries/operations';
import { QueryView } from '@/components/QueryView';
import { formatMoment } from '@/formatting/dates';

const STATUS_COLORS: Record<string, string> = {
  succeeded: 'teal',
  failed: 'red',
  running: 'blue',
  skipped: 'gray',
  interrupted: 'orange',
};

/** Return the newest execution of each job, by job id. */
export function latestPerJob(executions: JobExecution[]): JobExecution[] {
  const latest = new Map<string, JobExecution>();
  for (const execution of executions) {
    const seen = latest.get(execution.job_id);
    // As instants: ISO text with and without a fraction of a second does not sort as time.
    if (seen === undefined || Date.parse(execution.started_at) > Date.parse(seen.started_at)) {
      latest.set(execution.job_id, execution);
    }
  }
  return [...latest.values()].sort((a, b) => a.job_id.localeCompare(b.job_id));
}

/** Did last night's work run? The last run of each job of one service. */
export function JobRuns({ service }: { service: JobService }) {
  const query = useQuery(operationsQueries.jobHistory(service, { limit: 100 }));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {JOB_SERVICE_NAMES[service]}
      </Text>
      <QueryView
        query={query}
        what={`the ${JOB_SERVICE_NAMES[service]} job runs`}
        loadingHeight={48}
        empty={(runs) => (runs.items.length === 0 ? { title: 'No job has run yet' } : null)}
      >
        {(runs) => (
          <Stack gap={2} data-testid={`job-runs-${service}`}>
            {latestPerJob(runs.items).map((run) => (
              <Group key={run.job_id} justify="space-between" wrap="nowrap" gap="xs">
                <Anchor
                  component={Link}
                  to={`/jobs?service=${service}&job=${encodeURIComponent(run.job_id)}`}
                  size="sm"
                  truncate
                >
                  {run.job_id}
                </Anchor>
                <Group gap={6} wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {formatMoment(run.started_at)}
                  </Text>
                  <Badge
                    size="sm"
                    variant="light"
                    color={STATUS_COLORS[run.status] ?? 'gray'}
                    data-status={run.status}
                  >
                    {run.status}
                  </Badge>
                </Group>
              </Group>
            ))}
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
