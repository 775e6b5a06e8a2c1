import { Code, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';

import type { AuditRow } from '@/api/queries/operations';
import { DataTable } from '@/components/table/DataTable';
import classes from '@/features/audit/components/audit.module.css';
import { OutcomeBadge } from '@/features/audit/components/OutcomeBadge';
import { TraceId } from '@/components/TraceId';
import { formatDuration, formatMoment } from '@/formatting/dates';

const DOMAIN_LABELS: Record<AuditRow['domain'], string> = { aw: 'AW', wwi: 'WWI', gateway: 'Gateway' };

/** "horizon_days=30, format=pdf": the call's parameters (credentials are masked by the API). */
function parameterText(parameters: AuditRow['parameters']): string {
  return Object.entries(parameters)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

const column = createColumnHelper<AuditRow>();

const columns = [
  column.accessor('id', {
    header: 'Row',
    meta: { numeric: true },
    cell: (info) => <span data-testid="audit-row-id">{info.getValue()}</span>,
  }),
  column.accessor('occurred_at', {
    header: 'Time',
    cell: (info) => <span className={classes.moment}>{formatMoment(info.getValue())}</span>,
  }),
  column.accessor('actor', { header: 'Actor' }),
  column.accessor('domain', {
    header: 'Domain',
    cell: (info) => DOMAIN_LABELS[info.getValue()],
  }),
  column.accessor('action', {
    header: 'Action',
    cell: (info) => {
      const { resource, detail, outcome } = info.row.original;
      const parameters = parameterText(info.row.original.parameters);
      return (
        <div className={classes.action}>
          <Code>{info.getValue()}</Code>
          <Text size="xs" className={classes.clamp} title={resource}>
            {resource}
            {parameters ? (
              <Text span size="xs" c="dimmed">
                {' '}
                · {parameters}
              </Text>
            ) : null}
          </Text>
          {detail ? (
            <Text size="xs" c={outcome === 'ok' ? 'dimmed' : 'red'} className={classes.clamp} title={detail}>
              {detail}
            </Text>
          ) : null}
        </div>
      );
    },
  }),
  column.accessor('outcome', {
    header: 'Outcome',
    cell: (info) => <OutcomeBadge outcome={info.getValue()} />,
  }),
  column.accessor('status_code', {
    header: 'Status',
    meta: { numeric: true },
    cell: (info) => info.getValue() ?? '—',
  }),
  column.accessor('duration_ms', {
    header: 'Duration',
    meta: { numeric: true },
    cell: (info) => formatDuration(info.getValue()),
  }),
  column.accessor('trace_id', {
    header: 'Trace id',
    enableSorting: false,
    cell: (info) => <TraceId traceId={info.getValue()} testId="audit-trace-id" />,
  }),
];

/** One page of audit rows, newest first. */
export function AuditTable({ rows, caption }: { rows: AuditRow[]; caption: string }) {
  return (
    <div data-testid="audit-table">
      <DataTable
        data={rows}
        columns={columns}
        caption={caption}
        urlKey="audit_"
        defaultSort="-id"
        getRowId={(row) => String(row.id)}
      />
    </div>
  );
}
