import { Badge } from '@mantine/core';
import { IconBan, IconCheck, IconMinus, IconX } from '@tabler/icons-react';

const GOOD = new Set(['ok', 'succeeded']);
const BAD = new Set(['error', 'failed']);

/** An audit row's outcome in colour, icon and word: ok, error, denied, or a job's status. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  const [color, Icon] = GOOD.has(outcome)
    ? (['teal', IconCheck] as const)
    : BAD.has(outcome)
      ? (['red', IconX] as const)
      : outcome === 'denied'
        ? (['orange', IconBan] as const)
        : (['gray', IconMinus] as const);
  return (
    <Badge color={color} variant="light" leftSection={<Icon size={12} aria-hidden />} miw="max-content">
      {outcome}
    </Badge>
  );
}
