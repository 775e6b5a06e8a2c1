/** Generating a full report (XLSX + PDF of every view); the list is read again after. */
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, request } from '@/api/client';
import { operationsKeys } from '@/api/queries/operations';
import type { components } from '@/api/schema';

export type ReportParameters = components['schemas']['ReportParameters'];

/** Identifies the generation among mutations, for the page that marks the new report. */
export const GENERATE_REPORT_KEY = [...operationsKeys.reports, 'generate'] as const;

export function useGenerateReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: GENERATE_REPORT_KEY,
    mutationFn: (parameters: ReportParameters) =>
      request('Generating the report', api.POST('/api/reports/generate', { body: parameters })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: operationsKeys.reports }),
  });
}
