import { Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';

import type { components } from '@/api/schema';
import { DataTable } from '@/components/table/DataTable';
import { formatCount, formatCurrency } from '@/formatting/numbers';
import { orderValueChange, URGENCIES } from '@/features/scenarios/components/scenario-text';
import classes from '@/features/scenarios/components/scenarios.module.css';
import { UrgencyBadge } from '@/components/urgency/UrgencyBadge';
import { ValueChange } from '@/features/scenarios/components/ValueChange';

type ScenarioItem = components['schemas']['ScenarioItem'];

const column = createColumnHelper<ScenarioItem>();

const COLUMNS = [
  column.accessor('stock_item', {
    header: 'Item and why',
    cell: (info) => (
      <Stack gap={2} className={classes.itemCell}>
        <Text span size="sm" fw={500} data-testid="scenario-item-name">
          {info.getValue()}
        </Text>
        <Text span size="xs" c="dimmed">
          {info.row.original.reason}
        </Text>
      </Stack>
    ),
  }),
  column.accessor((row) => URGENCIES.indexOf(row.urgency), {
    id: 'urgency',
    header: 'Urgency',
    cell: (info) => {
      const { baseline_urgency: before, urgency: after } = info.row.original;
      return (
        <Group gap={4} wrap="nowrap">
          <UrgencyBadge urgency={before} />
          <VisuallyHidden>today,</VisuallyHidden>
          <Text span size="sm" c="dimmed" aria-hidden>
            →
          </Text>
          <UrgencyBadge urgency={after} />
          <VisuallyHidden>in the scenario</VisuallyHidden>
        </Group>
      );
    },
  }),
  column.accessor('recommended_order_qty', {
    header: 'Order qty',
    meta: { numeric: true },
    cell: (info) => {
      const { baseline_recommended_order_qty: before, quantity_per_outer: perOuter } = info.row.original;
      const after = info.getValue();
      return (
        <Stack gap={0} align="flex-end">
          <Text span size="sm" className={classes.arrow}>
            <Text span size="sm" c="dimmed">
              {formatCount(before)}
            </Text>
            <VisuallyHidden> today,</VisuallyHidden>
            <span aria-hidden> → </span>
            <Text span size="sm" fw={600}>
              {formatCount(after)}
            </Text>
            <VisuallyHidden> in the scenario</VisuallyHidden>
          </Text>
          {after > 0 ? (
            <Text span size="xs" c="dimmed">
              {formatCount(Math.ceil(after / Math.max(perOuter, 1)))} × outer of {formatCount(perOuter)}
            </Text>
          ) : null}
        </Stack>
      );
    },
  }),
  column.accessor('order_value', {
    header: 'Order value',
    meta: { numeric: true },
    cell: (info) => formatCurrency(info.getValue()),
  }),
  column.accessor(orderValueChange, {
    id: 'value_change',
    header: 'Value vs today',
    meta: { numeric: true },
    cell: (info) => <ValueChange value={info.getValue()} />,
  }),
];

/** Each item's recommendation today and under the scenario. */
export function ScenarioItemsTable({ items, caption }: { items: ScenarioItem[]; caption: string }) {
  return (
    <div data-testid="scenario-items-table">
      <DataTable data={items} columns={COLUMNS} caption={caption} getRowId={(row) => String(row.wwi_stock_item_id)} />
    </div>
  );
}
