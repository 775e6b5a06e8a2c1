/** A scenario's parameters and results in words and figures. */
import type { Urgency } from '@/api/queries/wwi';
import type { components } from '@/api/schema';
import { formatChange, formatCount, formatCurrency } from '@/formatting/numbers';

type ScenarioHeader = components['schemas']['ScenarioHeader'];
type ScenarioItem = components['schemas']['ScenarioItem'];

const signed = (value: number, text: string) => (value > 0 ? `+${text}` : text);

/** "+20%", "-12.5%", "no change". */
export function formatDemandChange(pct: number): string {
  return pct === 0 ? 'no change' : formatChange(pct, Number.isInteger(pct) ? 0 : 1);
}

/** "+7 days", "−1 day", "no change". */
export function formatLeadTimeChange(days: number): string {
  if (days === 0) return 'no change';
  return `${signed(days, formatCount(days))} ${Math.abs(days) === 1 ? 'day' : 'days'}`;
}

/** "all items", "3 items". */
export function formatItemScope(ids: readonly number[] | null): string {
  if (ids === null) return 'all items';
  return `${formatCount(ids.length)} ${ids.length === 1 ? 'item' : 'items'}`;
}

/** "Demand +20%, lead time +7 days, all items". */
export function describeParameters(scenario: Pick<ScenarioHeader, 'demand_change_pct' | 'lead_time_change_days' | 'stock_item_ids'>): string {
  return `Demand ${formatDemandChange(scenario.demand_change_pct)}, lead time ${formatLeadTimeChange(
    scenario.lead_time_change_days,
  )}, ${formatItemScope(scenario.stock_item_ids)}`;
}

/** Exact currency with its sign: "+$1,200.00", "-$30.50", "$0.00". */
export function formatSignedCurrency(value: number, options?: { compact?: boolean }): string {
  const text = formatCurrency(Math.abs(value), options);
  return value > 0 ? `+${text}` : value < 0 ? `-${text}` : text;
}

/** Whether the scenario changes the item's recommendation (quantity or urgency). */
export function isChanged(item: ScenarioItem): boolean {
  return item.recommended_order_qty !== item.baseline_recommended_order_qty || item.urgency !== item.baseline_urgency;
}

/** The baseline's order value at the item's last cost price. */
export function baselineOrderValue(item: ScenarioItem): number {
  return Math.round(item.baseline_recommended_order_qty * item.last_cost_price * 100) / 100;
}

/** How much more (positive) or less the scenario orders of the item, in money. */
export function orderValueChange(item: ScenarioItem): number {
  return Math.round((item.order_value - baselineOrderValue(item)) * 100) / 100;
}

export const URGENCIES = ['critical', 'high', 'normal', 'none'] as const satisfies readonly Urgency[];

