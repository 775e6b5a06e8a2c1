import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Report } from '@/api/queries/operations';
import { ReportsPage } from '@/features/reports/ReportsPage';
import { jsonResponse, pageResponse, renderWithProviders } from '@/test/render';

function report(id: string, title: string, bytes: { xlsx: number; pdf: number }): Report {
  return {
    report_id: id,
    title,
    created_at: '2026-12-04T05:05:14.213697',
    created_by: 'scheduler',
    days_back: 365,
    xlsx_path: `/reports/otelbi-report-${id}.xlsx`,
    pdf_path: `/reports/otelbi-report-${id}.pdf`,
    bytes,
    sha256: { xlsx: 'a'.repeat(64), pdf: 'b'.repeat(64) },
    downloads: { xlsx: `/api/reports/${id}/xlsx`, pdf: `/api/reports/${id}/pdf` },
    duration_ms: 1804.38,
    trace_id: null,
    execution_id: 6,
  };
}

const weekly = report('20261130T050000Z-21e103fd', 'OTel BI weekly report', { xlsx: 55110, pdf: 1_444_597 });
const fresh = {
  ...report('20261204T052453Z-e447a536', 'Pack for finance', { xlsx: 56500, pdf: 150400 }),
  created_by: 'alice',
  days_back: 30,
  execution_id: null,
};

// Whole pages render slowly on a busy machine: wait longer than the defaults (1 s, 5 s).
configure({ asyncUtilTimeout: 5000 });

describe('ReportsPage', { timeout: 20_000 }, () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('generates a report with the chosen title and window, then lists it at the top', async () => {
    const listed: Report[] = [weekly];
    let body: unknown = null;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const request = input as Request;
      const path = new URL(request.url).pathname;
      if (request.method === 'POST' && path === '/api/reports/generate') {
        body = await request.json();
        listed.unshift(fresh);
        return jsonResponse(fresh, 201);
      }
      if (path === '/api/reports') return pageResponse(listed);
      return jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404);
    });
    renderWithProviders(<ReportsPage />, { path: '/reports' });

    const first = await screen.findByTestId('report-row');
    expect(within(first).getByTestId('report-xlsx-size')).toHaveTextContent('55.1 kB');
    expect(within(first).getByTestId('report-pdf-size')).toHaveTextContent('1.4 MB');

    await userEvent.type(screen.getByLabelText(/Title/), 'Pack for finance');
    await userEvent.click(screen.getByRole('radio', { name: '30 days' }));
    await userEvent.click(screen.getByTestId('generate-report'));

    expect(await screen.findByTestId('report-generated')).toHaveTextContent('“Pack for finance” is ready');
    expect(body).toEqual({ title: 'Pack for finance', days_back: 30 });
    await waitFor(() => {
      expect(screen.getAllByTestId('report-row')).toHaveLength(2);
    });
    const rows = screen.getAllByTestId('report-row');
    expect(rows[0]).toHaveAttribute('data-report-id', fresh.report_id);
    expect(rows[0]).toHaveTextContent('alice');
    expect(rows[0]).toHaveTextContent('new');
  });

  it('says the account lacks the reports scope when generating is refused', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation((input) => {
      const request = input as Request;
      if (request.method === 'POST') {
        return Promise.resolve(
          jsonResponse({ error: 'forbidden', detail: 'this needs the scope otelbi.reports' }, 403, {
            'x-trace-id': 'abc123',
          }),
        );
      }
      return Promise.resolve(pageResponse([]));
    });
    renderWithProviders(<ReportsPage />, { path: '/reports' });
    expect(await screen.findByText('No report has been generated yet')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('generate-report'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Your account lacks the reports scope.');
    expect(within(alert).getByTestId('trace-id')).toHaveTextContent('abc123');
  });
});
