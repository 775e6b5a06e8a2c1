import { Button, Group, Text } from '@mantine/core';
import { IconLogout } from '@tabler/icons-react';

import { useSession } from '@/auth/session';

/** The signed-in user's name and a sign-out through the provider's end-session endpoint. */
export function UserMenu() {
  const session = useSession();
  if (session === null) {
    return null;
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" data-testid="user-name" truncate maw={180}>
        {session.name}
      </Text>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconLogout size={14} aria-hidden />}
        onClick={session.signOut}
      >
        Sign out
      </Button>
    </Group>
  );
}
