/** What the stock page shows of the recommendations: the urgency counts, the filter, the totals. */
import type { Urgency } from '@/api/queries/wwi';
import type { components } from '@/api/schema';

type ReorderRecommendation = components['schemas']['ReorderRecommendation'];

/** Most urgent first, as the API sorts them. */
export const URGENCIES = ['critical', 'high', 'normal', 'none'] as const satisfies readonly Urgency[];

/** Return the sort rank of `urgency` (0 = critical). */
export function urgencyRank(urgency: Urgency): number {
  return URGENCIES.indexOf(urgency);
}

/** Return whether `item`'s name contains `search` (case- and accent-insensitive). */
export function matchesSearch(item: ReorderRecommendation, search: string): boolean {
  const needle = fold(search.trim());
  return needle === '' || fold(item.stock_item).includes(needle);
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** Return how many of `items` have each urgency. */
export function countByUrgency(items: readonly ReorderRecommendation[]): Record<Urgency, number> {
  const counts: Record<Urgency, number> = { critical: 0, high: 0, normal: 0, none: 0 };
  for (const item of items) {
    counts[item.urgency] += 1;
  }
  return counts;
}

/** Return the items of `urgency` (all when null) whose name matches `search`. */
export function filterRecommendations(
  items: readonly ReorderRecommendation[],
  urgency: Urgency | null,
  search: string,
): ReorderRecommendation[] {
  return items.filter((item) => (urgency === null || item.urgency === urgency) && matchesSearch(item, search));
}

export interface OrderTotals {
  itemsNeedingOrders: number;
  totalOrderQty: number;
  totalOrderValue: number;
}

/** Return what `items` ask to buy: the items with an order, their quantity and value. */
export function orderTotals(items: readonly ReorderRecommendation[]): OrderTotals {
  const ordering = items.filter((item) => item.recommended_order_qty > 0);
  return {
    itemsNeedingOrders: ordering.length,
    totalOrderQty: ordering.reduce((sum, item) => sum + item.recommended_order_qty, 0),
    // Cents, summed as integers so that many small values add up exactly.
    totalOrderValue: ordering.reduce((sum, item) => sum + Math.round(item.order_value * 100), 0) / 100,
  };
}

/** Return how many outers `quantity` is (the API always recommends whole outers). */
export function outerCount(quantity: number, quantityPerOuter: number): number {
  return Math.ceil(quantity / Math.max(quantityPerOuter, 1));
}
