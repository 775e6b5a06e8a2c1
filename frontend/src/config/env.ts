/** Build-time settings (Vite `VITE_*` variables), checked once at start. */

interface Env {
  /** Base URL of the API; empty = the origin that served the app (the gateway). */
  readonly apiBaseUrl: string;
}

function readEnv(): Env {
  const apiBaseUrl = import.meta.env.VITE_API_BASE_URL ?? '';
  if (typeof apiBaseUrl !== 'string' || (apiBaseUrl !== '' && !/^https?:\/\//.test(apiBaseUrl))) {
    throw new Error('VITE_API_BASE_URL must be empty or an http(s) URL');
  }
  return { apiBaseUrl: apiBaseUrl.replace(/\/$/, '') };
}

export const env: Env = readEnv();
