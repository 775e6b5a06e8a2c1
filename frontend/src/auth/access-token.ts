/**
 * Where the API client gets the user's access token. With authentication off nothing is
 * registered and requests go without one; the sign-in module registers its provider here.
 */

export type AccessTokenProvider = () => Promise<string | null>;

let provider: AccessTokenProvider | null = null;

export function registerAccessTokenProvider(next: AccessTokenProvider | null): void {
  provider = next;
}

export async function currentAccessToken(): Promise<string | null> {
  return provider === null ? null : provider();
}
