/** How the app names and colours a stock item's reorder urgency (stock page, what-if). */
import type { Urgency } from '@/api/queries/wwi';

export const URGENCY_LABELS: Record<Urgency, string> = {
  critical: 'Critical',
  high: 'High',
  normal: 'Normal',
  none: 'None',
};

export const URGENCY_COLORS: Record<Urgency, string> = {
  critical: 'red',
  high: 'orange',
  normal: 'blue',
  none: 'gray',
};

/** What each urgency means, from the recommendation rules (src/otelbi/wwi/reorder.py). */
export const URGENCY_MEANINGS: Record<Urgency, string> = {
  critical: 'at or below the reorder level, or out of cover before a delivery could arrive with nothing on order',
  high: 'projected at or below the reorder level by the end of the lead time',
  normal: 'projected between the reorder level and the target level at the lead time: no order yet',
  none: 'projected above the target level at the lead time',
};
