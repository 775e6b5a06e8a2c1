/** What the events page shows of the stock events: the status and type filters and their counts. */
import type { EventType } from '@/api/queries/wwi';
import type { components } from '@/api/schema';

type BusinessEvent = components['schemas']['BusinessEvent'];

export const EVENT_TYPES = [
  'stockout',
  'below_reorder_level',
  'overstock',
  'recovered',
] as const satisfies readonly EventType[];

export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  stockout: 'Stockout',
  below_reorder_level: 'Below reorder level',
  overstock: 'Overstock',
  recovered: 'Recovered',
};

export const EVENT_TYPE_COLORS: Record<EventType, string> = {
  stockout: 'red',
  below_reorder_level: 'orange',
  overstock: 'grape',
  recovered: 'teal',
};

/** What the threshold of each type is (src/otelbi/wwi/stock_events.py). */
export const THRESHOLD_MEANINGS: Record<EventType, string> = {
  stockout: 'nothing on hand',
  below_reorder_level: 'reorder level',
  overstock: '10 × target level',
  recovered: 'threshold crossed back',
};

/** Which events are listed: unresolved ones, resolved ones, or both. */
export type EventStatus = 'open' | 'resolved' | 'all';

/** Return the status the URL's `open` parameter names (true: open, false: resolved, absent: all). */
export function statusFrom(open: boolean | null): EventStatus {
  return open === null ? 'all' : open ? 'open' : 'resolved';
}

/** Return the URL's `open` parameter for `status` (null: left out of the URL). */
export function openParamFor(status: EventStatus): boolean | null {
  return status === 'all' ? null : status === 'open';
}

/** Return whether `event` belongs to `status`. */
export function hasStatus(event: BusinessEvent, status: EventStatus): boolean {
  return status === 'all' || (status === 'open') === (event.resolved_at === null);
}

/** Return how many of `events` are open and resolved. */
export function countByStatus(events: readonly BusinessEvent[]): Record<EventStatus, number> {
  const open = events.filter((event) => event.resolved_at === null).length;
  return { all: events.length, open, resolved: events.length - open };
}

/** Return how many of `events` have each type. */
export function countByType(events: readonly BusinessEvent[]): Record<EventType, number> {
  const counts: Record<EventType, number> = { stockout: 0, below_reorder_level: 0, overstock: 0, recovered: 0 };
  for (const event of events) {
    counts[event.event_type] += 1;
  }
  return counts;
}

/** Return the events of `status` and `type` (every type when null), newest first. */
export function filterEvents(
  events: readonly BusinessEvent[],
  status: EventStatus,
  type: EventType | null,
): BusinessEvent[] {
  return events
    .filter((event) => hasStatus(event, status) && (type === null || event.event_type === type))
    .sort((a, b) => Date.parse(b.detected_at) - Date.parse(a.detected_at) || b.id - a.id);
}
