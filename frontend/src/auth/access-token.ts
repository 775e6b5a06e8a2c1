/**
 * Where the API client gets the user's access token, and whom it tells when the API says
 * the token is no good. With authentication off nothing is registered: requests go without
 * a token and a 401 is shown like any other error.
 */

export type AccessTokenProvider = () => Promise<string | null>;
export type UnauthorizedHandler = () => void;

let provider: AccessTokenProvider | null = null;
let onUnauthorized: UnauthorizedHandler | null = null;
let signInRequired = false;

/** Say whether the API needs a signed-in user (from GET /api/config). */
export function setSignInRequired(required: boolean): void {
  signInRequired = required;
}

/** Whether a call to the API can be authorised now (auth off, or a user is signed in). */
export function canAuthorize(): boolean {
  return !signInRequired || provider !== null;
}

export function registerAccessTokenProvider(
  next: AccessTokenProvider | null,
  unauthorized: UnauthorizedHandler | null = null,
): void {
  provider = next;
  onUnauthorized = unauthorized;
}

export async function currentAccessToken(): Promise<string | null> {
  return provider === null ? null : provider();
}

/** The API answered 401: sign in again (and come back here) when a sign-in is configured. */
export function reportUnauthorized(): void {
  onUnauthorized?.();
}
