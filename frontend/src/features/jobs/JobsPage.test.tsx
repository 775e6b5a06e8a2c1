import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { JobExecution, JobSchedule } from '@/api/queries/operations';
import { JobsPage } from '@/features/jobs/JobsPage';
import { formatMoment } from '@/formatting/dates';
import { jsonResponse, pageResponse, renderWithProviders } from '@/test/render';

const schedules: JobSchedule[] = [
  { job_id: 'aw.daily.forecast', cron: '0 2 * * *', description: 'daily internet-revenue forecast' },
  { job_id: 'aw.daily.data_quality', cron: '0 3 * * *', description: 'AdventureWorks data-quality checks' },
];

function execution(overrides: Partial<JobExecution>): JobExecution {
  return {
    id: 1,
    job_id: 'aw.daily.forecast',
    service: 'aw-service',
    scheduled_for: '2026-12-04T02:00:00Z',
    started_at: '2026-12-04T02:00:01Z',
    finished_at: '2026-12-04T02:00:02.5Z',
    status: 'succeeded',
    rows_written: 30,
    details: {},
    error: null,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    trigger: 'schedule',
    data_version: '5d41402abc4b2a76b9719d91',
    supersedes_execution_id: null,
    ...overrides,
  };
}

// The warehouse's data changed after the scheduled run 1: run 3 recomputes its snapshot.
const forecastScheduled = execution({ id: 1 });
const forecastRunning = execution({
  id: 3,
  scheduled_for: '2026-12-04T14:32:00Z',
  started_at: '2026-12-04T14:32:00Z',
  status: 'running',
  finished_at: null,
  rows_written: 0,
  trigger: 'data-change',
  supersedes_execution_id: 1,
});
const qualityFailed = execution({
  id: 2,
  job_id: 'aw.daily.data_quality',
  scheduled_for: '2026-12-04T03:00:00Z',
  trigger: 'run-now',
  status: 'failed',
  rows_written: 0,
  error: '1 data-quality check of severity error failed',
  details: {
    checks: [
      {
        name: 'aw.fact_internet_sales.row_count',
        severity: 'error',
        passed: true,
        observed: 59568,
        threshold: 1,
        comparison: '>=',
        description: 'FactInternetSales holds at least one row',
        error: null,
      },
      {
        name: 'aw.fact_internet_sales.orphan_product_key',
        severity: 'error',
        passed: false,
        observed: 12,
        threshold: 0,
        comparison: '<=',
        description: 'every FactInternetSales.ProductKey is set and found in DimProduct',
        error: null,
      },
    ],
    errors_failed: 1,
    warnings: 0,
  },
});

type Route = (url: URL, method: string) => Response | undefined;

function serve(extra: Route = () => undefined) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    const request = input instanceof Request ? input : new Request(String(input));
    const url = new URL(request.url);
    const answer =
      extra(url, request.method) ??
      (url.pathname === '/api/aw/jobs'
        ? pageResponse(schedules)
        : url.pathname === '/api/jobs/aw'
          ? pageResponse(
              [forecastRunning, qualityFailed, forecastScheduled].filter(
                (run) => (url.searchParams.get('job_id') ?? run.job_id) === run.job_id,
              ),
            )
          : jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404));
    return Promise.resolve(answer);
  });
}

function historyRow(runId: number): HTMLElement {
  const found = within(screen.getByTestId('job-history'))
    .getAllByTestId('job-run')
    .find((row) => row.getAttribute('data-run-id') === String(runId));
  if (found === undefined) throw new Error(`no row for run ${runId}`);
  return found;
}

function card(jobId: string): HTMLElement {
  const found = screen
    .getAllByTestId('job-card')
    .find((element) => element.getAttribute('data-job-id') === jobId);
  if (found === undefined) throw new Error(`no card for ${jobId}`);
  return found;
}

// Whole pages render slowly on a busy machine: wait longer than the defaults (1 s, 5 s).
configure({ asyncUtilTimeout: 5000 });

