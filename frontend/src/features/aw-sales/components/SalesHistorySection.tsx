import { Badge, Card, Group, NativeSelect, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useQueryStates } from 'nuqs';
import { useMemo } from 'react';

import { downloadExport } from '@/api/download';
import type { components } from '@/api/schema';
import { Chart } from '@/components/chart/Chart';
import { ExportButtons } from '@/components/ExportButtons';
import { KpiTile } from '@/components/KpiTile';
import { QueryView } from '@/components/QueryView';
import { DataTable } from '@/components/table/DataTable';
import { formatDay } from '@/formatting/dates';
import { formatCount, formatCurrency, formatPercent } from '@/formatting/numbers';
import {
  historyOption,
  historyTotals,
  partialPeriods,
  periodLabel,
  windowStart,
} from '@/features/aw-sales/components/history-chart';
import { LabelledSegments } from '@/features/aw-sales/components/LabelledSegments';
import classes from '@/features/aw-sales/components/sales.module.css';
import { TableToggle } from '@/features/aw-sales/components/TableToggle';
import {
  DEFAULT_GRAIN,
  DEFAULT_LAYOUT,
  DEFAULT_WINDOW,
  GRAINS,
  HISTORY_WINDOWS,
  type HistoryWindow,
  type Layout,
  salesParams,
  WINDOW_LABELS,
} from '@/features/aw-sales/sales-params';

type SalesHistory = components['schemas']['SalesHistory'];
type HistoryPoint = components['schemas']['HistoryPoint'];

const GRAIN_LABELS = { day: 'Day', week: 'Week', month: 'Month' } as const;
const GRAIN_NOUNS = { day: 'day', week: 'week', month: 'month' } as const;

/** Internet vs reseller revenue and orders over the chosen window, as chart and table. */
export function SalesHistorySection({ query }: { query: UseQueryResult<SalesHistory> }) {
  const [{ grain, days, layout }, setParams] = useQueryStates(salesParams);
  return (
    <section aria-labelledby="history-heading">
      <div className={classes.sectionHead}>
        <Title order={2} size="h4" id="history-heading">
          Revenue by channel
        </Title>
        <ExportButtons
          what="the sales history"
          download={(format) =>
            downloadExport(
              '/api/aw/export/sales-history',
              format,
              { days_back: days, grain },
              'AdventureWorks sales history export',
            )
          }
        />
      </div>
      <div className={classes.controls}>
        <NativeSelect
          label="Window"
          value={String(days)}
          data={HISTORY_WINDOWS.map((d) => ({ value: String(d), label: WINDOW_LABELS[d] }))}
          onChange={(event) => {
            const next = Number(event.currentTarget.value) as HistoryWindow;
            void setParams({ days: next === DEFAULT_WINDOW ? null : next });
          }}
          data-testid="history-window"
        />
        <LabelledSegments
          label="One bar per"
          value={grain}
          data={GRAINS.map((g) => ({ value: g, label: GRAIN_LABELS[g] }))}
          onChange={(next) => void setParams({ grain: next === DEFAULT_GRAIN ? null : next })}
        />
        <LabelledSegments<Layout>
          label="Channels"
          value={layout}
          data={[
            { value: 'stacked', label: 'Stacked' },
            { value: 'side', label: 'Side by side' },
          ]}
          onChange={(next) => void setParams({ layout: next === DEFAULT_LAYOUT ? null : next })}
        />
      </div>
      <Stack gap="md" mt="md">
        <QueryView
          query={query}
          what="the sales history"
          loadingHeight={420}
          empty={(history) =>
            history.points.every((p) => p.revenue === 0 && p.orders === 0)
              ? {
                  title: 'No sales in this window',
                  hint: `AdventureWorks recorded no orders between ${formatDay(windowStart(history))} and ${formatDay(history.as_of)}. Choose a longer window.`,
                }
              : null
          }
        >
          {(history) => <HistoryBody history={history} layout={layout} />}
        </QueryView>
      </Stack>
    </section>
  );
}

