/** Build-time settings (Vite `VITE_*` variables), checked once at start. */

interface Env {
  /** Base URL of the API; empty = the origin that served the app (the gateway). */
  readonly apiBaseUrl: string;
  /** Where the browser's spans go; empty = the gateway's relay at /api/otlp/v1/traces. */
  readonly otelCollectorEndpoint: string;
  readonly otelServiceName: string;
  readonly otelServiceNamespace: string;
  readonly version: string;
}

function url(name: string, value: string | undefined): string {
  const text = (value ?? '').trim();
  if (text !== '' && !/^https?:\/\//.test(text)) {
    throw new Error(`${name} must be empty or an http(s) URL`);
  }
  return text.replace(/\/$/, '');
}

function readEnv(): Env {
  const vars = import.meta.env;
  return {
    apiBaseUrl: url('VITE_API_BASE_URL', vars.VITE_API_BASE_URL),
    otelCollectorEndpoint: url('VITE_OTEL_COLLECTOR_ENDPOINT', vars.VITE_OTEL_COLLECTOR_ENDPOINT),
    otelServiceName: vars.VITE_OTEL_SERVICE_NAME?.trim() || 'otelbi-frontend',
    otelServiceNamespace: vars.VITE_OTEL_SERVICE_NAMESPACE?.trim() || 'otelbi',
    version: __APP_VERSION__,
  };
}

export const env: Env = readEnv();
