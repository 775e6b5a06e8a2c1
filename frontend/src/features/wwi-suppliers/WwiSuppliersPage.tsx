import { Card, List, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { parseAsNumberLiteral, useQueryState } from 'nuqs';

import { downloadExport } from '@/api/download';
import { wwiQueries } from '@/api/queries/wwi';
import { ExportButtons } from '@/components/ExportButtons';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { formatDay } from '@/formatting/dates';
import { formatCount } from '@/formatting/numbers';
import { ScoreChart } from '@/features/wwi-suppliers/components/ScoreChart';
import { SupplierTable } from '@/features/wwi-suppliers/components/SupplierTable';
import classes from '@/features/wwi-suppliers/components/suppliers.module.css';

export const TOP_N_CHOICES = [10, 25, 100] as const;
const DEFAULT_TOP_N = 25;

/** WideWorldImporters suppliers: whom purchasing can rely on, by fill rate, punctuality and delay. */
export function WwiSuppliersPage() {
  const [topN, setTopN] = useQueryState('top', parseAsNumberLiteral(TOP_N_CHOICES).withDefault(DEFAULT_TOP_N));
  const query = useQuery(wwiQueries.supplierScores(topN));
  const empty = (data: { suppliers: unknown[] }) =>
    data.suppliers.length === 0
      ? { title: 'No suppliers to score', hint: 'No supplier has purchase order lines in the warehouse.' }
      : null;
  return (
    <Stack gap="lg">
      <PageHeader
        title="Suppliers"
        question="Whom can we rely on? WideWorldImporters suppliers ranked by fill rate, on-time delivery and delay."
        asOf={query.data?.as_of}
        actions={
          <ExportButtons
            what="the supplier scores"
            download={(format) =>
              downloadExport('/api/wwi/export/supplier-scores', format, { top_n: topN }, 'Supplier scores export')
            }
          />
        }
      />
      <div className={classes.controls}>
        <NativeSelect
          label="Suppliers shown"
          value={String(topN)}
          data={TOP_N_CHOICES.map((n) => ({ value: String(n), label: `Best ${n}` }))}
          onChange={(event) => {
            const next = Number(event.currentTarget.value) as (typeof TOP_N_CHOICES)[number];
            void setTopN(next === DEFAULT_TOP_N ? null : next);
          }}
          data-testid="suppliers-top-n"
        />
        {query.data ? (
          <Text size="sm" c="dimmed" pb={6} data-testid="suppliers-count">
            {query.data.suppliers.length < topN
              ? `All ${formatCount(query.data.suppliers.length)} suppliers with purchase order lines`
              : `The best ${formatCount(topN)} suppliers${topN === TOP_N_CHOICES.at(-1) ? '' : ': show more to see the rest'}`}
          </Text>
        ) : null}
      </div>
      <div className={classes.panels}>
        <Card withBorder radius="md" padding="md" component="section" aria-labelledby="score-chart-heading">
          <Title order={2} size="h4" id="score-chart-heading" mb="xs">
            Score per supplier
          </Title>
          <QueryView query={query} what="the supplier scores" loadingHeight={240} empty={empty}>
            {(data) => <ScoreChart suppliers={data.suppliers} />}
          </QueryView>
        </Card>
        <Card withBorder radius="md" padding="md" component="section" aria-labelledby="score-meaning-heading">
          <Title order={2} size="h4" id="score-meaning-heading" mb="xs">
            How the score is made
          </Title>
          <Text size="sm" mb="xs">
            A 0–100 blend of the supplier&apos;s purchase order lines up to the last purchase date:
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>
              <b>50 % on time</b>: received lines that arrived by order date + the item&apos;s lead time.
            </List.Item>
            <List.Item>
              <b>30 % fill rate</b>: outers received ÷ outers ordered, over finalized lines (open lines are not counted).
            </List.Item>
            <List.Item>
              <b>20 % delay</b>: full marks for no average delay, nothing at 14 days late or more.
            </List.Item>
          </List>
          <Text size="sm" c="dimmed" mt="xs">
            A part without evidence (no received or finalized lines) is left out and the others weigh more.
            Few lines make a score fragile: check the counts in the table.
          </Text>
        </Card>
      </div>
      <section aria-labelledby="suppliers-table-heading">
        <Title order={2} size="h4" id="suppliers-table-heading" mb="xs">
          The figures behind each score
        </Title>
        <QueryView query={query} what="the supplier scores" loadingHeight={240} empty={empty}>
          {(data) => (
            <SupplierTable
              suppliers={data.suppliers}
              caption={`Suppliers ranked by score, best ${topN}, as of ${formatDay(data.as_of)}`}
            />
          )}
        </QueryView>
      </section>
    </Stack>
  );
}
