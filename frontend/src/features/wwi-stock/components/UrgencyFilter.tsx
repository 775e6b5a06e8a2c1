import { Chip, Group } from '@mantine/core';

import type { Urgency } from '@/api/queries/wwi';
import { formatCount } from '@/formatting/numbers';
import { URGENCY_COLORS, URGENCY_LABELS } from '@/components/urgency/urgency';
import { URGENCIES } from '@/features/wwi-stock/components/stock-view';

interface UrgencyFilterProps {
  value: Urgency | null;
  counts: Record<Urgency, number>;
  onChange: (urgency: Urgency | null) => void;
}

const ALL = 'all';

/** One chip per urgency with its item count, plus "All": picks the rows of the table. */
export function UrgencyFilter({ value, counts, onChange }: UrgencyFilterProps) {
  const total = URGENCIES.reduce((sum, urgency) => sum + counts[urgency], 0);
  return (
    <div role="radiogroup" aria-label="Urgency" data-testid="urgency-filter">
      <Chip.Group
        multiple={false}
        value={value ?? ALL}
        onChange={(next) => {
          onChange(next === ALL ? null : (next as Urgency));
        }}
      >
        <Group gap={6}>
          <Chip value={ALL} name="urgency" variant="outline" data-testid="urgency-chip-all"
            data-count={total}>
            All <span className="figures">{formatCount(total)}</span>
          </Chip>
          {URGENCIES.map((urgency) => (
            <Chip
              key={urgency}
              value={urgency}
              name="urgency"
              color={URGENCY_COLORS[urgency]}
              variant="outline"
              data-testid={`urgency-chip-${urgency}`}
              data-count={counts[urgency]}
            >
              {URGENCY_LABELS[urgency]} <span className="figures">{formatCount(counts[urgency])}</span>
            </Chip>
          ))}
        </Group>
      </Chip.Group>
    </div>
  );
}
