import { QueryClient } from '@tanstack/react-query';

import { ApiError } from '@/api/api-error';

/**
 * Server state: the warehouses change once a day, so views stay fresh for a minute; a
 * refused request (4xx) is never retried, a dependency that is down (5xx, network) once.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          failures < 1 && (!(error instanceof ApiError) || error.retryable),
      },
      mutations: { retry: false },
    },
  });
}
