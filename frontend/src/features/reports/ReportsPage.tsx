import { Stack, Text, Title } from '@mantine/core';
import { useMutationState, useQuery } from '@tanstack/react-query';

import { operationsQueries, type Report } from '@/api/queries/operations';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { GENERATE_REPORT_KEY } from '@/features/reports/api/generate-report';
import { GenerateForm } from '@/features/reports/components/GenerateForm';
import { ReportList } from '@/features/reports/components/ReportList';

/** Reports listed: enough for months of weekly packs and the ones made by hand. */
const LIST_LIMIT = 50;

export function ReportsPage() {
  const reports = useQuery(operationsQueries.reports(LIST_LIMIT));
  // The report generated in this visit, marked in the list.
  const generated = useMutationState({
    filters: { mutationKey: GENERATE_REPORT_KEY, status: 'success' },
    select: (mutation) => mutation.state.data as Report | undefined,
  });
  const newId = generated.at(-1)?.report_id ?? null;

  return (
    <Stack gap="lg">
      <PageHeader
        title="Reports"
        question="Give me the weekly pack: every view of both warehouses in one XLSX and one PDF."
      />
      <section aria-labelledby="generate-heading">
        <Title order={2} size="h4" id="generate-heading" mb="xs">
          Generate a report
        </Title>
        <GenerateForm />
      </section>
      <section aria-labelledby="reports-heading">
        <Title order={2} size="h4" id="reports-heading" mb="xs">
          Generated reports
        </Title>
        <QueryView
          query={reports}
          what="the report list"
          loadingHeight={200}
          empty={(data) =>
            data.items.length === 0
              ? {
                  title: 'No report has been generated yet',
                  hint: 'Generate one above; the weekly report job on the gateway also writes them.',
                }
              : null
          }
        >
          {(data) => (
            <Stack gap="xs">
              <ReportList reports={data.items} newId={newId} />
              {data.total > data.items.length ? (
                <Text size="sm" c="dimmed">
                  The newest {data.items.length} of {data.total} reports.
                </Text>
              ) : null}
            </Stack>
          )}
        </QueryView>
      </section>
    </Stack>
  );
}
