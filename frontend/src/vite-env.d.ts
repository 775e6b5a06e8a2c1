/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_API_BASE_URL?: string;
  readonly VITE_OTEL_COLLECTOR_ENDPOINT?: string;
  readonly VITE_OTEL_SERVICE_NAME?: string;
  readonly VITE_OTEL_SERVICE_NAMESPACE?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

/** package.json's version, set by vite.config.ts. */
declare const __APP_VERSION__: string;
