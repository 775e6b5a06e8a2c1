import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';

import { createQueryClient } from '@/app/query-client';
import { createAppRouter } from '@/app/router';
import { theme } from '@/app/theme';
import { AuthGate } from '@/auth/AuthGate';
import { trackPageVisits } from '@/telemetry/page-visits';

const colorSchemeManager = localStorageColorSchemeManager({ key: 'otelbi-color-scheme' });

/** Made only once signed in: the router reads the address the sign-in came back to. */
function AppRoutes() {
  const queryClient = useQueryClient();
  const [router] = useState(() => {
    const created = createAppRouter();
    trackPageVisits(created, queryClient);
    return created;
  });
  return <RouterProvider router={router} />;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      colorSchemeManager={colorSchemeManager}
      withCssVariables={false}
      withGlobalClasses={false}
    >
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <AuthGate>
          <AppRoutes />
        </AuthGate>
      </QueryClientProvider>
    </MantineProvider>
  );
}
