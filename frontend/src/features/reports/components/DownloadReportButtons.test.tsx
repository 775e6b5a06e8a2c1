import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Report } from '@/api/queries/operations';
import { DownloadReportButtons } from '@/features/reports/components/DownloadReportButtons';
import { renderWithProviders } from '@/test/render';

const report: Report = {
  report_id: '20261204T052453Z-e447a536',
  title: 'Pack for finance',
  created_at: '2026-12-04T05:24:53.100000',
  created_by: 'alice',
  days_back: 90,
  xlsx_path: '/reports/2026/12/otelbi-report-20261204T052453Z-e447a536.xlsx',
  pdf_path: '/reports/2026/12/otelbi-report-20261204T052453Z-e447a536.pdf',
  bytes: { xlsx: 56500, pdf: 150400 },
  sha256: { xlsx: 'a'.repeat(64), pdf: 'b'.repeat(64) },
  downloads: {},
  duration_ms: 2800,
  trace_id: null,
  execution_id: null,
};

describe('DownloadReportButtons', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('fetches the file through the API and saves it under the name the server gives', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response('%PDF-1.7', {
        status: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': 'attachment; filename="otelbi-report-20261204T052453Z-e447a536.pdf"',
        },
      }),
    );
    const createObjectURL = vi.fn(() => 'blob:report');
    // jsdom has no object URLs; each test file runs in its own environment.
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    let saved: string | null = null;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved = this.download;
    });

    renderWithProviders(<DownloadReportButtons report={report} />);
    await userEvent.click(screen.getByTestId('download-pdf'));

    await waitFor(() => {
      expect(saved).toBe('otelbi-report-20261204T052453Z-e447a536.pdf');
    });
    const request = fetchSpy.mock.calls[0]?.[0] as Request;
    expect(new URL(request.url).pathname).toBe('/api/reports/20261204T052453Z-e447a536/pdf');
    expect(createObjectURL).toHaveBeenCalledOnce();
  });
});
