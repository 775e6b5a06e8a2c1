import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { components } from '@/api/schema';
import { scoreChartOption } from '@/features/wwi-suppliers/components/score-chart';
import { WwiSuppliersPage } from '@/features/wwi-suppliers/WwiSuppliersPage';
import { jsonResponse, renderWithProviders } from '@/test/render';

// ECharts needs a canvas, which jsdom lacks: the chart's option is tested on its own below.
vi.mock('@/components/chart/Chart', () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} data-testid="chart" />,
}));

type SupplierScore = components['schemas']['SupplierScore'];

const suppliers: SupplierScore[] = [
  {
    wwi_supplier_id: 4,
    supplier: 'Fabrikam, Inc.',
    category: 'Clothing Supplier',
    purchase_orders: 1055,
    lines: 5944,
    fill_rate_pct: 99.5,
    open_lines: 6,
    on_time_pct: 97.25,
    avg_delay_days: 0.4,
    score: 98.1,
    rank: 1,
  },
  {
    wwi_supplier_id: 9,
    supplier: 'Nod <Publishers>',
    category: null,
    purchase_orders: 1,
    lines: 2,
    fill_rate_pct: null,
    open_lines: 2,
    on_time_pct: null,
    avg_delay_days: null,
    score: 0,
    rank: 2,
  },
];

describe('WwiSuppliersPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows each supplier’s score with the lines and orders behind it', async () => {
    const fetch = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(jsonResponse({ as_of: '2016-05-31', suppliers }));
    renderWithProviders(<WwiSuppliersPage />, { path: '/wwi/suppliers' });

    const table = await screen.findByTestId('suppliers-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Fabrikam, Inc.');
    expect(rows[0]).toHaveTextContent('99.5%');
    expect(rows[0]).toHaveTextContent('of 5,938 finalized lines');
    expect(rows[0]).toHaveTextContent('1,055');
    expect(rows[1]).toHaveTextContent('no receipts');
    expect(screen.getByRole('img', { name: /best Fabrikam, Inc\. 98\.1, lowest Nod <Publishers> 0\.0/ })).toBeInTheDocument();
    expect(new URL((fetch.mock.calls[0]?.[0] as Request).url).searchParams.get('top_n')).toBe('25');
  });

  it('draws one bar per supplier from 0 to 100, best on top, with the figures in the tooltip', () => {
    const option = scoreChartOption(suppliers);
    expect(option.series[0]?.data).toEqual([98.1, 0]);
    expect(option.yAxis.data).toEqual(['Fabrikam, Inc.', 'Nod <Publishers>']);
    expect(option.yAxis.inverse).toBe(true);
    expect(option.xAxis).toMatchObject({ min: 0, max: 100, name: 'Score (0–100)' });
    const tooltip = option.tooltip.formatter({ dataIndex: 1 });
    expect(tooltip).toContain('Nod &#60;Publishers&#62;');
    expect(tooltip).toContain('2 lines on 1 purchase order, 2 open');
  });
});
