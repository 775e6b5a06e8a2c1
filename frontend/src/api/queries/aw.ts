/** Query options for the AdventureWorks views: one per API route, shared by every page. */
import { queryOptions } from '@tanstack/react-query';

import { api, request } from '@/api/client';
import type { components } from '@/api/schema';

export type Grain = components['schemas']['Grain'];

export const awQueries = {
  kpis: (daysBack: number) =>
    queryOptions({
      queryKey: ['aw', 'sales', 'kpis', daysBack],
      queryFn: ({ signal }) =>
        request(
          'AdventureWorks sales KPIs',
          api.GET('/api/aw/sales/kpis', { params: { query: { days_back: daysBack } }, signal }),
        ),
    }),
  history: (daysBack: number, grain: Grain) =>
    queryOptions({
      queryKey: ['aw', 'sales', 'history', daysBack, grain],
      queryFn: ({ signal }) =>
        request(
          'AdventureWorks sales history',
          api.GET('/api/aw/sales/history', {
            params: { query: { days_back: daysBack, grain } },
            signal,
          }),
        ),
    }),
  forecast: (horizonDays: number) =>
    queryOptions({
      queryKey: ['aw', 'sales', 'forecast', horizonDays],
      queryFn: ({ signal }) =>
        request(
          'AdventureWorks revenue forecast',
          api.GET('/api/aw/sales/forecast', {
            params: { query: { horizon_days: horizonDays } },
            signal,
          }),
        ),
    }),
  repScores: (topN: number, daysBack: number | null) =>
    queryOptions({
      queryKey: ['aw', 'reps', 'scores', topN, daysBack],
      queryFn: ({ signal }) =>
        request(
          'AdventureWorks sales-rep scores',
          api.GET('/api/aw/reps/scores', {
            params: { query: { top_n: topN, ...(daysBack === null ? {} : { days_back: daysBack }) } },
            signal,
          }),
        ),
    }),
  productDemand: (topN: number, daysBack: number | null) =>
    queryOptions({
      queryKey: ['aw', 'products', 'demand', topN, daysBack],
      queryFn: ({ signal }) =>
        request(
          'AdventureWorks product demand',
          api.GET('/api/aw/products/demand', {
            params: { query: { top_n: topN, ...(daysBack === null ? {} : { days_back: daysBack }) } },
            signal,
          }),
        ),
    }),
};
