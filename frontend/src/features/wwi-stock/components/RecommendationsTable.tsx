import { Stack, Text, Tooltip } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';

import type { components } from '@/api/schema';
import { DataTable } from '@/components/table/DataTable';
import { formatCount, formatCurrency, formatDecimal } from '@/formatting/numbers';
import { outerCount, urgencyRank } from '@/features/wwi-stock/components/stock-view';
import classes from '@/features/wwi-stock/components/stock.module.css';
import { UrgencyBadge } from '@/components/urgency/UrgencyBadge';

type ReorderRecommendation = components['schemas']['ReorderRecommendation'];

const column = createColumnHelper<ReorderRecommendation>();

function columns(windowDays: number) {
  return [
    column.accessor('stock_item', {
      header: 'Item and why',
      cell: (info) => (
        <Stack gap={2} className={classes.itemCell}>
          <Text span size="sm" fw={500} data-testid="stock-item-name">
            {info.getValue()}
          </Text>
          <Text span size="xs" c="dimmed" data-testid="stock-reason">
            {info.row.original.reason}
          </Text>
        </Stack>
      ),
    }),
    column.accessor((row) => urgencyRank(row.urgency), {
      id: 'urgency',
      header: 'Urgency',
      cell: (info) => <UrgencyBadge urgency={info.row.original.urgency} />,
    }),
    column.accessor('recommended_order_qty', {
      header: 'Order qty',
      meta: { numeric: true },
      cell: (info) => {
        const quantity = info.getValue();
        const perOuter = info.row.original.quantity_per_outer;
        if (quantity === 0) {
          return (
            <Text span size="sm" c="dimmed">
              0
            </Text>
          );
        }
        return (
          <Stack gap={0} align="flex-end">
            <Text span size="sm" fw={600}>
              {formatCount(quantity)}
            </Text>
            <Text span size="xs" c="dimmed">
              {formatCount(outerCount(quantity, perOuter))} × outer of {formatCount(perOuter)}
            </Text>
          </Stack>
        );
      },
    }),
    column.accessor('order_value', {
      header: 'Order value',
      meta: { numeric: true },
      cell: (info) => (
        <Tooltip label={`at last cost ${formatCurrency(info.row.original.last_cost_price)} per unit`}>
          <span>{formatCurrency(info.getValue())}</span>
        </Tooltip>
      ),
    }),
    column.accessor('on_hand', {
      header: 'On hand',
      meta: { numeric: true },
      cell: (info) => (
        <Stack gap={0} align="flex-end">
          <Text span size="sm">
            {formatCount(info.getValue())}
          </Text>
          <Text span size="xs" c="dimmed">
            reorder level {formatCount(info.row.original.reorder_level)}
          </Text>
        </Stack>
      ),
    }),
    // No demand means cover without end: such items sort after every finite cover.
    column.accessor((row) => row.days_of_cover ?? Number.POSITIVE_INFINITY, {
      id: 'days_of_cover',
      header: 'Cover (days)',
      meta: { numeric: true },
      cell: (info) => {
        const cover = info.row.original.days_of_cover;
        return cover === null ? (
          <Tooltip label={`No issues in the last ${windowDays} days`}>
            <Text span size="sm" c="dimmed">
              no demand
            </Text>
          </Tooltip>
        ) : (
          <Stack gap={0} align="flex-end">
            <Text span size="sm">
              {formatDecimal(cover)}
            </Text>
            <Text span size="xs" c="dimmed">
              lead time {formatCount(info.row.original.lead_time_days)} d
            </Text>
          </Stack>
        );
      },
    }),
    column.accessor('avg_daily_demand', {
      header: 'Daily demand',
      meta: { numeric: true },
      cell: (info) => formatDecimal(info.getValue()),
    }),
    column.accessor('open_po_qty', {
      header: 'Open PO qty',
      meta: { numeric: true },
      cell: (info) => formatCount(info.getValue()),
    }),
  ];
}

/** One row per stock item: its position, urgency, what to order and why. */
export function RecommendationsTable({
  items,
  windowDays,
  caption,
}: {
  items: ReorderRecommendation[];
  windowDays: number;
  caption: string;
}) {
  const tableColumns = useMemo(() => columns(windowDays), [windowDays]);
  return (
    <div data-testid="stock-table">
      <DataTable
        data={items}
        columns={tableColumns}
        caption={caption}
        getRowId={(row) => String(row.wwi_stock_item_id)}
      />
    </div>
  );
}
