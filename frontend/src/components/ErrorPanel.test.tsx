import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '@/api/api-error';
import { ErrorPanel } from '@/components/ErrorPanel';
import { renderWithProviders } from '@/test/render';

const unavailable = new ApiError({
  status: 503,
  kind: 'unavailable',
  detail: 'the WideWorldImporters warehouse is not available',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  operation: 'WideWorldImporters sales KPIs',
});

describe('ErrorPanel', () => {
  it('names what failed, which dependency is down and the trace id to report', () => {
    renderWithProviders(<ErrorPanel error={unavailable} />);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'WideWorldImporters sales KPIs: a system it needs is down',
    );
    expect(screen.getByText('the WideWorldImporters warehouse is not available')).toBeInTheDocument();
    expect(screen.getByTestId('trace-id')).toHaveTextContent('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('offers a retry for a dependency that is down, not for a refused request', async () => {
    const retry = vi.fn();
    const { unmount } = renderWithProviders(<ErrorPanel error={unavailable} onRetry={retry} />);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledOnce();
    unmount();

    const refused = new ApiError({
      status: 422,
      kind: 'invalid_input',
      detail: 'days_back: too big',
      traceId: null,
      operation: 'WideWorldImporters sales KPIs',
    });
    renderWithProviders(<ErrorPanel error={refused} onRetry={retry} />);
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });
});
