import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { NuqsTestingAdapter } from 'nuqs/adapters/testing';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';

/** Render `ui` with the app's providers; `searchParams` is the URL's query ("?days=30"). */
export function renderWithProviders(
  ui: ReactElement,
  { searchParams = '', path = '/' }: { searchParams?: string; path?: string } = {},
): RenderResult & { queryClient: QueryClient } {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const result = render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[`${path}${searchParams}`]}>
          <NuqsTestingAdapter searchParams={searchParams}>{ui}</NuqsTestingAdapter>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, queryClient };
}

/** A JSON Response as the API would send it. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** An offset-paged list as the API answers it, every item on the one page. */
export function pageResponse(items: readonly unknown[]) {
  return jsonResponse({ items, limit: Math.max(items.length, 1), offset: 0, total: items.length });
}
