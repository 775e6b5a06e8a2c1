import { Chip, Group, SegmentedControl, Stack, Text } from '@mantine/core';

import type { EventType } from '@/api/queries/wwi';
import { formatCount } from '@/formatting/numbers';
import {
  EVENT_TYPE_COLORS,
  EVENT_TYPE_LABELS,
  EVENT_TYPES,
  type EventStatus,
} from '@/features/wwi-events/components/event-view';

const STATUSES: { value: EventStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

/** Open, resolved or all events. */
export function StatusControl({ value, onChange }: { value: EventStatus; onChange: (status: EventStatus) => void }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="event-status-label">
        Status
      </Text>
      <SegmentedControl
        aria-labelledby="event-status-label"
        value={value}
        onChange={(next) => {
          onChange(next as EventStatus);
        }}
        data={STATUSES}
        data-testid="event-status"
      />
    </Stack>
  );
}

const ALL = 'all';

interface TypeFilterProps {
  value: EventType | null;
  counts: Record<EventType, number>;
  onChange: (type: EventType | null) => void;
}

/** One chip per event type with its count among the listed events, plus "All types". */
export function TypeFilter({ value, counts, onChange }: TypeFilterProps) {
  const total = EVENT_TYPES.reduce((sum, type) => sum + counts[type], 0);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="event-type-label">
        Type
      </Text>
      <div role="radiogroup" aria-labelledby="event-type-label" data-testid="event-type-filter">
        <Chip.Group
          multiple={false}
          value={value ?? ALL}
          onChange={(next) => {
            onChange(next === ALL ? null : (next as EventType));
          }}
        >
          <Group gap={6}>
            <Chip value={ALL} name="event-type" variant="outline" data-testid="event-type-chip-all" data-count={total}>
              All types <span className="figures">{formatCount(total)}</span>
            </Chip>
            {EVENT_TYPES.map((type) => (
              <Chip
                key={type}
                value={type}
                name="event-type"
                variant="outline"
                color={EVENT_TYPE_COLORS[type]}
                data-testid={`event-type-chip-${type}`}
                data-count={counts[type]}
              >
                {EVENT_TYPE_LABELS[type]} <span className="figures">{formatCount(counts[type])}</span>
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </div>
    </Stack>
  );
}
