import { Alert } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';

import { useClientConfig } from '@/auth/client-config';

/** Says so, on every page, when the API answers without a login. */
export function AuthBanner() {
  const config = useClientConfig();
  if (config.data === undefined || config.data.auth_required) {
    return null;
  }
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconLockOpen size={18} aria-hidden />}
      title="Authentication disabled"
      data-testid="auth-disabled-banner"
      py={6}
    >
      Anyone who can reach this address sees every view. Set REQUIRE_FRONTEND_AUTH=true and the
      OIDC settings to require a sign-in.
    </Alert>
  );
}
