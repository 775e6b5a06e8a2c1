import { Stack, Text, ThemeIcon } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Says why there is nothing to show ("No critical items"), never a blank box. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" gap={4} py="xl" data-testid="empty-state">
      <ThemeIcon variant="light" color="gray" size="lg" radius="xl">
        <IconDatabaseOff size={18} aria-hidden />
      </ThemeIcon>
      <Text fw={600}>{title}</Text>
      {children ? (
        <Text size="sm" c="dimmed" ta="center" maw={460}>
          {children}
        </Text>
      ) : null}
    </Stack>
  );
}
