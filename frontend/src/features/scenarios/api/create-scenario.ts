/**
 * Creating a what-if scenario: POST /api/wwi/scenarios with an Idempotency-Key, so that a
 * retried or doubled submission stores one scenario. The new scenario seeds its detail query
 * (the detail page shows it without asking again) and the saved list is refetched.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, request } from '@/api/client';
import { wwiQueries } from '@/api/queries/wwi';
import type { components } from '@/api/schema';

export type ScenarioRequest = components['schemas']['ScenarioRequest'];
export type Scenario = components['schemas']['Scenario'];

/** Every saved-scenario list page lives under this key. */
const SCENARIO_LISTS = ['wwi', 'scenarios', 'list'];

export interface CreateScenarioVariables {
  body: ScenarioRequest;
  /** One per submission: the same for its retries, new when the form's values change. */
  idempotencyKey: string;
}

/** Return a new Idempotency-Key (a random UUID, also outside a secure context). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Store a scenario; the promise gives it back with every item's result. */
export function createScenario({ body, idempotencyKey }: CreateScenarioVariables): Promise<Scenario> {
  return request(
    'Running the what-if scenario',
    api.POST('/api/wwi/scenarios', {
      body,
      params: { header: { 'Idempotency-Key': idempotencyKey } },
    }),
  );
}

export function useCreateScenario() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createScenario,
    onSuccess: async (scenario) => {
      queryClient.setQueryData(wwiQueries.scenario(scenario.id).queryKey, scenario);
      await queryClient.invalidateQueries({ queryKey: SCENARIO_LISTS });
    },
  });
}
