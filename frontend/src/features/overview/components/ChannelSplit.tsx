import { Group, Progress, Stack, Text } from '@mantine/core';

import type { components } from '@/api/schema';
import { ChangeIndicator } from '@/components/ChangeIndicator';
import { formatCurrency, formatPercent } from '@/formatting/numbers';

type Channels = components['schemas']['AwSalesKpis']['channels'];

const CHANNEL_LABELS: Record<string, string> = { internet: 'Internet', reseller: 'Reseller' };
const CHANNEL_COLORS = ['blue', 'grape'];

/** Internet vs reseller share of AdventureWorks revenue in the window. */
export function ChannelSplit({ channels }: { channels: Channels }) {
  const entries = Object.entries(channels);
  const total = entries.reduce((sum, [, c]) => sum + c.total.revenue, 0);
  return (
    <Stack gap="xs">
      <Progress.Root size={18} aria-hidden>
        {entries.map(([name, channel], index) => (
          <Progress.Section
            key={name}
            value={total > 0 ? (channel.total.revenue / total) * 100 : 0}
            color={CHANNEL_COLORS[index % CHANNEL_COLORS.length]}
          />
        ))}
      </Progress.Root>
      {entries.map(([name, channel], index) => (
        <Group key={name} justify="space-between" wrap="nowrap">
          <Group gap={6} wrap="nowrap">
            <Text size="sm" c={CHANNEL_COLORS[index % CHANNEL_COLORS.length]} fw={700} aria-hidden>
              ■
            </Text>
            <Text size="sm">{CHANNEL_LABELS[name] ?? name}</Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" className="figures" data-testid={`channel-${name}-revenue`}>
              {formatCurrency(channel.total.revenue, { compact: true })}
            </Text>
            <Text size="sm" c="dimmed" className="figures">
              {total > 0 ? formatPercent((channel.total.revenue / total) * 100) : '—'}
            </Text>
            <ChangeIndicator
              value={channel.change_pct.revenue ?? null}
              against="vs the same window a year earlier"
              size="xs"
            />
          </Group>
        </Group>
      ))}
    </Stack>
  );
}
