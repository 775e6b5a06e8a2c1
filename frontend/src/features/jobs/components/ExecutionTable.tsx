import { ActionIcon, Code, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';

import type { JobExecution } from '@/api/queries/operations';
import { qualitySummary } from '@/features/jobs/details';
import tableClasses from '@/components/table/table.module.css';
import classes from '@/features/jobs/components/jobs.module.css';
import { QualityCounts, RunDetails } from '@/features/jobs/components/RunDetails';
import { StatusBadge } from '@/features/jobs/components/StatusBadge';
import { TraceId } from '@/components/TraceId';
import { TriggerBadge } from '@/features/jobs/components/TriggerBadge';
import { runDuration } from '@/features/jobs/run-times';
import { formatDuration, formatMoment } from '@/formatting/dates';
import { formatCount } from '@/formatting/numbers';

const COLUMNS = 9;

function ExecutionRow({ run }: { run: JobExecution }) {
  const [open, setOpen] = useState(false);
  const quality = qualitySummary(run.details);
  const detailsId = `run-${run.id}-details`;
  return (
    <Fragment>
      <Table.Tr
        data-testid="job-run"
        data-run-id={run.id}
        data-status={run.status}
        className={open ? classes.expanded : undefined}
      >
        <Table.Td>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            onClick={() => {
              setOpen((value) => !value);
            }}
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} the details of run ${run.id}`}
          >
            {open ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          <Code>{run.job_id}</Code>
        </Table.Td>
        <Table.Td>
          <StatusBadge status={run.status} />
          {run.error ? (
            <Text size="xs" c="red" className={classes.errorLine} title={run.error} data-testid="run-error">
              {run.error}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>
          <TriggerBadge run={run} />
          {/* A run-now or data-change run is "scheduled" for the moment it was asked for. */}
          {run.trigger === 'schedule' ? (
            <Text size="xs" c="dimmed" mt={2} data-testid="run-scheduled-for">
              for {formatMoment(run.scheduled_for)}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>{formatMoment(run.started_at)}</Table.Td>
        <Table.Td className={tableClasses.numeric}>
          {run.status === 'running' ? 'running…' : formatDuration(runDuration(run))}
        </Table.Td>
        <Table.Td className={tableClasses.numeric}>{formatCount(run.rows_written)}</Table.Td>
        <Table.Td>
          {quality ? (
            <QualityCounts summary={quality} />
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <TraceId traceId={run.trace_id} testId="run-trace-id" />
        </Table.Td>
      </Table.Tr>
      {open ? (
        <Table.Tr id={detailsId} className={classes.expanded}>
          <Table.Td colSpan={COLUMNS}>
            <RunDetails run={run} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </Fragment>
  );
}

/** Runs newest first; a row opens to why it ran, its error, data-quality checks and details. */
export function ExecutionTable({ runs, caption }: { runs: JobExecution[]; caption: string }) {
  return (
    <Table.ScrollContainer minWidth={900} type="native">
      <Table stickyHeader highlightOnHover className={tableClasses.table} data-testid="job-history">
        <caption className={tableClasses.caption}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <span className={tableClasses.caption}>Details</span>
            </Table.Th>
            <Table.Th className={tableClasses.nowrap}>Job</Table.Th>
            <Table.Th className={tableClasses.nowrap}>Status</Table.Th>
            <Table.Th className={tableClasses.nowrap}>Why it ran</Table.Th>
            <Table.Th className={tableClasses.nowrap}>Started</Table.Th>
            <Table.Th className={tableClasses.numeric}>Duration</Table.Th>
            <Table.Th className={tableClasses.numeric}>Rows written</Table.Th>
            <Table.Th>Quality checks</Table.Th>
            <Table.Th className={tableClasses.nowrap}>Trace id</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <ExecutionRow key={run.id} run={run} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
