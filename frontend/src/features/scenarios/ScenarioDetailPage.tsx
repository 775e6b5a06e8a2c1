import { Anchor, Badge, Button, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { parseAsBoolean, parseAsInteger, useQueryStates } from 'nuqs';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';

import { ApiError } from '@/api/api-error';
import { wwiQueries } from '@/api/queries/wwi';
import type { components } from '@/api/schema';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { formatMoment } from '@/formatting/dates';
import { formatCount } from '@/formatting/numbers';
import { ScenarioItemsTable } from '@/features/scenarios/components/ScenarioItemsTable';
import {
  formatDemandChange,
  formatItemScope,
  formatLeadTimeChange,
  isChanged,
} from '@/features/scenarios/components/scenario-text';
import classes from '@/features/scenarios/components/scenarios.module.css';
import { ScenarioTotals } from '@/features/scenarios/components/ScenarioTotals';

type Scenario = components['schemas']['Scenario'];

const QUESTION = 'What if demand or lead times change? This scenario against today’s reorder recommendations.';

function BackToList() {
  return (
    <Button
      component={Link}
      to="/wwi/scenarios"
      variant="default"
      leftSection={<IconArrowLeft size={16} aria-hidden />}
    >
      All scenarios
    </Button>
  );
}

function NoScenario({ id }: { id: string }) {
  return (
    <Stack gap="lg">
      <PageHeader title="What-if scenario" question={QUESTION} actions={<BackToList />} />
      <EmptyState title={`No scenario ${id}`}>
        There is no saved scenario with this number: the link may be mistyped.{' '}
        <Anchor component={Link} to="/wwi/scenarios" underline="always">
          See the saved scenarios
        </Anchor>
        .
      </EmptyState>
    </Stack>
  );
}

/** One saved scenario: its parameters, totals against today, and the items it changes. */
export function ScenarioDetailPage() {
  const { scenarioId = '' } = useParams();
  const id = /^\d{1,15}$/.test(scenarioId) ? Number(scenarioId) : null;
  return id === null ? <NoScenario id={scenarioId} /> : <ScenarioView id={id} />;
}

function ScenarioView({ id }: { id: number }) {
  const query = useQuery(wwiQueries.scenario(id));
  if (query.error instanceof ApiError && query.error.status === 404) {
    return <NoScenario id={String(id)} />;
  }
  return (
    <Stack gap="lg">
      <PageHeader
        title={query.data ? query.data.name : `What-if scenario ${id}`}
        question={QUESTION}
        asOf={query.data?.summary.as_of}
        actions={<BackToList />}
      />
      <QueryView query={query} what={`scenario ${id}`} loadingHeight={320}>
        {(scenario) => <ScenarioResult scenario={scenario} />}
      </QueryView>
    </Stack>
  );
}

const itemParams = {
  all: parseAsBoolean.withDefault(false),
  // The items table's page (DataTable's own key): switching the view starts at page 1.
  page: parseAsInteger,
};

function ScenarioResult({ scenario }: { scenario: Scenario }) {
  const [{ all }, setParams] = useQueryStates(itemParams);
  const changed = useMemo(() => scenario.items.filter(isChanged), [scenario.items]);
  const shown = all ? scenario.items : changed;
  return (
    <>
      <Group gap="xs" data-testid="scenario-parameters">
        <Badge variant="light" size="lg" radius="sm" className={classes.blue}>
          Demand {formatDemandChange(scenario.demand_change_pct)}
        </Badge>
        <Badge variant="light" size="lg" radius="sm" className={classes.blue}>
          Lead time {formatLeadTimeChange(scenario.lead_time_change_days)}
        </Badge>
        <Badge variant="light" color="gray" size="lg" radius="sm" className={classes.gray}>
          {formatItemScope(scenario.stock_item_ids)}
        </Badge>
        <Text size="sm" c="dimmed">
          by {scenario.created_by}, {formatMoment(scenario.created_at)} · demand over the last{' '}
          {scenario.demand_window_days} days
        </Text>
      </Group>
      <section aria-labelledby="totals-heading">
        <Title order={2} size="h4" id="totals-heading" mb="xs">
          What it would cost
        </Title>
        <ScenarioTotals summary={scenario.summary} />
      </section>
      <section aria-labelledby="items-heading">
        <div className={classes.sectionHead}>
          <Title order={2} size="h4" id="items-heading">
            Items, today and under the scenario
          </Title>
          <Switch
            label={`Show all ${formatCount(scenario.items.length)} items`}
            checked={all}
            onChange={(event) => void setParams({ all: event.currentTarget.checked || null, page: null })}
            data-testid="scenario-show-all"
          />
        </div>
        <Text size="sm" c="dimmed" mb="xs" data-testid="scenario-changed-count">
          {formatCount(changed.length)} of {formatCount(scenario.items.length)} items get another order quantity or
          urgency. Each pair reads today → scenario; values at each item&apos;s last cost price.
        </Text>
        {shown.length === 0 ? (
          <EmptyState title="No item changes">
            Under this scenario every item gets the same order quantity and urgency as today. Switch on “Show all
            items” to see them.
          </EmptyState>
        ) : (
          <ScenarioItemsTable
            items={shown}
            caption={`${all ? 'All' : 'Changed'} items of scenario ${scenario.name}: today against the scenario`}
          />
        )}
      </section>
    </>
  );
}
