/**
 * The OIDC client (oidc-client-ts), configured at run time from GET /api/config: nothing
 * about the identity provider is baked into the build. Authorization code with PKCE; the
 * token is renewed before it expires (with the refresh token when the provider issues one,
 * else silently); tokens are kept in this tab's sessionStorage only (never localStorage,
 * never in a URL), so a reload keeps the user signed in and closing the tab forgets them.
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

import type { components } from '@/api/schema';

export type ClientConfig = components['schemas']['ClientConfig'];

export const CALLBACK_PATH = '/auth/callback';

/** Where to come back to after signing in: the page and its filters. */
export interface ReturnState {
  returnTo: string;
}

export function createUserManager(config: ClientConfig): UserManager {
  const origin = window.location.origin;
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  return new UserManager({
    authority: config.authority,
    client_id: config.client_id,
    scope: config.scope,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    userStore: store,
    stateStore: store,
    automaticSilentRenew: true,
    // Renewed 20 s before it expires: enough for a slow network, and short-lived test
    // tokens (30 s) still live a while between renewals.
    accessTokenExpiringNotificationTimeInSeconds: 20,
    loadUserInfo: false,
    monitorSession: false,
  });
}

export function currentLocation(): string {
  const { pathname, search, hash } = window.location;
  return pathname === CALLBACK_PATH ? '/' : `${pathname}${search}${hash}`;
}

export function returnToOf(state: unknown): string {
  const returnTo = (state as Partial<ReturnState> | undefined)?.returnTo;
  // Only a path of this app: never an absolute URL someone put in the state.
  return typeof returnTo === 'string' && returnTo.startsWith('/') && !returnTo.startsWith('//')
    ? returnTo
    : '/';
}
