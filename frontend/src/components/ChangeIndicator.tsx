import { Group, Text, VisuallyHidden } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';

import { formatChange } from '@/formatting/numbers';

interface ChangeIndicatorProps {
  /** Relative change in percent; null when there is nothing to compare with. */
  value: number | null | undefined;
  /** What the change is against, read out with it ("vs the same window a year earlier"). */
  against: string;
  size?: 'xs' | 'sm';
}

/** A change with its sign, an arrow and a colour: never colour alone. */
export function ChangeIndicator({ value, against, size = 'sm' }: ChangeIndicatorProps) {
  if (value === null || value === undefined) {
    return (
      <Text size={size} c="dimmed">
        no comparison
      </Text>
    );
  }
  const Icon = value > 0 ? IconArrowUpRight : value < 0 ? IconArrowDownRight : IconArrowRight;
  const color = value > 0 ? 'teal' : value < 0 ? 'red' : 'dimmed';
  return (
    <Group gap={2} wrap="nowrap" pos="relative" title={`${formatChange(value)} ${against}`}>
      <Icon size={14} aria-hidden color={`var(--mantine-color-${color === 'dimmed' ? 'dimmed' : `${color}-text`})`} />
      <Text size={size} c={color} fw={600} className="figures">
        {formatChange(value)}
      </Text>
      <VisuallyHidden>{against}</VisuallyHidden>
    </Group>
  );
}
