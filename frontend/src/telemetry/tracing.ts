/**
 * Traces that start in the browser: page loads, clicks and every call to the API, with the
 * W3C traceparent sent to the API's origin only, exported over OTLP/HTTP.
 *
 * Build-time settings (as the reference has them): VITE_OTEL_SERVICE_NAME,
 * VITE_OTEL_SERVICE_NAMESPACE and VITE_OTEL_COLLECTOR_ENDPOINT. The default endpoint is the
 * gateway's same-origin relay (/api/otlp/v1/traces), so no collector or CORS is needed for
 * a page to work; spans carry the user's token there like every API call.
 */
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { XMLHttpRequestInstrumentation } from '@opentelemetry/instrumentation-xml-http-request';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  WebTracerProvider,
} from '@opentelemetry/sdk-trace-web';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

import { env } from '@/config/env';

/** Escapes a string for use inside a regular expression. */
function literal(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`);
}

/**
 * Start tracing; `headers` gives the exporter's headers (the user's token) at each export,
 * `canExport` says whether an export can be authorised now: spans ended before a required
 * sign-in (the first page load) are dropped rather than refused by the relay.
 */
export function startTracing(
  headers: () => Promise<Record<string, string>>,
  canExport: () => boolean,
): void {
  const apiOrigin = env.apiBaseUrl || window.location.origin;
  const endpoint = env.otelCollectorEndpoint || `${apiOrigin}/api/otlp/v1/traces`;
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.otelServiceName,
      'service.namespace': env.otelServiceNamespace,
      [ATTR_SERVICE_VERSION]: env.version,
    }),
    spanProcessors: [
      new BatchSpanProcessor(
        new UntilSignedIn(new OTLPTraceExporter({ url: endpoint, headers }), canExport),
        { scheduledDelayMillis: 2000 },
      ),
    ],
  });
  provider.register({ contextManager: new ZoneContextManager() });

  // traceparent goes to the API's own origin (same origin always gets it) and nowhere else:
  // not to the identity provider, not to the collector.
  const apiUrls = env.apiBaseUrl ? [literal(env.apiBaseUrl)] : [];
  const ignoreUrls = [literal(endpoint)];
  registerInstrumentations({
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new UserInteractionInstrumentation({ eventNames: ['click', 'submit'] }),
      new FetchInstrumentation({ propagateTraceHeaderCorsUrls: apiUrls, ignoreUrls }),
      new XMLHttpRequestInstrumentation({ propagateTraceHeaderCorsUrls: apiUrls, ignoreUrls }),
    ],
  });
}

/** Drops spans while `canExport` says no, instead of sending them to be refused. */
class UntilSignedIn implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly canExport: () => boolean,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.canExport()) {
      this.inner.export(spans, done);
    } else {
      done({ code: ExportResultCode.SUCCESS });
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
