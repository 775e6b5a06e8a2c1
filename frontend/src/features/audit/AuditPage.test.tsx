import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NuqsTestingAdapter } from 'nuqs/adapters/testing';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { AuditRow, ChainReport } from '@/api/queries/operations';
import { AuditPage } from '@/features/audit/AuditPage';
import { auditFilters, startOfLocalDay } from '@/features/audit/audit-params';
import { jsonResponse, renderWithProviders } from '@/test/render';

function row(id: number): AuditRow {
  return {
    id,
    occurred_at: '2026-12-04T05:10:50.278447Z',
    actor: id % 2 === 0 ? 'alice' : 'scheduler',
    domain: 'wwi',
    action: 'wwi.stock.recommendations',
    resource: '/api/wwi/stock/recommendations',
    parameters: { urgency: 'critical' },
    outcome: 'ok',
    status_code: 200,
    duration_ms: 22.659,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    detail: null,
    client_address: null,
    prev_hash: '0'.repeat(64),
    row_hash: '1'.repeat(64),
  };
}

/** The rows below `beforeId` (all 120 when absent), newest first, 50 at most, as the API pages them. */
function page(beforeId: number | null): { items: AuditRow[]; limit: number; next_before_id: number | null } {
  const top = beforeId === null ? 120 : beforeId - 1;
  const items = Array.from({ length: Math.min(50, top) }, (_, index) => row(top - index));
  const last = items.at(-1)?.id ?? 1;
  return { items, limit: 50, next_before_id: last > 1 ? last : null };
}

function serve(chain: ChainReport) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/api/audit/verify') return Promise.resolve(jsonResponse(chain));
    if (url.pathname === '/api/audit') {
      const before = url.searchParams.get('before_id');
      return Promise.resolve(jsonResponse(page(before === null ? null : Number(before))));
    }
    return Promise.resolve(jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404));
  });
}

function auditRequests(fetchSpy: ReturnType<typeof serve>): URL[] {
  return fetchSpy.mock.calls
    .map(([input]) => new URL(input instanceof Request ? input.url : String(input)))
    .filter((url) => url.pathname === '/api/audit');
}

/** The page with a URL that keeps what the page writes to it (paging moves through it). */
function renderWithUrlMemory() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={['/audit']}>
          <NuqsTestingAdapter hasMemory>
            <AuditPage />
          </NuqsTestingAdapter>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

// Whole pages render slowly on a busy machine: wait longer than the defaults (1 s, 5 s).
configure({ asyncUtilTimeout: 5000 });

