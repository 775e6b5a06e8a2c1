import { Anchor, Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { parseAsInteger, parseAsNumberLiteral, useQueryStates } from 'nuqs';
import { Link } from 'react-router';

import { wwiQueries } from '@/api/queries/wwi';
import type { components } from '@/api/schema';
import { QueryView } from '@/components/QueryView';
import { DataTable } from '@/components/table/DataTable';
import { formatMoment } from '@/formatting/dates';
import { formatCount } from '@/formatting/numbers';
import { describeParameters } from '@/features/scenarios/components/scenario-text';
import classes from '@/features/scenarios/components/scenarios.module.css';
import { ValueChange } from '@/features/scenarios/components/ValueChange';

type ScenarioHeader = components['schemas']['ScenarioHeader'];

export const PAGE_SIZES = [10, 20, 50] as const;
const DEFAULT_PAGE_SIZE = 20;

const listParams = {
  limit: parseAsNumberLiteral(PAGE_SIZES).withDefault(DEFAULT_PAGE_SIZE),
  offset: parseAsInteger.withDefault(0),
};

const column = createColumnHelper<ScenarioHeader>();

const COLUMNS = [
  column.accessor('name', {
    header: 'Scenario',
    cell: (info) => (
      <Stack gap={0}>
        <Anchor component={Link} to={`/wwi/scenarios/${info.row.original.id}`} size="sm" fw={500}>
          {info.getValue()}
        </Anchor>
        <Text span size="xs" c="dimmed">
          {describeParameters(info.row.original)}
        </Text>
      </Stack>
    ),
  }),
  column.accessor((row) => row.summary.difference.total_order_value, {
    id: 'difference',
    header: 'Order value vs today',
    meta: { numeric: true },
    cell: (info) => <ValueChange value={info.getValue()} />,
  }),
  column.accessor('created_by', { header: 'Created by' }),
  column.accessor('created_at', {
    header: 'Created',
    cell: (info) => <span className={classes.moment}>{formatMoment(info.getValue())}</span>,
  }),
];

/** The stored scenarios, newest first, a page at a time (limit and offset in the URL). */
export function SavedScenarios() {
  const [{ limit, offset }, setParams] = useQueryStates(listParams);
  const start = Math.max(0, offset);
  const query = useQuery({ ...wwiQueries.scenarios(limit, start), placeholderData: keepPreviousData });
  const hasOlder = (query.data?.items.length ?? 0) >= limit;
  return (
    <section aria-labelledby="saved-scenarios-heading">
      <div className={classes.sectionHead}>
        <Title order={2} size="h4" id="saved-scenarios-heading">
          Saved scenarios
        </Title>
        <NativeSelect
          label="Per page"
          size="xs"
          value={String(limit)}
          data={PAGE_SIZES.map((n) => String(n))}
          onChange={(event) => {
            const next = Number(event.currentTarget.value) as (typeof PAGE_SIZES)[number];
            void setParams({ limit: next === DEFAULT_PAGE_SIZE ? null : next, offset: null });
          }}
        />
      </div>
      <QueryView
        query={query}
        what="the saved scenarios"
        loadingHeight={200}
        empty={(page) =>
          page.items.length > 0
            ? null
            : start === 0
              ? { title: 'No saved scenarios yet', hint: 'Run one with the form: it is saved here with your name.' }
              : { title: 'No older scenarios', hint: 'This page is past the last saved scenario.' }
        }
      >
        {(page) => (
          <div data-testid="saved-scenarios">
            <DataTable
              data={page.items}
              columns={COLUMNS}
              caption={`Saved what-if scenarios ${formatCount(start + 1)} to ${formatCount(start + page.items.length)}, newest first`}
              getRowId={(row) => String(row.id)}
            />
          </div>
        )}
      </QueryView>
      {start > 0 || hasOlder ? (
        <div className={classes.pager}>
          <Text size="sm" c="dimmed" className="figures">
            {query.data && query.data.items.length > 0
              ? `${formatCount(start + 1)}–${formatCount(start + query.data.items.length)}`
              : null}
          </Text>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconChevronLeft size={14} aria-hidden />}
              disabled={start === 0}
              onClick={() => void setParams({ offset: Math.max(0, start - limit) || null })}
            >
              Newer
            </Button>
            <Button
              size="xs"
              variant="default"
              rightSection={<IconChevronRight size={14} aria-hidden />}
              disabled={!hasOlder}
              onClick={() => void setParams({ offset: start + limit })}
            >
              Older
            </Button>
          </Group>
        </div>
      ) : null}
    </section>
  );
}
