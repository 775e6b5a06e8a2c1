import { Group, Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';

import type { components } from '@/api/schema';
import { ChangeIndicator } from '@/components/ChangeIndicator';
import { DataTable } from '@/components/table/DataTable';
import { formatCount, formatCurrency } from '@/formatting/numbers';
import { AttainmentBullet } from '@/features/aw-reps/components/AttainmentBullet';
import { NO_TERRITORY } from '@/features/aw-reps/components/rep-filters';
import classes from '@/features/aw-reps/components/reps.module.css';
import { ScoreBar } from '@/components/score/ScoreBar';

type RepScore = components['schemas']['RepScore'];

const column = createColumnHelper<RepScore>();

const columns = [
  column.accessor('rank', { header: '#', meta: { numeric: true } }),
  column.accessor('name', {
    header: 'Rep',
    cell: (info) => (
      <Stack gap={0} className={classes.nowrap}>
        <Text size="sm" fw={600}>
          {info.getValue()}
        </Text>
        {info.row.original.title ? (
          <Text size="xs" c="dimmed">
            {info.row.original.title}
          </Text>
        ) : null}
      </Stack>
    ),
  }),
  column.accessor((rep) => rep.territory ?? NO_TERRITORY, {
    id: 'territory',
    header: 'Territory',
    cell: (info) => (info.getValue() === NO_TERRITORY ? <Text size="sm" c="dimmed">none</Text> : info.getValue()),
  }),
  column.accessor('score', { header: 'Score', cell: (info) => <ScoreBar score={info.getValue()} /> }),
  column.accessor('revenue', {
    header: 'Revenue',
    cell: (info) => formatCurrency(info.getValue()),
    meta: { numeric: true },
  }),
  column.accessor('orders', {
    header: 'Orders',
    cell: (info) => formatCount(info.getValue()),
    meta: { numeric: true },
  }),
  column.accessor((rep) => rep.attainment_pct ?? undefined, {
    id: 'attainment',
    header: 'Quota attainment',
    cell: (info) => (
      <AttainmentBullet
        attainmentPct={info.row.original.attainment_pct}
        quota={info.row.original.quota}
        revenue={info.row.original.revenue}
      />
    ),
    sortUndefined: 'last',
  }),
  column.accessor((rep) => rep.growth_pct ?? undefined, {
    id: 'growth',
    header: 'Growth, 12 months',
    cell: (info) => (
      <Group justify="flex-end" wrap="nowrap" className={classes.changeCell}>
        <ChangeIndicator value={info.row.original.growth_pct} against="revenue of the last 12 months vs the 12 months before" />
      </Group>
    ),
    meta: { numeric: true },
    sortUndefined: 'last',
  }),
];

/** The reps in rank order: score, revenue, quota attainment and growth. */
export function RepsTable({ reps, caption }: { reps: RepScore[]; caption: string }) {
  return (
    <DataTable
      data={reps}
      columns={columns}
      caption={caption}
      defaultSort="rank"
      getRowId={(rep) => String(rep.employee_key)}
    />
  );
}
