/**
 * The span of the page being shown: a page's API calls made while it loads become its
 * children, so one trace holds the page, its calls and what the services did for them.
 * A refresh's span, while it runs, wins over the page's.
 *
 * Held here, not only in the zone: native async/await (TanStack Query, openapi-fetch's
 * middleware) drops the zone's context between the click and the fetch.
 */
import { type Context, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';

const TRACER_NAME = 'otelbi-frontend';

let pageContext: Context | null = null;
let actionContext: Context | null = null;
let actionRevalidates = false;

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Call `fetch` as a child of a running refresh, else of the active span, else of the page.
 * A refresh asks with `Cache-Control: no-cache`: the services then check the warehouse's
 * data version before answering, even from their cache.
 */
export function fetchInPageContext(input: Request): Promise<Response> {
  if (actionContext !== null && actionRevalidates) {
    input.headers.set('Cache-Control', 'no-cache');
  }
  const active = context.active();
  const parent =
    actionContext ?? (trace.getSpan(active) === undefined ? (pageContext ?? active) : active);
  return context.with(parent, () => globalThis.fetch(input));
}

/** Start the span of a page's loading; the caller ends it when the page's calls are done. */
export function startPageSpan(page: string): Span {
  const span = tracer().startSpan(`page ${page}`, { attributes: { 'otelbi.page': page } });
  pageContext = trace.setSpan(context.active(), span);
  return span;
}

/** End a page's span (and stop parenting calls to it). */
export function endPageSpan(span: Span, failedCalls: number): void {
  if (pageContext !== null && trace.getSpan(pageContext) === span) {
    pageContext = null;
  }
  span.setAttribute('otelbi.page.failed_calls', failedCalls);
  if (failedCalls > 0) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${failedCalls} call(s) failed` });
  }
  span.end();
}

/**
 * Run `work` (e.g. a page's refetches) inside a span named `name`: the calls it makes are
 * its children, and the span ends when they have all answered. With `revalidate` the calls
 * ask for data checked against the warehouse now (a user's Refresh).
 */
export async function inPageSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
  { revalidate = false }: { revalidate?: boolean } = {},
): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span: Span) => {
    const previous = actionContext;
    const previousRevalidates = actionRevalidates;
    actionContext = trace.setSpan(context.active(), span);
    actionRevalidates = revalidate;
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      actionContext = previous;
      actionRevalidates = previousRevalidates;
      span.end();
    }
  });
}
