/** An API call that did not succeed, with what a user needs to report it. */

/** The JSON body of every error the gateway answers. */
export interface ErrorBody {
  error: string;
  detail: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly kind: string;
  readonly detail: string;
  readonly traceId: string | null;
  readonly operation: string;

  constructor(options: {
    status: number;
    kind: string;
    detail: string;
    traceId: string | null;
    operation: string;
  }) {
    super(`${options.operation}: ${options.status} ${options.kind}: ${options.detail}`);
    this.name = 'ApiError';
    this.status = options.status;
    this.kind = options.kind;
    this.detail = options.detail;
    this.traceId = options.traceId;
    this.operation = options.operation;
  }

  /** Whether trying again later may help (a dependency was down or the network failed). */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).error === 'string' &&
    typeof (value as ErrorBody).detail === 'string'
  );
}

/** Return the ApiError for a response that was not ok, from its JSON body when it has one. */
export function apiErrorFrom(response: Response, body: unknown, operation: string): ApiError {
  const traceId = response.headers.get('x-trace-id');
  if (isErrorBody(body)) {
    return new ApiError({
      status: response.status,
      kind: body.error,
      detail: body.detail,
      traceId,
      operation,
    });
  }
  return new ApiError({
    status: response.status,
    kind: 'http_error',
    detail: response.statusText || `the server answered ${response.status}`,
    traceId,
    operation,
  });
}

/** Return the ApiError for a request that never got an answer. */
export function networkError(operation: string, cause: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApiError({
    status: 0,
    kind: 'network',
    detail: `the server could not be reached (${reason})`,
    traceId: null,
    operation,
  });
}
