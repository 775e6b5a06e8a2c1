import { Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';

import type { components } from '@/api/schema';
import { DataTable } from '@/components/table/DataTable';
import { formatCount, formatDecimal, formatPercent } from '@/formatting/numbers';

type SupplierScore = components['schemas']['SupplierScore'];

const column = createColumnHelper<SupplierScore>();

/** A missing figure sorts after every real one, whichever the direction. */
const nullsLast = { sortUndefined: 'last' as const };

function dimmed(text: string) {
  return (
    <Text span size="xs" c="dimmed">
      {text}
    </Text>
  );
}

const COLUMNS = [
  column.accessor('rank', {
    header: 'Rank',
    meta: { numeric: true },
    cell: (info) => formatCount(info.getValue()),
  }),
  column.accessor('supplier', {
    header: 'Supplier',
    cell: (info) => (
      <Stack gap={0}>
        <Text span size="sm" fw={500}>
          {info.getValue()}
        </Text>
        {info.row.original.category ? dimmed(info.row.original.category) : null}
      </Stack>
    ),
  }),
  column.accessor('score', {
    header: 'Score',
    meta: { numeric: true },
    cell: (info) => (
      <Text span size="sm" fw={700}>
        {formatDecimal(info.getValue())}
      </Text>
    ),
  }),
  column.accessor((row) => row.fill_rate_pct ?? undefined, {
    id: 'fill_rate_pct',
    header: 'Fill rate',
    meta: { numeric: true },
    ...nullsLast,
    cell: (info) => (
      <Stack gap={0} align="flex-end">
        <span>{formatPercent(info.row.original.fill_rate_pct)}</span>
        {dimmed(`of ${formatCount(info.row.original.lines - info.row.original.open_lines)} finalized lines`)}
      </Stack>
    ),
  }),
  column.accessor((row) => row.on_time_pct ?? undefined, {
    id: 'on_time_pct',
    header: 'On time',
    meta: { numeric: true },
    ...nullsLast,
    cell: (info) =>
      info.row.original.on_time_pct === null ? dimmed('no receipts') : formatPercent(info.row.original.on_time_pct),
  }),
  column.accessor((row) => row.avg_delay_days ?? undefined, {
    id: 'avg_delay_days',
    header: 'Avg delay (days)',
    meta: { numeric: true },
    ...nullsLast,
    cell: (info) =>
      info.row.original.avg_delay_days === null ? dimmed('no receipts') : formatDecimal(info.row.original.avg_delay_days),
  }),
  column.accessor('purchase_orders', {
    header: 'Purchase orders',
    meta: { numeric: true },
    cell: (info) => formatCount(info.getValue()),
  }),
  column.accessor('lines', {
    header: 'Lines',
    meta: { numeric: true },
    cell: (info) => formatCount(info.getValue()),
  }),
  column.accessor('open_lines', {
    header: 'Open lines',
    meta: { numeric: true },
    cell: (info) => formatCount(info.getValue()),
  }),
];

/** Every figure behind the scores, one row per supplier. */
export function SupplierTable({ suppliers, caption }: { suppliers: SupplierScore[]; caption: string }) {
  return (
    <div data-testid="suppliers-table">
      <DataTable
        data={suppliers}
        columns={COLUMNS}
        caption={caption}
        getRowId={(row) => String(row.wwi_supplier_id)}
      />
    </div>
  );
}
