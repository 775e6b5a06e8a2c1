import { Group, Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';

import type { components } from '@/api/schema';
import { ChangeIndicator } from '@/components/ChangeIndicator';
import { DataTable } from '@/components/table/DataTable';
import { formatCount, formatCurrency } from '@/formatting/numbers';
import classes from '@/features/aw-products/components/products.module.css';
import { ScoreBar } from '@/components/score/ScoreBar';

type ProductDemand = components['schemas']['ProductDemand'];

const column = createColumnHelper<ProductDemand>();

const columns = [
  column.accessor('rank', { header: '#', meta: { numeric: true } }),
  column.accessor('product', {
    header: 'Product',
    cell: (info) => (
      <Stack gap={0}>
        <Text size="sm" fw={600} className={classes.nowrap}>
          {info.getValue()}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {info.row.original.product_alternate_key}
        </Text>
      </Stack>
    ),
  }),
  column.accessor((p) => `${p.category ?? ''} / ${p.subcategory ?? ''}`, {
    id: 'category',
    header: 'Category / subcategory',
    cell: (info) => (
      <Stack gap={0}>
        <Text size="sm">{info.row.original.category ?? 'Uncategorised'}</Text>
        <Text size="xs" c="dimmed">
          {info.row.original.subcategory ?? '—'}
        </Text>
      </Stack>
    ),
  }),
  column.accessor('units', {
    header: 'Units',
    cell: (info) => formatCount(info.getValue()),
    meta: { numeric: true },
  }),
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
  column.accessor((p) => p.trend_pct ?? undefined, {
    id: 'trend',
    header: 'Trend, 90 days',
    cell: (info) => (
      <Group justify="flex-end" wrap="nowrap" className={classes.changeCell} title={info.row.original.trend_pct === null ? 'No units in the 90 days before the last 90: nothing to compare with' : undefined}>
        <ChangeIndicator
          value={info.row.original.trend_pct}
          against="units of the last 90 days vs the 90 days before"
        />
      </Group>
    ),
    meta: { numeric: true },
    sortUndefined: 'last',
  }),
  column.accessor('demand_score', {
    header: 'Demand score',
    cell: (info) => <ScoreBar score={info.getValue()} />,
  }),
];

/** The products in rank order: units, revenue, orders, trend and demand score. */
export function ProductsTable({ products, caption }: { products: ProductDemand[]; caption: string }) {
  return (
    <DataTable
      data={products}
      columns={columns}
      caption={caption}
      defaultSort="rank"
      getRowId={(p) => p.product_alternate_key}
    />
  );
}
