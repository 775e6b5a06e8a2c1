import type { components } from '@/api/schema';
import { KpiTile } from '@/components/KpiTile';
import { formatCount, formatCurrency, formatPercent } from '@/formatting/numbers';

import classes from '@/features/overview/components/overview.module.css';

type KpiComparison = components['schemas']['KpiComparison'];

const AGAINST = 'vs the same window a year earlier';

/** Revenue, orders, average order value, gross margin % and units with their changes. */
export function KpiStrip({ kpis, testIdPrefix }: { kpis: KpiComparison; testIdPrefix: string }) {
  const { total, change_pct: change } = kpis;
  return (
    <div className={classes.tiles}>
      <KpiTile
        testId={`${testIdPrefix}-revenue`}
        label="Revenue"
        value={formatCurrency(total.revenue, { compact: true })}
        exact={formatCurrency(total.revenue)}
        change={change.revenue ?? null}
        against={AGAINST}
      />
      <KpiTile
        testId={`${testIdPrefix}-orders`}
        label="Orders"
        value={formatCount(total.orders, { compact: true })}
        exact={formatCount(total.orders)}
        change={change.orders ?? null}
        against={AGAINST}
      />
      <KpiTile
        testId={`${testIdPrefix}-aov`}
        label="Average order"
        value={formatCurrency(total.average_order_value)}
        change={change.average_order_value ?? null}
        against={AGAINST}
      />
      <KpiTile
        testId={`${testIdPrefix}-margin`}
        label="Gross margin"
        value={formatPercent(total.gross_margin_pct)}
        exact={formatCurrency(total.gross_margin)}
        change={change.gross_margin_pct ?? null}
        against={`${AGAINST} (relative change of the margin %)`}
      />
      <KpiTile
        testId={`${testIdPrefix}-units`}
        label="Units"
        value={formatCount(total.units, { compact: true })}
        exact={formatCount(total.units)}
        change={change.units ?? null}
        against={AGAINST}
      />
    </div>
  );
}
