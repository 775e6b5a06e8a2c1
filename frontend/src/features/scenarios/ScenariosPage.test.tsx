import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { components } from '@/api/schema';
import { ScenarioDetailPage } from '@/features/scenarios/ScenarioDetailPage';
import { ScenariosPage } from '@/features/scenarios/ScenariosPage';
import { jsonResponse, pageResponse, renderWithProviders } from '@/test/render';

type Scenario = components['schemas']['Scenario'];

const totals = (value: number, items: number, qty: number) => ({
  items_needing_orders: items,
  total_order_qty: qty,
  total_order_value: value,
});

const item = {
  wwi_stock_item_id: 7,
  stock_item: 'Red mug',
  on_hand: 10,
  reorder_level: 20,
  target_level: 100,
  lead_time_days: 21,
  avg_daily_demand: 6,
  days_of_cover: 1.7,
  projected_on_hand_at_lead_time: -116,
  recommended_order_qty: 216,
  open_po_qty: 0,
  urgency: 'critical' as const,
  reason: 'on hand 10 ≤ reorder level 20',
  quantity_per_outer: 12,
  last_cost_price: 2.5,
  order_value: 540,
};

const created: Scenario = {
  id: 42,
  created_at: '2026-12-04T05:11:01.644286',
  created_by: 'ana',
  name: 'Holiday demand',
  demand_change_pct: 20,
  lead_time_change_days: 7,
  stock_item_ids: null,
  demand_window_days: 90,
  summary: {
    as_of: '2016-05-31',
    scenario: totals(540, 1, 216),
    baseline: totals(300, 1, 120),
    difference: totals(240, 0, 96),
  },
  items: [
    { ...item, baseline_recommended_order_qty: 120, baseline_urgency: 'high' },
    {
      ...item,
      wwi_stock_item_id: 8,
      stock_item: 'Blue mug',
      recommended_order_qty: 0,
      order_value: 0,
      urgency: 'none',
      baseline_recommended_order_qty: 0,
      baseline_urgency: 'none',
    },
  ],
};

type PostAnswer = () => Promise<Response>;

/** The API at the network edge; every POST is recorded with its Idempotency-Key and body. */
function serve(post: PostAnswer) {
  const posts: { key: string | null; body: unknown }[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const request = input as Request;
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/api/wwi/scenarios') {
      posts.push({ key: request.headers.get('idempotency-key'), body: await request.clone().json() });
      return post();
    }
    if (url.pathname === '/api/wwi/scenarios') {
      return pageResponse([]);
    }
    if (url.pathname === '/api/wwi/stock/recommendations') {
      return jsonResponse({ as_of: '2016-05-31', demand_window_days: 90, items: [item] });
    }
    if (url.pathname.startsWith('/api/wwi/scenarios/')) {
      return jsonResponse({ error: 'not_found', detail: `there is no scenario ${url.pathname.split('/').at(-1) ?? ''}` }, 404);
    }
    return jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404);
  });
  return { spy, posts };
}

function renderScenarios(path = '/wwi/scenarios') {
  return renderWithProviders(
    <Routes>
      <Route path="/wwi/scenarios" element={<ScenariosPage />} />
      <Route path="/wwi/scenarios/:scenarioId" element={<ScenarioDetailPage />} />
    </Routes>,
    { path },
  );
}

/** An answer that arrives a little later, so that a second click lands while it is pending. */
function later(response: () => Response, ms = 50): PostAnswer {
  return () =>
    new Promise((resolve) => {
      setTimeout(() => {
        resolve(response());
      }, ms);
    });
}

describe('scenario form', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends one request with one Idempotency-Key for a double click, then shows the result', async () => {
    const { posts } = serve(later(() => jsonResponse(created, 201)));
    renderScenarios();
    await userEvent.type(screen.getByRole('textbox', { name: /name/i }), 'Holiday demand');
    const demand = screen.getByRole('textbox', { name: /demand change/i });
    await userEvent.clear(demand);
    await userEvent.type(demand, '20');
    const lead = screen.getByRole('textbox', { name: /lead-time change/i });
    await userEvent.clear(lead);
    await userEvent.type(lead, '7');

    await userEvent.dblClick(screen.getByTestId('scenario-submit'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Holiday demand' })).toBeInTheDocument();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(posts[0]?.body).toEqual({ name: 'Holiday demand', demand_change_pct: 20, lead_time_change_days: 7 });
    // The result page shows what the API gave back, without asking for it again.
    expect(screen.getByTestId('scenario-difference-value')).toHaveTextContent('+$240');
    const rows = within(screen.getByTestId('scenario-items-table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('Red mug');
  });

  it('shows the API’s reason when it refuses a value, next to the form', async () => {
    const detail = 'demand_change_pct: Input should be greater than or equal to -90';
    serve(() => Promise.resolve(jsonResponse({ error: 'invalid_input', detail }, 422, { 'x-trace-id': 'trace-422' })));
    renderScenarios();
    await userEvent.type(screen.getByRole('textbox', { name: /name/i }), 'Collapse');
    const demand = screen.getByRole('textbox', { name: /demand change/i });
    await userEvent.clear(demand);
    await userEvent.type(demand, '-500');

    await userEvent.click(screen.getByTestId('scenario-submit'));

    const error = await screen.findByTestId('scenario-form-error');
    expect(error).toHaveTextContent(detail);
    expect(error).toHaveTextContent('trace-422');
    expect(demand).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('What-if scenarios');
  });

  it('keeps the key for a retry of the same values and makes a new one when a value changes', async () => {
    let answers = 0;
    const { posts } = serve(() => {
      answers += 1;
      return Promise.resolve(
        answers === 1
          ? jsonResponse({ error: 'unavailable', detail: 'the application store is not available' }, 503)
          : jsonResponse({ error: 'invalid_input', detail: 'lead_time_change_days: too long' }, 422),
      );
    });
    renderScenarios();
    await userEvent.type(screen.getByRole('textbox', { name: /name/i }), 'Slow suppliers');
    await userEvent.click(screen.getByTestId('scenario-submit'));
    await screen.findByText('the application store is not available');

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('lead_time_change_days: too long');
    await userEvent.type(screen.getByRole('textbox', { name: /name/i }), '!');
    await userEvent.click(screen.getByTestId('scenario-submit'));

    await waitFor(() => {
      expect(posts).toHaveLength(3);
    });
    expect(posts[1]?.key).toBe(posts[0]?.key);
    expect(posts[2]?.key).not.toBe(posts[0]?.key);
  });

  it('asks for a name before sending anything', async () => {
    const { posts } = serve(() => Promise.resolve(jsonResponse(created, 201)));
    renderScenarios();
    await userEvent.click(screen.getByTestId('scenario-submit'));
    expect(await screen.findByText('Give the scenario a name')).toBeInTheDocument();
    expect(posts).toHaveLength(0);
  });
});

describe('scenario detail', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('says plainly when there is no such scenario', async () => {
    serve(() => Promise.resolve(jsonResponse(created, 201)));
    renderScenarios('/wwi/scenarios/99');
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No scenario 99');
  });
});
