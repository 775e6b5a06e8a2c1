import { Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { parseAsBoolean, parseAsInteger, parseAsStringLiteral, useQueryStates } from 'nuqs';
import { useMemo } from 'react';

import { downloadExport } from '@/api/download';
import { type EventType, wwiQueries } from '@/api/queries/wwi';
import type { components } from '@/api/schema';
import { EmptyState } from '@/components/EmptyState';
import { ExportButtons } from '@/components/ExportButtons';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { formatCount } from '@/formatting/numbers';
import { StatusControl, TypeFilter } from '@/features/wwi-events/components/EventFilters';
import classes from '@/features/wwi-events/components/events.module.css';
import { EventsTable } from '@/features/wwi-events/components/EventsTable';
import {
  countByType,
  EVENT_TYPE_LABELS,
  EVENT_TYPES,
  type EventStatus,
  filterEvents,
  hasStatus,
  openParamFor,
  statusFrom,
} from '@/features/wwi-events/components/event-view';

type BusinessEvent = components['schemas']['BusinessEvent'];

/** The most events the API gives in one page: the newest ones. */
export const EVENTS_LIMIT = 1000;

const eventParams = {
  // true: open events only, false: resolved only, absent: all.
  open: parseAsBoolean,
  type: parseAsStringLiteral(EVENT_TYPES),
  page: parseAsInteger,
};

const STATUS_WORDS: Record<EventStatus, string> = { open: 'open ', resolved: 'resolved ', all: '' };

/** WideWorldImporters stock events: what crossed a threshold, and what came back. */
export function WwiEventsPage() {
  const [{ open, type }, setParams] = useQueryStates(eventParams);
  const status = statusFrom(open);
  // Open events come from the API's own filter; resolved ones are the rest of the full list.
  const query = useQuery(wwiQueries.events(status === 'open', null, EVENTS_LIMIT));
  return (
    <Stack gap="lg">
      <PageHeader
        title="Stock events"
        question="What changed in stock? Items that ran out, fell below their reorder level or overstocked, and those that recovered."
        actions={
          <ExportButtons
            what={`the ${STATUS_WORDS[status]}${type === null ? 'stock events' : `${EVENT_TYPE_LABELS[type].toLowerCase()} events`}`}
            download={(format) =>
              downloadExport(
                '/api/wwi/export/business-events',
                format,
                { open: status === 'open', limit: EVENTS_LIMIT, ...(type === null ? {} : { event_type: type }) },
                'Stock events export',
              )
            }
          />
        }
      />
      <section aria-labelledby="events-heading">
        <Title order={2} size="h4" id="events-heading" mb="xs">
          Events, newest first
        </Title>
        <QueryView query={query} what="the stock events" loadingHeight={360}>
          {(events) => (
            <EventList
              events={events.items}
              status={status}
              type={type}
              onStatus={(next) => void setParams({ open: openParamFor(next), page: null })}
              onType={(next) => void setParams({ type: next, page: null })}
            />
          )}
        </QueryView>
      </section>
    </Stack>
  );
}

interface EventListProps {
  events: BusinessEvent[];
  status: EventStatus;
  type: EventType | null;
  onStatus: (status: EventStatus) => void;
  onType: (type: EventType | null) => void;
}

function EventList({ events, status, type, onStatus, onType }: EventListProps) {
  const withStatus = useMemo(() => events.filter((event) => hasStatus(event, status)), [events, status]);
  const counts = useMemo(() => countByType(withStatus), [withStatus]);
  const shown = useMemo(() => filterEvents(withStatus, status, type), [withStatus, status, type]);
  const what = `${STATUS_WORDS[status]}${type === null ? '' : `${EVENT_TYPE_LABELS[type].toLowerCase()} `}events`;
  return (
    <>
      <div className={classes.filters}>
        <StatusControl value={status} onChange={onStatus} />
        <TypeFilter value={type} counts={counts} onChange={onType} />
      </div>
      {events.length >= EVENTS_LIMIT ? (
        <Text size="sm" c="dimmed" mb="xs" data-testid="events-limit-note">
          Only the newest {formatCount(EVENTS_LIMIT)} {status === 'open' ? 'open ' : ''}events are listed and counted.
        </Text>
      ) : null}
      {status === 'resolved' ? (
        <Text size="sm" c="dimmed" mb="xs">
          The download holds open and resolved events alike: the API filters open events only.
        </Text>
      ) : null}
      {shown.length === 0 ? (
        <EmptyState title={`No ${what}`}>
          {status === 'open'
            ? 'Every item is within its thresholds: nothing is out of stock, below its reorder level or overstocked.'
            : status === 'resolved'
              ? 'No event has been resolved yet: an event resolves when its item is back within the threshold.'
              : 'The stock-level job has recorded no event of this kind.'}
        </EmptyState>
      ) : (
        <EventsTable events={shown} caption={`Stock events: ${formatCount(shown.length)} ${what}, newest first`} />
      )}
    </>
  );
}