function HistoryBody({ history, layout }: { history: SalesHistory; layout: Layout }) {
  const totals = useMemo(() => historyTotals(history.points), [history.points]);
  const partial = useMemo(() => partialPeriods(history), [history]);
  const option = useMemo(() => historyOption(history, layout), [history, layout]);
  const columns = useMemo(() => historyColumns(history, partial), [history, partial]);
  const share = (part: number) => (totals.revenue > 0 ? (part / totals.revenue) * 100 : null);
  const noun = GRAIN_NOUNS[history.grain];
  const from = formatDay(windowStart(history));
  const to = formatDay(history.as_of);
  return (
    <>
      <div className={classes.tiles}>
        <KpiTile
          testId="history-revenue"
          label="Revenue"
          value={formatCurrency(totals.revenue, { compact: true })}
          exact={formatCurrency(totals.revenue)}
          footer={<Text size="xs" c="dimmed">{from} – {to}</Text>}
        />
        <KpiTile
          testId="history-internet"
          label="Internet"
          value={formatCurrency(totals.internet, { compact: true })}
          exact={formatCurrency(totals.internet)}
          footer={<Text size="xs" c="dimmed">{formatPercent(share(totals.internet))} of revenue</Text>}
        />
        <KpiTile
          testId="history-reseller"
          label="Reseller"
          value={formatCurrency(totals.reseller, { compact: true })}
          exact={formatCurrency(totals.reseller)}
          footer={<Text size="xs" c="dimmed">{formatPercent(share(totals.reseller))} of revenue</Text>}
        />
        <KpiTile
          testId="history-orders"
          label="Orders"
          value={formatCount(totals.orders, { compact: true })}
          exact={formatCount(totals.orders)}
          footer={
            <Text size="xs" c="dimmed">
              {formatCurrency(totals.orders > 0 ? totals.revenue / totals.orders : null)} per order
            </Text>
          }
        />
      </div>
      <Card withBorder radius="md" padding="sm">
        <Text fw={600} size="sm" id="history-chart-title">
          Revenue per {noun} by channel, and orders · {from} – {to}
        </Text>
        <Chart
          option={option}
          height={380}
          label={`Internet and reseller revenue per ${noun} with orders, ${history.points.length} ${noun}s from ${from} to ${to}; the same figures are in the table below.`}
        />
        {partial.size > 0 ? (
          <Text size="xs" c="dimmed" mt={4} data-testid="history-partial-note">
            The {[...partial].map((date) => (date === history.points[0]?.date ? 'first' : 'last')).join(' and ')}{' '}
            {noun}
            {partial.size > 1 ? 's are' : ' is'} partial: the window runs from {from} to {to}.
          </Text>
        ) : null}
      </Card>
      <TableToggle urlKey="table" what={`the ${history.points.length} ${noun}s`} testId="history-table">
        <DataTable
          data={history.points}
          columns={columns}
          caption={`AdventureWorks revenue and orders per ${noun}, ${from} to ${to}`}
          urlKey="h"
          defaultSort="-date"
          getRowId={(row) => row.date}
        />
      </TableToggle>
    </>
  );
}

const column = createColumnHelper<HistoryPoint>();

function historyColumns(history: SalesHistory, partial: Set<string>) {
  return [
    column.accessor('date', {
      header: history.grain === 'day' ? 'Day' : history.grain === 'week' ? 'Week' : 'Month',
      cell: (info) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" span>
            {periodLabel(info.getValue(), history.grain)}
          </Text>
          {partial.has(info.getValue()) ? (
            <Tooltip label="Only the days inside the window are counted">
              <Badge size="xs" variant="light" color="gray">
                partial
              </Badge>
            </Tooltip>
          ) : null}
        </Group>
      ),
    }),
    column.accessor('internet_revenue', {
      header: 'Internet',
      cell: (info) => formatCurrency(info.getValue()),
      meta: { numeric: true },
    }),
    column.accessor('reseller_revenue', {
      header: 'Reseller',
      cell: (info) => formatCurrency(info.getValue()),
      meta: { numeric: true },
    }),
    column.accessor('revenue', {
      header: 'Total revenue',
      cell: (info) => formatCurrency(info.getValue()),
      meta: { numeric: true },
    }),
    column.accessor('orders', {
      header: 'Orders',
      cell: (info) => formatCount(info.getValue()),
      meta: { numeric: true },
    }),
    column.accessor((row) => (row.orders > 0 ? row.revenue / row.orders : undefined), {
      id: 'average_order',
      header: 'Average order',
      cell: (info) => formatCurrency(info.getValue()),
      meta: { numeric: true },
      sortUndefined: 'last',
    }),
  ];
}
