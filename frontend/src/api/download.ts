/**
 * File downloads (exports and reports) through the typed client, so they carry the
 * user's token like every other call instead of being opened as bare links.
 */
import { apiErrorFrom, networkError } from '@/api/api-error';
import { api } from '@/api/client';
import type { paths } from '@/api/schema';

/** Return the file name a Content-Disposition header gives, or `fallback`. */
export function fileNameFrom(contentDisposition: string | null, fallback: string): string {
  if (contentDisposition === null) {
    return fallback;
  }
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(contentDisposition);
  if (encoded?.[1] !== undefined) {
    return decodeURIComponent(encoded[1]);
  }
  const plain = /filename="?([^";]+)"?/i.exec(contentDisposition);
  return plain?.[1] ?? fallback;
}

/** Hand `blob` to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start reading the blob before it is released.
  window.setTimeout(() => { URL.revokeObjectURL(url); }, 60_000);
}

/** Every per-view export route of the API. */
export type ExportPath = Extract<keyof paths, `/api/${string}/export/${string}`>;
export type ExportFormat = 'csv' | 'xlsx' | 'pdf';
type ExportQuery<P extends ExportPath> = Omit<
  NonNullable<paths[P]['get']['parameters']['query']>,
  'format'
>;

/** Fetch one export with the user's token and hand it to the browser as a download. */
export async function downloadExport<P extends ExportPath>(
  path: P,
  format: ExportFormat,
  query: ExportQuery<P>,
  operation: string,
): Promise<void> {
  // One cast: openapi-fetch cannot infer parameters for a path that is itself generic.
  const call = api.GET(path as '/api/aw/export/sales-history', {
    params: { query: { ...query, format } as never },
    parseAs: 'blob',
  });
  await deliver(call, operation, `${path.split('/').slice(2).join('-')}.${format}`);
}

/** The two files of a generated report. */
export type ReportFileKind = 'xlsx' | 'pdf';

/** Fetch one file of a generated report with the user's token and hand it to the browser. */
export async function downloadReport(reportId: string, kind: ReportFileKind): Promise<void> {
  const call = api.GET('/api/reports/{report_id}/{kind}', {
    params: { path: { report_id: reportId, kind } },
    parseAs: 'blob',
  });
  await deliver(call, `The ${kind.toUpperCase()} of report ${reportId}`, `otelbi-report-${reportId}.${kind}`);
}

/** Save the file a download call answers, or throw its ApiError. */
async function deliver(
  call: Promise<{ data?: Blob; error?: unknown; response: Response }>,
  operation: string,
  fallback: string,
): Promise<void> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch (cause) {
    throw networkError(operation, cause);
  }
  if (!result.response.ok || result.data === undefined) {
    throw apiErrorFrom(result.response, await errorBodyOf(result.response, result.error), operation);
  }
  saveBlob(result.data, fileNameFrom(result.response.headers.get('content-disposition'), fallback));
}

async function errorBodyOf(response: Response, parsed: unknown): Promise<unknown> {
  if (parsed instanceof Blob) {
    try {
      return JSON.parse(await parsed.text()) as unknown;
    } catch {
      return null;
    }
  }
  return parsed ?? response.statusText;
}
