import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { components } from '@/api/schema';
import { WwiStockPage } from '@/features/wwi-stock/WwiStockPage';
import { jsonResponse, renderWithProviders } from '@/test/render';

type ReorderRecommendation = components['schemas']['ReorderRecommendation'];

function item(id: number, stockItem: string, urgency: ReorderRecommendation['urgency'], orderQty = 0): ReorderRecommendation {
  return {
    wwi_stock_item_id: id,
    stock_item: stockItem,
    on_hand: 10,
    reorder_level: 20,
    target_level: 100,
    lead_time_days: 14,
    avg_daily_demand: 5,
    days_of_cover: 2,
    projected_on_hand_at_lead_time: -60,
    recommended_order_qty: orderQty,
    open_po_qty: 0,
    urgency,
    reason: `reason for ${stockItem}`,
    quantity_per_outer: 12,
    last_cost_price: 2.5,
    order_value: orderQty * 2.5,
  };
}

const recommendations = {
  as_of: '2016-05-31',
  demand_window_days: 90,
  items: [
    item(1, 'Red mug', 'critical', 168),
    item(2, 'Blue mug', 'critical', 24),
    item(3, 'USB rocket', 'high', 12),
    item(4, 'Chocolate frogs', 'none'),
    item(5, 'Chocolate beetles', 'none'),
    item(6, 'Shipping carton', 'none'),
  ],
};

function serve(body: unknown = recommendations) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return Promise.resolve(
      url.pathname === '/api/wwi/stock/recommendations'
        ? jsonResponse(body)
        : jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404),
    );
  });
}

function rows() {
  return within(screen.getByTestId('stock-table')).getAllByRole('row').slice(1);
}

describe('WwiStockPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts the items of each urgency on the chips and fetches every item once', async () => {
    const fetch = serve();
    renderWithProviders(<WwiStockPage />, { path: '/wwi/stock' });

    await screen.findByTestId('stock-table');
    expect(screen.getByRole('radio', { name: 'All 6' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Critical 2' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'High 1' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Normal 0' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'None 3' })).toBeInTheDocument();
    expect(rows()).toHaveLength(6);
    expect(fetch).toHaveBeenCalledOnce();
    const url = new URL((fetch.mock.calls[0]?.[0] as Request).url);
    expect(url.searchParams.has('urgency')).toBe(false);
  });

  it('shows only the chosen urgency, with the totals of what is shown', async () => {
    serve();
    renderWithProviders(<WwiStockPage />, { path: '/wwi/stock', searchParams: '?urgency=critical' });

    await screen.findByTestId('stock-table');
    expect(screen.getByRole('radio', { name: 'Critical 2' })).toBeChecked();
    expect(screen.getAllByTestId('stock-item-name').map((name) => name.textContent)).toEqual(['Red mug', 'Blue mug']);
    expect(rows()[0]).toHaveTextContent('reason for Red mug');
    expect(screen.getByTestId('stock-items-needing-orders')).toHaveTextContent('2');
    expect(screen.getByTestId('stock-total-order-value')).toHaveTextContent('$480.00');
    expect(screen.getByText('14 × outer of 12')).toBeInTheDocument();
  });

  it('filters when a chip is picked, and says why when nothing is left', async () => {
    serve();
    renderWithProviders(<WwiStockPage />, { path: '/wwi/stock' });
    await screen.findByTestId('stock-table');

    await userEvent.click(screen.getByRole('radio', { name: 'High 1' }));
    await waitFor(() => {
      expect(rows()).toHaveLength(1);
    });
    expect(rows()[0]).toHaveTextContent('USB rocket');

    await userEvent.click(screen.getByRole('radio', { name: 'Normal 0' }));
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No normal items');
  });

  it('narrows the counts and rows to the item names that match the search', async () => {
    serve();
    renderWithProviders(<WwiStockPage />, { path: '/wwi/stock', searchParams: '?q=chocolate' });

    await screen.findByTestId('stock-table');
    expect(rows()).toHaveLength(2);
    expect(screen.getByRole('radio', { name: 'All 2' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Critical 0' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'None 2' })).toBeInTheDocument();
  });
});
