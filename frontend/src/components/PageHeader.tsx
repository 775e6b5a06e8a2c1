import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

import { formatDay } from '@/formatting/dates';

interface PageHeaderProps {
  title: string;
  /** The question the page answers, in the reader's words. */
  question: string;
  /** The warehouse's last day with data, once known. */
  asOf?: string | null | undefined;
  actions?: ReactNode;
}

export function PageHeader({ title, question, asOf, actions }: PageHeaderProps) {
  return (
    <Group justify="space-between" align="flex-end" gap="sm" mb="md" wrap="wrap">
      <Stack gap={2}>
        <Title order={1} size="h2">
          {title}
        </Title>
        <Group gap="xs">
          <Text c="dimmed" size="sm">
            {question}
          </Text>
          {asOf ? (
            <Badge variant="light" color="gray" radius="sm" data-testid="data-as-of">
              Data as of {formatDay(asOf)}
            </Badge>
          ) : null}
        </Group>
      </Stack>
      {actions ? <Group gap="xs">{actions}</Group> : null}
    </Group>
  );
}
