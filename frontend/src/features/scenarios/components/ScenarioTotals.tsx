import { Text } from '@mantine/core';

import type { components } from '@/api/schema';
import { KpiTile } from '@/components/KpiTile';
import { formatCount, formatCurrency } from '@/formatting/numbers';
import { formatSignedCurrency } from '@/features/scenarios/components/scenario-text';
import classes from '@/features/scenarios/components/scenarios.module.css';

type ScenarioSummary = components['schemas']['ScenarioSummary'];

const TODAY = 'today';

function signedCount(value: number): string {
  return value === 0 ? 'no change' : value > 0 ? `+${formatCount(value)}` : formatCount(value);
}

/** What the scenario asks to buy against today's recommendations, and the difference. */
export function ScenarioTotals({ summary }: { summary: ScenarioSummary }) {
  const { scenario, baseline, difference } = summary;
  const relative =
    baseline.total_order_value > 0 ? (difference.total_order_value / baseline.total_order_value) * 100 : null;
  return (
    <div className={classes.tiles}>
      <KpiTile
        testId="scenario-difference"
        label="Order value vs today"
        value={formatSignedCurrency(difference.total_order_value, { compact: true })}
        exact={formatSignedCurrency(difference.total_order_value)}
        {...(relative === null ? {} : { change: relative, against: "against today's order value" })}
      />
      <KpiTile
        testId="scenario-order-value"
        label="Order value, scenario"
        value={formatCurrency(scenario.total_order_value, { compact: true })}
        exact={formatCurrency(scenario.total_order_value)}
      />
      <KpiTile
        testId="baseline-order-value"
        label="Order value, today"
        value={formatCurrency(baseline.total_order_value, { compact: true })}
        exact={formatCurrency(baseline.total_order_value)}
      />
      <KpiTile
        testId="scenario-items-needing-orders"
        label="Items to order"
        value={formatCount(scenario.items_needing_orders)}
        footer={
          <Text size="xs" c="dimmed" className="figures">
            {TODAY} {formatCount(baseline.items_needing_orders)} ({signedCount(difference.items_needing_orders)})
          </Text>
        }
      />
      <KpiTile
        testId="scenario-order-qty"
        label="Units to order"
        value={formatCount(scenario.total_order_qty, { compact: true })}
        exact={formatCount(scenario.total_order_qty)}
        footer={
          <Text size="xs" c="dimmed" className="figures">
            {TODAY} {formatCount(baseline.total_order_qty)} ({signedCount(difference.total_order_qty)})
          </Text>
        }
      />
    </div>
  );
}
