import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { JobExecution, JobStatus } from '@/api/queries/operations';
import { OverviewPage } from '@/features/overview/OverviewPage';
import { jsonResponse, renderWithProviders } from '@/test/render';

const block = {
  revenue: 1234567.89,
  orders: 1000,
  average_order_value: 1234.57,
  units: 2500,
  gross_margin: 400000,
  gross_margin_pct: 32.4,
};
const comparison = {
  total: block,
  previous: block,
  change_pct: { revenue: 12.5, orders: -3, average_order_value: 0, units: null, gross_margin: 1, gross_margin_pct: 2 },
};

function route(url: string): Response {
  const path = new URL(url).pathname;
  if (path === '/api/aw/sales/kpis') {
    return jsonResponse({ ...comparison, as_of: '2014-01-28', window_days: 90, channels: { internet: comparison } });
  }
  if (path === '/api/wwi/sales/kpis') {
    return jsonResponse(
      { error: 'unavailable', detail: 'the WideWorldImporters warehouse is not available' },
      503,
      { 'x-trace-id': 'abc123' },
    );
  }
  return jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404);
}

describe('OverviewPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows each warehouse strip on its own: one down does not take the other with it', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation((input) =>
      Promise.resolve(route(input instanceof Request ? input.url : String(input))),
    );
    renderWithProviders(<OverviewPage />, { searchParams: '?days=90' });

    await waitFor(() => {
      expect(screen.getByTestId('aw-revenue-value')).toHaveTextContent('$1.2M');
    });
    expect(screen.getByTestId('aw-revenue-value')).toHaveAttribute('data-exact', '$1,234,567.89');
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.some((a) => a.textContent.includes('WideWorldImporters warehouse is not available'))).toBe(true);
    expect(screen.getAllByTestId('trace-id')[0]).toHaveTextContent('abc123');
  });
});

describe('latestPerJob', () => {
  it('keeps the newest run of each job', async () => {
    const { latestPerJob } = await import('@/features/overview/components/JobRuns');
    const run = (id: number, job: string, started: string, status: JobStatus): JobExecution => ({
      id,
      job_id: job,
      service: 'aw-service',
      scheduled_for: started,
      started_at: started,
      finished_at: started,
      status,
      rows_written: 0,
      details: {},
      error: null,
      trace_id: null,
      trigger: 'schedule',
      data_version: null,
      supersedes_execution_id: null,
    });
    const latest = latestPerJob([
      run(1, 'aw.daily.scores', '2026-12-01T05:00:00Z', 'failed'),
      run(2, 'aw.daily.scores', '2026-12-02T05:00:00Z', 'succeeded'),
      run(3, 'aw.daily.forecast', '2026-12-02T04:00:00Z', 'failed'),
      // Later within the same second: as text "…:01.500Z" sorts before "…:01Z".
      run(4, 'wwi.hourly.stock_events', '2026-12-02T04:00:01Z', 'failed'),
      run(5, 'wwi.hourly.stock_events', '2026-12-02T04:00:01.500Z', 'succeeded'),
    ]);
    expect(latest.map((r) => [r.job_id, r.status])).toEqual([
      ['aw.daily.forecast', 'failed'],
      ['aw.daily.scores', 'succeeded'],
      ['wwi.hourly.stock_events', 'succeeded'],
    ]);
  });
});
