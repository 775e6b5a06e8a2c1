import { Center, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/** A whole-screen message (starting, signing in, sign-in unavailable). */
export function FullPage({ children }: { children: ReactNode }) {
  return (
    <Center mih="100vh" p="md">
      <Stack maw={560} gap="md">
        {children}
      </Stack>
    </Center>
  );
}
