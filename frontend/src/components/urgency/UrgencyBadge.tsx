import { Badge, Tooltip } from '@mantine/core';

import type { Urgency } from '@/api/queries/wwi';
import { URGENCY_COLORS, URGENCY_LABELS, URGENCY_MEANINGS } from '@/components/urgency/urgency';

/** An item's urgency in words and colour, with what it means on hover. */
export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return (
    <Tooltip label={URGENCY_MEANINGS[urgency]} multiline w={280} withArrow>
      <Badge
        miw="max-content"
        color={URGENCY_COLORS[urgency]}
        variant={urgency === 'none' ? 'outline' : 'light'}
        data-urgency={urgency}
      >
        {URGENCY_LABELS[urgency]}
      </Badge>
    </Tooltip>
  );
}
