/** Query options for the WideWorldImporters views: one per API route, shared by every page. */
import { queryOptions } from '@tanstack/react-query';

import { api, request } from '@/api/client';
import type { components } from '@/api/schema';

export type Urgency = components['schemas']['Urgency'];
export type EventType = components['schemas']['EventType'];

export const wwiQueries = {
  kpis: (daysBack: number) =>
    queryOptions({
      queryKey: ['wwi', 'sales', 'kpis', daysBack],
      queryFn: ({ signal }) =>
        request(
          'WideWorldImporters sales KPIs',
          api.GET('/api/wwi/sales/kpis', { params: { query: { days_back: daysBack } }, signal }),
        ),
    }),
  recommendations: (urgency: Urgency | null) =>
    queryOptions({
      queryKey: ['wwi', 'stock', 'recommendations', urgency],
      queryFn: ({ signal }) =>
        request(
          'WideWorldImporters reorder recommendations',
          api.GET('/api/wwi/stock/recommendations', {
            params: { query: urgency === null ? {} : { urgency } },
            signal,
          }),
        ),
    }),
  supplierScores: (topN: number) =>
    queryOptions({
      queryKey: ['wwi', 'suppliers', 'scores', topN],
      queryFn: ({ signal }) =>
        request(
          'WideWorldImporters supplier scores',
          api.GET('/api/wwi/suppliers/scores', { params: { query: { top_n: topN } }, signal }),
        ),
    }),
  events: (openOnly: boolean, eventType: EventType | null, limit: number) =>
    queryOptions({
      queryKey: ['wwi', 'events', openOnly, eventType, limit],
      queryFn: ({ signal }) =>
        request(
          'WideWorldImporters stock events',
          api.GET('/api/wwi/events', {
            params: {
              query: { open: openOnly, limit, ...(eventType === null ? {} : { event_type: eventType }) },
            },
            signal,
          }),
        ),
    }),
  scenarios: (limit: number, offset: number) =>
    queryOptions({
      queryKey: ['wwi', 'scenarios', 'list', limit, offset],
      queryFn: ({ signal }) =>
        request(
          'What-if scenarios',
          api.GET('/api/wwi/scenarios', { params: { query: { limit, offset } }, signal }),
        ),
    }),
  scenario: (scenarioId: number) =>
    queryOptions({
      queryKey: ['wwi', 'scenarios', 'detail', scenarioId],
      queryFn: ({ signal }) =>
        request(
          `What-if scenario ${scenarioId}`,
          api.GET('/api/wwi/scenarios/{scenario_id}', {
            params: { path: { scenario_id: scenarioId } },
            signal,
          }),
        ),
    }),
};
