import { Button, Code, Loader, Text, Title } from '@mantine/core';
import type { UserManager } from 'oidc-client-ts';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { AuthProvider, hasAuthParams, useAuth } from 'react-oidc-context';

import { registerAccessTokenProvider } from '@/auth/access-token';
import { FullPage } from '@/auth/FullPage';
import { type Session, SessionContext } from '@/auth/session';
import {
  type ClientConfig,
  createUserManager,
  currentLocation,
  type ReturnState,
  returnToOf,
} from '@/auth/oidc';

/** The signed-in session: redirect to the provider, the callback, renewal, the token. */
export default function OidcSession({ config, children }: { config: ClientConfig; children: ReactNode }) {
  const userManager = useMemo(() => createUserManager(config), [config]);
  return (
    <AuthProvider
      userManager={userManager}
      onSigninCallback={(user) => {
        // Drop ?code&state from the address and go back where the user was.
        window.history.replaceState({}, '', returnToOf(user?.state));
      }}
    >
      <SignedIn userManager={userManager} authority={config.authority}>
        {children}
      </SignedIn>
    </AuthProvider>
  );
}

function SignedIn({
  userManager,
  authority,
  children,
}: {
  userManager: UserManager;
  authority: string;
  children: ReactNode;
}) {
  const auth = useAuth();
  const [redirectFailed, setRedirectFailed] = useState<unknown>(null);
  const redirecting = useRef(false);
  // Signing out removes the user first: no sign-in redirect may race the provider's page.
  const signingOut = useRef(false);

  const signIn = useMemo(
    () => () => {
      if (redirecting.current) return;
      redirecting.current = true;
      const state: ReturnState = { returnTo: currentLocation() };
      userManager.signinRedirect({ state }).catch((error: unknown) => {
        redirecting.current = false;
        setRedirectFailed(error);
      });
    },
    [userManager],
  );

  useEffect(() => {
    if (!auth.isAuthenticated) {
      registerAccessTokenProvider(null);
      return;
    }
    registerAccessTokenProvider(async () => {
      let user = await userManager.getUser();
      if (user?.expired === true) {
        // The tab slept through the renewal: renew now rather than send a dead token.
        user = await userManager.signinSilent().catch(() => null);
      }
      return user?.access_token ?? null;
    }, signIn);
  }, [auth.isAuthenticated, userManager, signIn]);

  const shouldRedirect =
    !auth.isLoading &&
    !auth.isAuthenticated &&
    auth.error === undefined &&
    redirectFailed === null &&
    !hasAuthParams();
  useEffect(() => {
    if (shouldRedirect && !signingOut.current) signIn();
  }, [shouldRedirect, signIn]);

  const profile = auth.user?.profile;
  const idToken = auth.user?.id_token;
  const session = useMemo<Session>(
    () => ({
      name: profile?.name ?? profile?.preferred_username ?? profile?.email ?? profile?.sub ?? '',
      signOut: () => {
        signingOut.current = true;
        registerAccessTokenProvider(null);
        void userManager.signoutRedirect({ id_token_hint: idToken });
      },
    }),
    [profile, idToken, userManager],
  );

  if (auth.isAuthenticated) {
    return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  }
  const failure: unknown = redirectFailed ?? auth.error;
  if (failure !== null && failure !== undefined) {
    const reason = failure instanceof Error ? failure.message : 'no answer';
    return (
      <FullPage>
        <Title order={1} size="h3">
          Sign-in is unavailable
        </Title>
        <Text data-testid="sign-in-unavailable">
          The identity provider at <Code>{authority}</Code> could not be reached or refused the
          sign-in: {reason}
        </Text>
        <Button
          w="fit-content"
          onClick={() => {
            setRedirectFailed(null);
            void auth.removeUser().then(signIn);
          }}
        >
          Try again
        </Button>
      </FullPage>
    );
  }
  return (
    <FullPage>
      <Loader aria-label="Signing in" />
      <Text c="dimmed">Signing in…</Text>
    </FullPage>
  );
}
