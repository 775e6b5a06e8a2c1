import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { components } from '@/api/schema';
import { WwiEventsPage } from '@/features/wwi-events/WwiEventsPage';
import { jsonResponse, pageResponse, renderWithProviders } from '@/test/render';

type BusinessEvent = components['schemas']['BusinessEvent'];

function event(
  id: number,
  type: BusinessEvent['event_type'],
  item: string,
  detected: string,
  resolved: string | null,
): BusinessEvent {
  return {
    id,
    event_type: type,
    wwi_stock_item_id: id,
    stock_item: item,
    observed: 3,
    threshold: 10,
    detected_at: detected,
    resolved_at: resolved,
  };
}

const ALL_EVENTS = [
  event(1, 'below_reorder_level', 'Red mug', '2026-12-01T05:00:00', '2026-12-03T05:00:00'),
  event(2, 'recovered', 'Red mug', '2026-12-03T05:00:00', '2026-12-03T05:00:00'),
  event(3, 'stockout', 'Blue mug', '2026-12-02T05:00:00', null),
  event(4, 'overstock', 'USB rocket', '2026-12-04T05:00:00', null),
  event(5, 'below_reorder_level', 'Green mug', '2026-12-04T06:00:00', null),
];

/** Answer as the API does: `open=true` gives the unresolved events only. */
function serve() {
  return vi.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname !== '/api/wwi/events') {
      return Promise.resolve(jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404));
    }
    const openOnly = url.searchParams.get('open') === 'true';
    return Promise.resolve(pageResponse(ALL_EVENTS.filter((e) => !openOnly || e.resolved_at === null)));
  });
}

function listedItems(): string[] {
  return within(screen.getByTestId('events-table'))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[2]?.textContent ?? '');
}

function requestedUrl(fetch: ReturnType<typeof serve>): URL {
  return new URL((fetch.mock.calls[0]?.[0] as Request).url);
}

describe('WwiEventsPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lists every event newest first, with the count of each type', async () => {
    const fetch = serve();
    renderWithProviders(<WwiEventsPage />, { path: '/wwi/events' });

    await screen.findByTestId('events-table');
    expect(listedItems()).toEqual(['Green mug', 'USB rocket', 'Red mug', 'Blue mug', 'Red mug']);
    expect(screen.getByRole('radio', { name: 'All types 5' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Below reorder level 2' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Stockout 1' })).toBeInTheDocument();
    expect(requestedUrl(fetch).searchParams.get('open')).toBe('false');
  });

  it('asks the API for the open events only when "open" is chosen', async () => {
    const fetch = serve();
    renderWithProviders(<WwiEventsPage />, { path: '/wwi/events', searchParams: '?open=true' });

    await screen.findByTestId('events-table');
    expect(requestedUrl(fetch).searchParams.get('open')).toBe('true');
    expect(listedItems()).toEqual(['Green mug', 'USB rocket', 'Blue mug']);
    expect(screen.getByRole('radio', { name: 'Recovered 0' })).toBeInTheDocument();
    expect(screen.getAllByText('Open', { selector: '.mantine-Badge-label' })).toHaveLength(3);
  });

  it('keeps the resolved events only when "resolved" is chosen', async () => {
    serve();
    renderWithProviders(<WwiEventsPage />, { path: '/wwi/events', searchParams: '?open=false' });

    await screen.findByTestId('events-table');
    expect(listedItems()).toEqual(['Red mug', 'Red mug']);
    expect(screen.getByRole('radio', { name: 'All types 2' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Recovered 1' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Stockout 0' })).toBeInTheDocument();
  });

  it('combines the status with the type, and says why when nothing is left', async () => {
    serve();
    renderWithProviders(<WwiEventsPage />, { path: '/wwi/events', searchParams: '?open=false&type=stockout' });

    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No resolved stockout events');
  });
});
