import { Button, Card, Code, Group, Popover, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconClock, IconPlayerPlay } from '@tabler/icons-react';

import { ApiError } from '@/api/api-error';
import type { JobExecution, JobService } from '@/api/queries/operations';
import { type JobEntry, useRunJob } from '@/features/jobs/api/job-runs';
import { QualityCounts } from '@/features/jobs/components/RunDetails';
import { StatusBadge } from '@/features/jobs/components/StatusBadge';
import { TriggerBadge } from '@/features/jobs/components/TriggerBadge';
import { qualitySummary } from '@/features/jobs/details';
import { runDuration } from '@/features/jobs/run-times';
import { describeCron } from '@/features/jobs/schedule';
import { formatDuration, formatMoment } from '@/formatting/dates';
import { formatCount } from '@/formatting/numbers';

interface JobCardProps {
  service: JobService;
  job: JobEntry;
  /** The job's latest run: undefined while it is read, null if it never ran. */
  latest: JobExecution | null | undefined;
  latestError: unknown;
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why run-now failed, in the reader's words. */
function runError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'Your account lacks the scope to run jobs.';
    if (error.status === 401) return 'You are not signed in.';
    return `${error.detail} (${error.status})`;
  }
  return error instanceof Error ? error.message : String(error);
}

function LastRun({ latest, latestError }: Pick<JobCardProps, 'latest' | 'latestError'>) {
  if (latestError) {
    return (
      <Text size="sm" c="red">
        The last run could not be read.
      </Text>
    );
  }
  if (latest === undefined) return <Skeleton height={22} width="70%" />;
  if (latest === null) {
    return (
      <Text size="sm" c="dimmed">
        Never run
      </Text>
    );
  }
  const quality = qualitySummary(latest.details);
  return (
    <Stack gap={4} data-testid="job-last-run">
      <Group gap="xs" wrap="wrap">
        <StatusBadge status={latest.status} />
        <TriggerBadge run={latest} />
        <Text size="sm" className="figures">
          {formatMoment(latest.started_at)}
        </Text>
      </Group>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" c="dimmed" className="figures">
          {latest.status === 'running'
            ? 'running…'
            : `took ${formatDuration(runDuration(latest))} · ${formatCount(latest.rows_written)} ${latest.rows_written === 1 ? 'row' : 'rows'} written`}
        </Text>
        {quality ? <QualityCounts summary={quality} /> : null}
      </Group>
      {latest.error ? (
        <Text size="xs" c="red" lineClamp={2} title={latest.error}>
          {latest.error}
        </Text>
      ) : null}
    </Stack>
  );
}

/** One job: what it does, when it runs, how its last run went, and run-now. */
export function JobCard({ service, job, latest, latestError }: JobCardProps) {
  const [confirming, { close, toggle }] = useDisclosure(false);
  const run = useRunJob(service, job.jobId);
  const running = latest?.status === 'running';
  const traceId = run.error instanceof ApiError ? run.error.traceId : null;
  return (
    <Card withBorder radius="md" padding="sm" data-testid="job-card" data-job-id={job.jobId}>
      <Stack gap={6} h="100%">
        <div>
          {job.description ? <Text fw={600}>{sentenceCase(job.description)}</Text> : null}
          <Code fw={job.description ? undefined : 600}>{job.jobId}</Code>
        </div>
        <Group gap={6} wrap="nowrap">
          <IconClock size={16} aria-hidden />
          {job.cron === null ? (
            <Text size="sm" c="dimmed">
              Schedule not published by this service
            </Text>
          ) : (
            <Tooltip label={`cron ${job.cron}, UTC`} withArrow>
              <Text size="sm" data-testid="job-schedule" tabIndex={0}>
                {describeCron(job.cron)}
              </Text>
            </Tooltip>
          )}
        </Group>
        <LastRun latest={latest} latestError={latestError} />
        <Group justify="space-between" align="center" mt="auto" wrap="nowrap" gap="xs">
          <Text size="xs" c="dimmed" aria-live="polite">
            {running
              ? 'Running now; this card updates when it ends.'
              : run.isSuccess
                ? latest?.id === run.data.execution_id
                  ? `Run ${run.data.execution_id} has ended.`
                  : `Run ${run.data.execution_id} started.`
                : ''}
          </Text>
          <Popover opened={confirming} onChange={toggle} position="bottom-end" withArrow trapFocus shadow="md">
            <Popover.Target>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlayerPlay size={14} aria-hidden />}
                onClick={toggle}
                disabled={running || run.isPending}
                loading={run.isPending}
                aria-label={`Run now: ${job.jobId}`}
                data-testid="run-now"
              >
                Run now
              </Button>
            </Popover.Target>
            <Popover.Dropdown maw={300}>
              <Stack gap="xs">
                <Text size="sm">
                  Run <Code>{job.jobId}</Code> now? It runs in the background; the history shows
                  when it ends.
                </Text>
                <Group justify="flex-end" gap="xs">
                  <Button size="xs" variant="default" onClick={close}>
                    Cancel
                  </Button>
                  <Button
                    size="xs"
                    onClick={() => {
                      close();
                      run.mutate();
                    }}
                    data-testid="run-now-confirm"
                  >
                    Run it
                  </Button>
                </Group>
              </Stack>
            </Popover.Dropdown>
          </Popover>
        </Group>
        {run.isError ? (
          <Text size="sm" c="red" role="alert" data-testid="run-now-error">
            {runError(run.error)}
            {traceId ? ` Trace id ${traceId}.` : ''}
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}
