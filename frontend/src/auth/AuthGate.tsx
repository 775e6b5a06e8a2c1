import { Code, Loader, Text, Title } from '@mantine/core';
import { lazy, type ReactNode, Suspense } from 'react';

import { setSignInRequired } from '@/auth/access-token';
import { useClientConfig } from '@/auth/client-config';
import { FullPage } from '@/auth/FullPage';
import { ErrorPanel } from '@/components/ErrorPanel';

// The OIDC client loads only where a sign-in is configured.
const OidcSession = lazy(() => import('@/auth/OidcSession'));

/**
 * Renders the app once the user may see it: at once when the API needs no login; after an
 * OIDC sign-in (redirect to the provider, back to the same page and filters) when it does.
 * A provider that cannot be reached or a missing configuration gets a page that says so —
 * never a blank screen, never a loop of redirects.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const config = useClientConfig();
  if (config.isPending) {
    return (
      <FullPage>
        <Loader aria-label="Starting" />
      </FullPage>
    );
  }
  if (config.isError) {
    return (
      <FullPage>
        <Title order={1} size="h3">
          OTel BI cannot start
        </Title>
        <ErrorPanel error={config.error} onRetry={() => void config.refetch()} />
      </FullPage>
    );
  }
  setSignInRequired(config.data.auth_required);
  if (!config.data.auth_required) {
    return <>{children}</>;
  }
  if (!config.data.oidc_enabled || config.data.authority === '' || config.data.client_id === '') {
    return (
      <FullPage>
        <Title order={1} size="h3">
          Sign-in is not configured
        </Title>
        <Text>
          The API requires a signed-in user, but no identity provider is configured for the web
          app. An administrator sets <Code>OIDC_ENABLED=true</Code>, <Code>OIDC_AUTHORITY</Code>{' '}
          and <Code>FRONTEND_OIDC_CLIENT_ID</Code> on the gateway.
        </Text>
      </FullPage>
    );
  }
  return (
    <Suspense
      fallback={
        <FullPage>
          <Loader aria-label="Signing in" />
        </FullPage>
      }
    >
      <OidcSession config={config.data}>{children}</OidcSession>
    </Suspense>
  );
}

