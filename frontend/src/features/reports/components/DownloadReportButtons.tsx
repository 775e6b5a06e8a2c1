import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';

import { ApiError } from '@/api/api-error';
import { downloadReport, type ReportFileKind } from '@/api/download';
import type { Report } from '@/api/queries/operations';
import { formatBytes } from '@/features/reports/file-size';

const KINDS: ReportFileKind[] = ['xlsx', 'pdf'];

/** XLSX and PDF downloads of one report, fetched with the user's token. */
export function DownloadReportButtons({ report, withSizes = false }: { report: Report; withSizes?: boolean }) {
  const [busy, setBusy] = useState<ReportFileKind | null>(null);

  async function start(kind: ReportFileKind) {
    setBusy(kind);
    try {
      await downloadReport(report.report_id, kind);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : null;
      notifications.show({
        color: 'red',
        title: `The ${kind.toUpperCase()} of “${report.title}” could not be downloaded`,
        message: `${apiError?.detail ?? String(error)}${apiError?.traceId ? ` — trace id ${apiError.traceId}` : ''}`,
        autoClose: false,
      });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Group gap={6} wrap="nowrap" role="group" aria-label={`Download ${report.title}`}>
      {KINDS.map((kind) => (
        <Button
          key={kind}
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} aria-hidden />}
          loading={busy === kind}
          disabled={busy !== null && busy !== kind}
          onClick={() => void start(kind)}
          aria-label={`Download ${report.title} (${report.report_id}) as ${kind.toUpperCase()}`}
          data-testid={`download-${kind}`}
        >
          {kind.toUpperCase()}
          {withSizes ? ` · ${formatBytes(report.bytes[kind])}` : ''}
        </Button>
      ))}
    </Group>
  );
}
