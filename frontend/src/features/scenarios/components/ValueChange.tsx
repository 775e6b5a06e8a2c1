import { Group, Text } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';

import { formatSignedCurrency } from '@/features/scenarios/components/scenario-text';
import classes from '@/features/scenarios/components/scenarios.module.css';

/**
 * A change of order value with sign, arrow and colour: orange when the scenario needs more
 * money than today, teal when less.
 */
export function ValueChange({ value, size = 'sm', testId }: { value: number; size?: 'xs' | 'sm'; testId?: string }) {
  const Icon = value > 0 ? IconArrowUpRight : value < 0 ? IconArrowDownRight : IconArrowRight;
  const tone = value > 0 ? `${classes.more ?? ''} ${classes.orange ?? ''}` : value < 0 ? `${classes.less ?? ''} ${classes.teal ?? ''}` : '';
  return (
    <Group gap={2} wrap="nowrap" justify="flex-end" component="span" className={tone}>
      <Icon size={14} aria-hidden />
      <Text span size={size} fw={600} c={value === 0 ? 'dimmed' : undefined} className="figures" data-testid={testId}>
        {formatSignedCurrency(value)}
      </Text>
    </Group>
  );
}