describe('AuditPage', { timeout: 20_000 }, () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('says the chain is intact and how many rows were checked', async () => {
    serve({ ok: true, rows_checked: 1234, first_bad_id: null, bad_ids: [], bad_rows: 0, head_id: 1234, head_matches: true });
    renderWithProviders(<AuditPage />, { path: '/audit' });
    const banner = await screen.findByTestId('audit-chain');
    expect(banner).toHaveAttribute('data-ok', 'true');
    expect(banner).toHaveTextContent('Chain intact — 1,234 rows checked');
  });

  it('names the first bad row when the chain is broken, and shows it on request', async () => {
    const fetchSpy = serve({ ok: false, rows_checked: 42, first_bad_id: 42, bad_ids: [42], bad_rows: 1, head_id: 41, head_matches: true });
    renderWithUrlMemory();
    const banner = await screen.findByTestId('audit-chain');
    expect(banner).toHaveAttribute('data-ok', 'false');
    expect(banner).toHaveTextContent('Chain broken at row 42');
    expect(banner).toHaveTextContent('42 rows checked');

    await userEvent.click(screen.getByRole('button', { name: 'Show row 42' }));
    // The page that starts at row 42: the rows below 43.
    await waitFor(() => {
      expect(auditRequests(fetchSpy).some((url) => url.searchParams.get('before_id') === '43')).toBe(true);
    });
  });

  it('names every row that does not link, and says when rows at the end are gone', async () => {
    serve({ ok: false, rows_checked: 900, first_bad_id: 12, bad_ids: [12, 40, 41, 77], bad_rows: 6, head_id: 899, head_matches: false });
    renderWithProviders(<AuditPage />, { path: '/audit' });
    const banner = await screen.findByTestId('audit-chain');
    expect(banner).toHaveTextContent('Chain broken: 6 rows do not link');
    expect(banner).toHaveTextContent('Rows 12, 40, 41, 77 and 2 more do not match');
    expect(banner).toHaveTextContent('rows at its end were removed');
    expect(screen.getAllByRole('button', { name: /^Show row/ })).toHaveLength(3);
  });

  it('pages to older rows below the last row of the page, and back to the newest', async () => {
    const fetchSpy = serve({ ok: true, rows_checked: 120, first_bad_id: null, bad_ids: [], bad_rows: 0, head_id: 120, head_matches: true });
    renderWithUrlMemory();
    await waitFor(() => {
      expect(screen.getByTestId('audit-page-range')).toHaveTextContent('Rows 120 to 71');
    });
    expect(auditRequests(fetchSpy)[0]?.searchParams.get('before_id')).toBeNull();
    expect(screen.getByTestId('audit-newest')).toBeDisabled();

    await userEvent.click(screen.getByTestId('audit-older'));
    await waitFor(() => {
      expect(screen.getByTestId('audit-page-range')).toHaveTextContent('Rows 70 to 21');
    });
    expect(auditRequests(fetchSpy).at(-1)?.searchParams.get('before_id')).toBe('71');
    expect(screen.getByTestId('audit-newest')).toBeEnabled();

    // The last page: the API names no next page, so there is nothing older to ask for.
    await userEvent.click(screen.getByTestId('audit-older'));
    await waitFor(() => {
      expect(screen.getByTestId('audit-page-range')).toHaveTextContent('Rows 20 to 1');
    });
    expect(screen.getByTestId('audit-older')).toBeDisabled();

    await userEvent.click(screen.getByTestId('audit-newest'));
    await waitFor(() => {
      expect(screen.getByTestId('audit-page-range')).toHaveTextContent('Rows 120 to 71');
    });
  });

  it('passes the URL filters to the API, the day range in the reader’s time', async () => {
    const fetchSpy = serve({ ok: true, rows_checked: 120, first_bad_id: null, bad_ids: [], bad_rows: 0, head_id: 120, head_matches: true });
    renderWithProviders(<AuditPage />, {
      path: '/audit',
      searchParams: '?domain=wwi&actor=alice&outcome=error&since=2026-12-01&until=2026-12-03',
    });
    await waitFor(() => {
      expect(auditRequests(fetchSpy).length).toBeGreaterThan(0);
    });
    const query = auditRequests(fetchSpy)[0]?.searchParams;
    expect(query?.get('domain')).toBe('wwi');
    expect(query?.get('actor')).toBe('alice');
    expect(query?.get('outcome')).toBe('error');
    expect(query?.get('since')).toBe(new Date(2026, 11, 1).toISOString());
    // "Until" includes its day: the range ends where the next day starts.
    expect(query?.get('until')).toBe(new Date(2026, 11, 4).toISOString());
  });
});

describe('audit filters', () => {
  it('leaves out what is not set and trims free text', () => {
    const filters = auditFilters({
      domain: null,
      actor: '  ',
      action: ' job.run ',
      outcome: null,
      since: null,
      until: null,
      before_id: null,
    });
    expect(filters).toMatchObject({ actor: null, action: 'job.run', since: null, beforeId: null, limit: 50 });
  });

  it('rolls a month end over to the next month', () => {
    expect(startOfLocalDay('2026-01-31', 1)).toBe(new Date(2026, 1, 1).toISOString());
  });
});
