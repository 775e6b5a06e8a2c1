import { Card, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';

import { ChangeIndicator } from '@/components/ChangeIndicator';

interface KpiTileProps {
  label: string;
  /** Compact figure on the tile ("$46.4M"). */
  value: string;
  /** Exact figure in the tooltip ("$46,412,318.07"). */
  exact?: string;
  change?: number | null;
  /** What the change is measured against. */
  against?: string;
  footer?: ReactNode;
  testId?: string;
}

/** One headline figure, its change and (optionally) a small chart under it. */
export function KpiTile({ label, value, exact, change, against = '', footer, testId }: KpiTileProps) {
  return (
    <Card withBorder padding="sm" radius="md" data-testid={testId}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          {label}
        </Text>
        <Tooltip label={exact ?? value} disabled={exact === undefined}>
          <Text fz={26} fw={700} className="figures" data-testid={testId ? `${testId}-value` : undefined} data-exact={exact}>
            {value}
          </Text>
        </Tooltip>
        {/* Under the figure, not beside it: a narrow tile then never cuts the change off. */}
        {change !== undefined ? <ChangeIndicator value={change} against={against} /> : null}
        {footer}
      </Stack>
    </Card>
  );
}
