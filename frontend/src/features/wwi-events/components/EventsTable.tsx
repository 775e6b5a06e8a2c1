import { Badge, Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';

import type { components } from '@/api/schema';
import { DataTable } from '@/components/table/DataTable';
import { formatMoment } from '@/formatting/dates';
import { formatCount } from '@/formatting/numbers';
import {
  EVENT_TYPE_COLORS,
  EVENT_TYPE_LABELS,
  THRESHOLD_MEANINGS,
} from '@/features/wwi-events/components/event-view';
import classes from '@/features/wwi-events/components/events.module.css';

type BusinessEvent = components['schemas']['BusinessEvent'];

const column = createColumnHelper<BusinessEvent>();

const COLUMNS = [
  column.accessor('detected_at', {
    header: 'Detected',
    sortingFn: 'datetime',
    cell: (info) => <span className={classes.moment}>{formatMoment(info.getValue())}</span>,
  }),
  column.accessor('event_type', {
    header: 'Type',
    cell: (info) => (
      <Badge
        miw="max-content"
        color={EVENT_TYPE_COLORS[info.getValue()]}
        variant="light"
      >
        {EVENT_TYPE_LABELS[info.getValue()]}
      </Badge>
    ),
  }),
  column.accessor('stock_item', {
    header: 'Item',
    cell: (info) => <span className={classes.itemName}>{info.getValue()}</span>,
  }),
  column.accessor('observed', {
    header: 'Observed on hand',
    meta: { numeric: true },
    cell: (info) => formatCount(info.getValue()),
  }),
  column.accessor('threshold', {
    header: 'Threshold',
    meta: { numeric: true },
    cell: (info) => (
      <Stack gap={0} align="flex-end">
        <span>{formatCount(info.getValue())}</span>
        <Text span size="xs" c="dimmed">
          {THRESHOLD_MEANINGS[info.row.original.event_type]}
        </Text>
      </Stack>
    ),
  }),
  column.accessor((row) => row.resolved_at ?? undefined, {
    id: 'resolved_at',
    header: 'Resolved',
    sortUndefined: 'last',
    cell: (info) =>
      info.row.original.resolved_at === null ? (
        <Badge miw="max-content" color="orange" variant="outline">
          Open
        </Badge>
      ) : (
        <span className={classes.moment}>{formatMoment(info.row.original.resolved_at)}</span>
      ),
  }),
];

/** The stock events, newest first unless the reader sorts otherwise. */
export function EventsTable({ events, caption }: { events: BusinessEvent[]; caption: string }) {
  return (
    <div data-testid="events-table">
      <DataTable
        data={events}
        columns={COLUMNS}
        caption={caption}
        defaultSort="-detected_at"
        getRowId={(row) => String(row.id)}
      />
    </div>
  );
}
