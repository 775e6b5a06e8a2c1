/**
 * The typed API client, generated from the gateway's OpenAPI document (`schema.d.ts`,
 * `npm run generate:api`). Every call goes through here: the access token is added, and
 * a failure becomes an ApiError carrying the status, the error body and the trace id.
 */
import createClient, { type Middleware } from 'openapi-fetch';

import { apiErrorFrom, networkError } from '@/api/api-error';
import type { paths } from '@/api/schema';
import { currentAccessToken, reportUnauthorized } from '@/auth/access-token';
import { env } from '@/config/env';
import { fetchInPageContext } from '@/telemetry/page-span';

const withAccessToken: Middleware = {
  async onRequest({ request }) {
    const token = await currentAccessToken();
    if (token !== null) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) {
      reportUnauthorized();
    }
    return response;
  },
};

export const api = createClient<paths>({
  // Absolute even when the API is the app's own origin: fetch outside a page needs it.
  baseUrl: env.apiBaseUrl || window.location.origin,
  // globalThis.fetch is looked up at each call, not once: tracing and tests wrap it later.
  fetch: fetchInPageContext,
});
api.use(withAccessToken);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Return the data of a finished call, or throw its ApiError. `operation` names the call in
 * words for the error message ("AdventureWorks sales KPIs").
 */
export async function request<T>(
  operation: string,
  call: Promise<FetchResult<T>>,
): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') {
      throw cause;
    }
    throw networkError(operation, cause);
  }
  if (!result.response.ok || result.data === undefined) {
    throw apiErrorFrom(result.response, result.error, operation);
  }
  return result.data;
}

/** Return the headers every hand-made request to the API needs (downloads). */
export async function authorizationHeaders(): Promise<Record<string, string>> {
  const token = await currentAccessToken();
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}
