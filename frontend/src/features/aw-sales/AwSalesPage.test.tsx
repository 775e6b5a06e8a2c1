import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { AwSalesPage } from '@/features/aw-sales/AwSalesPage';
import { jsonResponse, renderWithProviders } from '@/test/render';

function days(count: number, last: string): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

function history(daysBack: number) {
  return {
    as_of: '2014-01-28',
    grain: 'day',
    days_back: daysBack,
    points: days(daysBack, '2014-01-28').map((date) => ({
      date,
      internet_revenue: 1000,
      reseller_revenue: 500,
      revenue: 1500,
      orders: 3,
    })),
  };
}

function forecast(horizon: number) {
  return {
    as_of: '2014-01-28',
    series: 'internet_revenue',
    method:
      'mean of the last 28 days (too little history for least squares); history before the level break on 2014-01-01 left out',
    window_days: 28,
    points: days(horizon, '2014-02-27').map((date) => ({ date, forecast: 1655.27, lower: 1151.06, upper: 2310.55 })),
    backtest: { horizon_days: horizon, folds: 3, mape: null, smape: 187.4, baseline_smape: 172.3, coverage_pct: 0, note: null },
  };
}

const calls: string[] = [];

function route(url: string): Response {
  const { pathname, searchParams } = new URL(url);
  calls.push(`${pathname}?${searchParams.toString()}`);
  if (pathname === '/api/aw/sales/history') return jsonResponse(history(Number(searchParams.get('days_back'))));
  if (pathname === '/api/aw/sales/forecast') return jsonResponse(forecast(Number(searchParams.get('horizon_days'))));
  return jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404);
}

describe('AwSalesPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    calls.length = 0;
  });

  it('draws exactly the horizon\'s forecast days and says plainly when the backtest makes it meaningless', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation((input) =>
      Promise.resolve(route(input instanceof Request ? input.url : String(input))),
    );
    renderWithProviders(<AwSalesPage />, { searchParams: '?horizon=30&days=90' });

    const verdict = await screen.findByTestId('backtest-verdict');
    expect(verdict).toHaveAttribute('data-level', 'not-meaningful');
    expect(verdict).toHaveTextContent(/not meaningful/i);
    expect(screen.getByTestId('backtest-smape')).toHaveTextContent('187.4%');
    expect(screen.getByTestId('backtest-baseline-smape')).toHaveTextContent('172.3%');
    expect(screen.getByTestId('backtest-mape')).toHaveTextContent('not defined');
    expect(screen.getByTestId('forecast-method-words')).toHaveTextContent('average daily internet revenue of the last 28 days');

    await waitFor(() => {
      const counts = screen.getAllByTestId('chart').map((chart) => chart.getAttribute('data-points'));
      expect(counts.some((c) => c?.split(',').includes('Forecast:30'))).toBe(true);
    });
    expect(within(screen.getByTestId('forecast-table')).getAllByRole('row')).toHaveLength(31);
    expect(screen.getByTestId('data-as-of')).toHaveTextContent('2014');
  });

  it('refetches the page\'s queries when Refresh is pressed', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation((input) =>
      Promise.resolve(route(input instanceof Request ? input.url : String(input))),
    );
    renderWithProviders(<AwSalesPage />);
    await screen.findByTestId('backtest-verdict');
    await waitFor(() => {
      expect(screen.getByTestId('refresh')).toBeEnabled();
    });
    const before = calls.length;
    expect(calls).toContain('/api/aw/sales/history?days_back=365&grain=day');
    expect(calls).toContain('/api/aw/sales/forecast?horizon_days=30');

    await userEvent.click(screen.getByTestId('refresh'));
    await waitFor(() => {
      expect(calls.length).toBeGreaterThanOrEqual(before + 3);
    });
  });
});
