import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { quotaStatus, repsIn, territoriesOf } from '@/features/aw-reps/components/rep-filters';
import { AwRepsPage } from '@/features/aw-reps/AwRepsPage';
import { jsonResponse, renderWithProviders } from '@/test/render';

const rep = (rank: number, name: string, territory: string | null, attainment: number | null) => ({
  employee_key: rank,
  name,
  title: 'Sales Representative',
  territory,
  revenue: 1_000_000 / rank,
  orders: 100,
  quota: attainment === null ? null : 1_000_000,
  attainment_pct: attainment,
  growth_pct: 5,
  score: 90 - rank,
  rank,
});

const REPS = [
  rep(1, 'Carol Lewis', 'Southwest', 93.35),
  rep(2, 'Lucy Sullivan', 'Canada', 104),
  rep(3, 'Emily Lewis', 'Australia', 115.86),
  rep(4, 'Jennifer King', 'Canada', 72),
];

let requested: URL | null = null;

function mockApi() {
  vi.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requested = url;
    return Promise.resolve(
      url.pathname === '/api/aw/reps/scores'
        ? jsonResponse({ as_of: '2014-01-28', days_back: null, reps: REPS })
        : jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404),
    );
  });
}

const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);

describe('rep filters', () => {
  it('offers each territory once, sorted', () => {
    expect(territoriesOf(REPS)).toEqual(['Australia', 'Canada', 'Southwest']);
  });

  it('keeps rank order inside a territory', () => {
    expect(repsIn(REPS, 'Canada').map((r) => r.rank)).toEqual([2, 4]);
    expect(repsIn(REPS, null)).toHaveLength(4);
  });

  it('grades attainment against 100 % and 80 %', () => {
    expect([quotaStatus(100), quotaStatus(99.9), quotaStatus(80), quotaStatus(79.9), quotaStatus(null)]).toEqual([
      'on-track',
      'close',
      'close',
      'behind',
      'no-quota',
    ]);
  });
});

describe('AwRepsPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    requested = null;
  });

  it('shows only the reps of the territory in the URL, with the territories of the data as options', async () => {
    mockApi();
    renderWithProviders(<AwRepsPage />, { searchParams: '?territory=Canada&days=365&top=10' });

    const table = await screen.findByTestId('reps-table');
    const rows = rowsOf(table);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Lucy Sullivan');
    expect(rows[1]).toHaveTextContent('Jennifer King');
    expect(table).not.toHaveTextContent('Carol Lewis');

    const select = screen.getByRole('combobox', { name: 'Territory' });
    expect(select).toHaveValue('Canada');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'All territories',
      'Australia',
      'Canada',
      'Southwest',
    ]);
    // The counts follow the filter: one Canadian rep on track, one behind.
    expect(screen.getByTestId('reps-on-track')).toHaveAttribute('data-count', '1');
    expect(screen.getByTestId('reps-behind')).toHaveAttribute('data-count', '1');
    expect(requested?.searchParams.get('top_n')).toBe('10');
    expect(requested?.searchParams.get('days_back')).toBe('365');
  });

  it('lists every rep without a territory filter and asks for all history when no window is set', async () => {
    mockApi();
    renderWithProviders(<AwRepsPage />);
    expect(rowsOf(await screen.findByTestId('reps-table'))).toHaveLength(4);
    expect(requested?.searchParams.get('days_back')).toBeNull();
    expect(requested?.searchParams.get('top_n')).toBe('25');
  });

  it('says why the list is empty when the territory has no rep in the ranking', async () => {
    mockApi();
    renderWithProviders(<AwRepsPage />, { searchParams: '?territory=France' });
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No rep in France among the top 25');
    expect(screen.queryByTestId('reps-table')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show all territories' })).toBeInTheDocument();
  });
});
