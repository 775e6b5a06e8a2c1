import { Alert, Button, Card, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconCircleCheck, IconFileSpreadsheet } from '@tabler/icons-react';
import { type SubmitEvent, useState } from 'react';

import { ApiError } from '@/api/api-error';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useGenerateReport } from '@/features/reports/api/generate-report';
import { DownloadReportButtons } from '@/features/reports/components/DownloadReportButtons';
import classes from '@/features/reports/components/reports.module.css';
import { formatBytes } from '@/features/reports/file-size';
import { formatDuration } from '@/formatting/dates';

export const REPORT_WINDOWS = [30, 90, 365] as const;
const DEFAULT_TITLE = 'OTel BI report';
const TITLE_MAX = 200;

/** A refused generation in the reader's words; the API's own detail stays below it. */
function explained(error: unknown): unknown {
  if (error instanceof ApiError && error.status === 403) {
    return new ApiError({
      status: error.status,
      kind: error.kind,
      detail: `Your account lacks the reports scope. ${error.detail}`,
      traceId: error.traceId,
      operation: error.operation,
    });
  }
  return error;
}

/** Title and window of a new report, its progress, and the result with its downloads. */
export function GenerateForm() {
  const [title, setTitle] = useState('');
  const [days, setDays] = useState<(typeof REPORT_WINDOWS)[number]>(90);
  const generate = useGenerateReport();
  const trimmed = title.trim();
  const titleError =
    trimmed.length > TITLE_MAX
      ? `At most ${TITLE_MAX} characters`
      : // eslint-disable-next-line no-control-regex -- the API refuses control characters
        /[\u0000-\u001f\u007f]/.test(trimmed)
        ? 'No control characters'
        : null;

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (titleError !== null || generate.isPending) return;
    generate.mutate({ title: trimmed === '' ? null : trimmed, days_back: days });
  }

  return (
    <Card withBorder radius="md" padding="md">
      <form onSubmit={submit} aria-labelledby="generate-heading">
        <Stack gap="sm">
          <div className={classes.form}>
            <TextInput
              className={classes.title}
              label="Title"
              placeholder={DEFAULT_TITLE}
              description="Printed on the cover; the default is used when left empty"
              value={title}
              maxLength={TITLE_MAX}
              error={titleError}
              onChange={(event) => {
                setTitle(event.currentTarget.value);
              }}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id="report-window-label">
                Window
              </Text>
              <Text size="xs" c="dimmed">
                Days of data up to each warehouse&apos;s last day
              </Text>
              <SegmentedControl
                aria-labelledby="report-window-label"
                value={String(days)}
                onChange={(value) => {
                  setDays(REPORT_WINDOWS.find((candidate) => String(candidate) === value) ?? 90);
                }}
                data={REPORT_WINDOWS.map((window) => ({ value: String(window), label: `${window} days` }))}
              />
            </Stack>
          </div>
          <Group gap="sm">
            <Button
              type="submit"
              leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
              loading={generate.isPending}
              disabled={titleError !== null}
              data-testid="generate-report"
            >
              Generate report
            </Button>
            <Text size="sm" c="dimmed">
              One XLSX and one PDF with every view of both warehouses.
            </Text>
          </Group>
          <div aria-live="polite">
            {generate.isPending ? (
              <Text size="sm" data-testid="report-progress">
                Generating… this takes a few seconds.
              </Text>
            ) : null}
            {generate.isSuccess ? (
              <Alert
                color="teal"
                variant="light"
                icon={<IconCircleCheck aria-hidden />}
                title={`“${generate.data.title}” is ready`}
                data-testid="report-generated"
              >
                <Stack gap="xs">
                  <Text size="sm">
                    XLSX {formatBytes(generate.data.bytes.xlsx)} and PDF{' '}
                    {formatBytes(generate.data.bytes.pdf)}, last {generate.data.days_back} days,
                    written in {formatDuration(generate.data.duration_ms)}. It is at the top of the
                    list below.
                  </Text>
                  <DownloadReportButtons report={generate.data} withSizes />
                </Stack>
              </Alert>
            ) : null}
          </div>
          {generate.isError ? <ErrorPanel error={explained(generate.error)} what="Generating the report" /> : null}
        </Stack>
      </form>
    </Card>
  );
}