describe('JobsPage', { timeout: 20_000 }, () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('disables Run now for a job while it has a running execution, not for the others', async () => {
    serve();
    renderWithProviders(<JobsPage />, { path: '/jobs' });
    await waitFor(() => {
      expect(within(card('aw.daily.forecast')).getByTestId('job-status')).toHaveAttribute('data-status', 'running');
    });
    expect(within(card('aw.daily.forecast')).getByTestId('run-now')).toBeDisabled();
    await waitFor(() => {
      expect(within(card('aw.daily.data_quality')).getByTestId('job-status')).toHaveAttribute('data-status', 'failed');
    });
    expect(within(card('aw.daily.data_quality')).getByTestId('run-now')).toBeEnabled();
    expect(within(card('aw.daily.forecast')).getByTestId('job-schedule')).toHaveTextContent('Daily at 02:00 UTC');
  });

  it('runs a job after a confirmation, and reads the history again', async () => {
    const fetchSpy = serve((url, method) =>
      method === 'POST' && url.pathname === '/api/jobs/aw/aw.daily.data_quality/run'
        ? jsonResponse({ execution_id: 9, job_id: 'aw.daily.data_quality', status: 'running' }, 202)
        : undefined,
    );
    renderWithProviders(<JobsPage />, { path: '/jobs' });
    const quality = await waitFor(() => {
      const element = card('aw.daily.data_quality');
      expect(within(element).getByTestId('run-now')).toBeEnabled();
      return element;
    });
    const historyReads = () =>
      fetchSpy.mock.calls.filter(([input]) => input instanceof Request && input.url.includes('job_id=aw.daily.data_quality')).length;
    const before = historyReads();

    await userEvent.click(within(quality).getByTestId('run-now'));
    expect(fetchSpy.mock.calls.some(([input]) => input instanceof Request && input.method === 'POST')).toBe(false);
    await userEvent.click(await screen.findByTestId('run-now-confirm'));

    await waitFor(() => {
      expect(within(quality).getByText('Run 9 started.')).toBeInTheDocument();
    });
    await waitFor(() => {
      expect(historyReads()).toBeGreaterThan(before);
    });
  });

  it('says the account lacks the scope when running a job is refused', async () => {
    serve((_url, method) =>
      method === 'POST'
        ? jsonResponse({ error: 'forbidden', detail: 'this needs the scope otelbi.jobs.run' }, 403, {
            'x-trace-id': 'abc123',
          })
        : undefined,
    );
    renderWithProviders(<JobsPage />, { path: '/jobs' });
    const quality = await waitFor(() => {
      const element = card('aw.daily.data_quality');
      expect(within(element).getByTestId('run-now')).toBeEnabled();
      return element;
    });
    await userEvent.click(within(quality).getByTestId('run-now'));
    await userEvent.click(await screen.findByTestId('run-now-confirm'));
    const error = await within(quality).findByTestId('run-now-error');
    expect(error).toHaveTextContent('Your account lacks the scope to run jobs.');
    expect(error).toHaveTextContent('abc123');
  });

  it('says why each run ran, and for a data-change run which run it recomputed', async () => {
    serve();
    renderWithProviders(<JobsPage />, { path: '/jobs' });
    await screen.findByTestId('job-history');
    const recomputedRun = "The warehouse's data changed after run #1; this run recomputed its snapshots.";
    expect(within(historyRow(3)).getByTestId('job-trigger')).toHaveTextContent('Data changed');
    expect(within(historyRow(2)).getByTestId('job-trigger')).toHaveTextContent('Run now');
    expect(within(historyRow(1)).getByTestId('job-trigger')).toHaveTextContent('Scheduled');
    // The tick matters for a scheduled run only: the others ran when they were asked for.
    expect(within(historyRow(1)).getByTestId('run-scheduled-for')).toHaveTextContent(
      `for ${formatMoment('2026-12-04T02:00:00Z')}`,
    );
    expect(within(historyRow(3)).queryByTestId('run-scheduled-for')).toBeNull();
    await waitFor(() => {
      expect(within(card('aw.daily.forecast')).getByTestId('job-trigger')).toHaveTextContent('Data changed');
    });

    await userEvent.hover(within(historyRow(3)).getByTestId('job-trigger'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(recomputedRun);

    await userEvent.click(within(historyRow(3)).getByRole('button', { name: 'Show the details of run 3' }));
    expect(await screen.findByTestId('run-trigger-explanation')).toHaveTextContent(recomputedRun);
  });

  it('shows a run’s data-quality checks, the failed ones first', async () => {
    serve();
    renderWithProviders(<JobsPage />, { path: '/jobs' });
    await screen.findByTestId('job-history');
    const failedRow = historyRow(2);
    expect(within(failedRow).getByTestId('quality-counts')).toHaveTextContent('1 passed · 1 failed');
    expect(within(failedRow).getByTestId('run-error')).toHaveTextContent('1 data-quality check of severity error failed');

    await userEvent.click(within(failedRow).getByRole('button', { name: 'Show the details of run 2' }));
    const checks = await screen.findByTestId('quality-checks');
    const shown = within(checks).getAllByTestId('quality-check');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toHaveAttribute('data-passed', 'false');
    expect(shown[0]).toHaveTextContent('Every FactInternetSales.ProductKey is set and found in DimProduct');

    await userEvent.click(within(checks).getByRole('button', { name: 'Show the 1 passed check' }));
    expect(within(checks).getAllByTestId('quality-check')).toHaveLength(2);
  });
});
