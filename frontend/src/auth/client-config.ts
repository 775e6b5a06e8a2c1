import { queryOptions, useQuery } from '@tanstack/react-query';

import { api, request } from '@/api/client';

/** The identity provider settings the gateway serves at run time (GET /api/config). */
export const clientConfigQuery = queryOptions({
  queryKey: ['config'],
  queryFn: ({ signal }) => request('Loading the sign-in settings', api.GET('/api/config', { signal })),
  staleTime: Infinity,
});

export function useClientConfig() {
  return useQuery(clientConfigQuery);
}
