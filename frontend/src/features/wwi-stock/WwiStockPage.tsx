import { CloseButton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useQueryStates } from 'nuqs';
import { useDeferredValue, useMemo } from 'react';

import { downloadExport } from '@/api/download';
import { type Urgency, wwiQueries } from '@/api/queries/wwi';
import type { components } from '@/api/schema';
import { EmptyState } from '@/components/EmptyState';
import { ExportButtons } from '@/components/ExportButtons';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { formatDay } from '@/formatting/dates';
import { formatCount, formatCurrency } from '@/formatting/numbers';
import { URGENCY_LABELS, URGENCY_MEANINGS } from '@/components/urgency/urgency';
import { RecommendationsTable } from '@/features/wwi-stock/components/RecommendationsTable';
import classes from '@/features/wwi-stock/components/stock.module.css';
import { countByUrgency, filterRecommendations, orderTotals } from '@/features/wwi-stock/components/stock-view';
import { UrgencyFilter } from '@/features/wwi-stock/components/UrgencyFilter';
import { stockParams } from '@/features/wwi-stock/stock-params';

type ReorderRecommendations = components['schemas']['ReorderRecommendations'];

/** WideWorldImporters stock: what must be ordered today, most urgent first. */
export function WwiStockPage() {
  // Every item once: the chips count all urgencies, and switching between them is instant.
  const query = useQuery(wwiQueries.recommendations(null));
  const [{ urgency }] = useQueryStates(stockParams);
  return (
    <Stack gap="lg">
      <PageHeader
        title="Stock to order"
        question="What must we order today? WideWorldImporters stock items by urgency, with the order in whole outers."
        asOf={query.data?.as_of}
        actions={
          <ExportButtons
            what={urgency === null ? 'the reorder recommendations' : `the ${URGENCY_LABELS[urgency].toLowerCase()} reorder recommendations`}
            download={(format) =>
              downloadExport(
                '/api/wwi/export/stock-recommendations',
                format,
                urgency === null ? {} : { urgency },
                'Reorder recommendations export',
              )
            }
          />
        }
      />
      <section aria-labelledby="recommendations-heading">
        <Title order={2} size="h4" id="recommendations-heading" mb="xs">
          Reorder recommendations
        </Title>
        <QueryView
          query={query}
          what="the reorder recommendations"
          loadingHeight={360}
          empty={(data) =>
            data.items.length === 0
              ? { title: 'No stock items', hint: 'The warehouse holds no stock items to recommend on.' }
              : null
          }
        >
          {(data) => <Recommendations data={data} />}
        </QueryView>
      </section>
    </Stack>
  );
}

function Recommendations({ data }: { data: ReorderRecommendations }) {
  const [{ urgency, q }, setParams] = useQueryStates(stockParams);
  const search = useDeferredValue(q);
  const matching = useMemo(() => filterRecommendations(data.items, null, search), [data.items, search]);
  const counts = useMemo(() => countByUrgency(matching), [matching]);
  const shown = useMemo(
    () => (urgency === null ? matching : matching.filter((item) => item.urgency === urgency)),
    [matching, urgency],
  );
  const totals = useMemo(() => orderTotals(shown), [shown]);
  const label = urgency === null ? null : URGENCY_LABELS[urgency].toLowerCase();

  function setUrgency(next: Urgency | null) {
    void setParams({ urgency: next, page: null });
  }

  return (
    <>
      <div className={classes.filters}>
        <UrgencyFilter value={urgency} counts={counts} onChange={setUrgency} />
        <TextInput
          className={classes.search}
          label="Search items"
          placeholder="Item name contains…"
          value={q}
          onChange={(event) => void setParams({ q: event.currentTarget.value || null, page: null })}
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={
            q === '' ? null : (
              <CloseButton
                size="sm"
                aria-label="Clear the search"
                onClick={() => void setParams({ q: null, page: null })}
              />
            )
          }
          data-testid="stock-search"
        />
      </div>
      {shown.length === 0 ? (
        <EmptyState title={`No ${label ?? ''}${label ? ' ' : ''}items${search.trim() ? ` matching “${search.trim()}”` : ''}`}>
          {search.trim()
            ? 'No item name contains that text. Clear the search or choose another urgency.'
            : urgency === null
              ? null
              : `${URGENCY_LABELS[urgency]} means ${URGENCY_MEANINGS[urgency]}. As of ${formatDay(data.as_of)}, no item is ${urgency === 'none' ? 'in this group' : label}.`}
        </EmptyState>
      ) : (
        <>
          <div className={classes.totals} data-testid="stock-totals" aria-live="polite">
            <Text size="sm">
              <Text span fw={700} data-testid="stock-items-needing-orders">
                {formatCount(totals.itemsNeedingOrders)}
              </Text>{' '}
              of {formatCount(shown.length)} {shown.length === 1 ? 'item needs' : 'items need'} an order
            </Text>
            <Text size="sm">
              Total order value{' '}
              <Text span fw={700} data-testid="stock-total-order-value">
                {formatCurrency(totals.totalOrderValue)}
              </Text>
            </Text>
            <Text size="sm" c="dimmed">
              {formatCount(totals.totalOrderQty)} units to order · demand averaged over the last {data.demand_window_days}{' '}
              days · open purchase orders count as arriving within the lead time
            </Text>
          </div>
          <RecommendationsTable
            items={shown}
            windowDays={data.demand_window_days}
            caption={`Reorder recommendations${label ? `, ${label} items` : ''}${search.trim() ? ` matching “${search.trim()}”` : ''}, as of ${formatDay(data.as_of)}`}
          />
        </>
      )}
    </>
  );
}
