import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';

import { ApiError } from '@/api/api-error';
import type { ExportFormat } from '@/api/download';

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'XLSX' },
  { format: 'pdf', label: 'PDF' },
];

interface ExportButtonsProps {
  /** What is exported, for the buttons' accessible names ("sales history"). */
  what: string;
  /** Download the view in `format`, with the same filters as on screen. */
  download: (format: ExportFormat) => Promise<void>;
}

/** CSV / XLSX / PDF downloads of the view as it is filtered on screen. */
export function ExportButtons({ what, download }: ExportButtonsProps) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  async function start(format: ExportFormat) {
    setBusy(format);
    try {
      await download(format);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : null;
      notifications.show({
        color: 'red',
        title: `The ${format.toUpperCase()} download of ${what} failed`,
        message: `${apiError?.detail ?? String(error)}${apiError?.traceId ? ` — trace id ${apiError.traceId}` : ''}`,
        autoClose: false,
      });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Group gap={6} wrap="nowrap" role="group" aria-label={`Download ${what}`}>
      {FORMATS.map(({ format, label }) => (
        <Button
          key={format}
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} aria-hidden />}
          loading={busy === format}
          disabled={busy !== null && busy !== format}
          onClick={() => void start(format)}
          aria-label={`Download ${what} as ${label}`}
        >
          {label}
        </Button>
      ))}
    </Group>
  );
}
