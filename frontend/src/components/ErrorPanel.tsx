import { Alert, Button, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCopy, IconRefresh } from '@tabler/icons-react';

import { ApiError } from '@/api/api-error';
import classes from '@/components/ErrorPanel.module.css';

interface ErrorPanelProps {
  error: unknown;
  /** Shown when the error is not an ApiError, e.g. "Loading the KPIs". */
  what?: string;
  onRetry?: () => void;
}

function headline(error: ApiError): string {
  switch (error.status) {
    case 0:
      return `${error.operation}: the server could not be reached`;
    case 401:
      return `${error.operation}: you are not signed in`;
    case 403: {
      const scope = /scope '([^']+)'/.exec(error.detail)?.[1];
      return scope === undefined
        ? `${error.operation}: your account is not allowed to do this`
        : `${error.operation}: your account lacks the scope ${scope}`;
    }
    case 404:
      return `${error.operation}: nothing found`;
    case 422:
      return `${error.operation}: the request was refused`;
    case 503:
      return `${error.operation}: a system it needs is down`;
    default:
      return `${error.operation} failed (${error.status})`;
  }
}

/** What failed, why, its trace id to report, and a retry: for one tile, table or page. */
export function ErrorPanel({ error, what, onRetry }: ErrorPanelProps) {
  const apiError = error instanceof ApiError ? error : null;
  const title = apiError ? headline(apiError) : `${what ?? 'This view'} failed`;
  const detail = apiError ? apiError.detail : error instanceof Error ? error.message : String(error);
  return (
    <Alert
      variant="light"
      color={apiError?.status === 503 || apiError?.status === 0 ? 'orange' : 'red'}
      title={title}
      icon={<IconAlertTriangle aria-hidden />}
      role="alert"
    >
      <Stack gap="xs">
        <Text size="sm" className={classes.detail}>
          {detail}
        </Text>
        {apiError?.traceId ? (
          <Group gap="xs" wrap="wrap">
            <Text size="xs" c="dimmed">
              Trace id
            </Text>
            <Code data-testid="trace-id" className={classes.detail}>{apiError.traceId}</Code>
            <CopyButton value={apiError.traceId}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy the trace id to report this'}>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={copy}
                    leftSection={<IconCopy size={14} aria-hidden />}
                  >
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        ) : null}
        {onRetry && (apiError === null || apiError.retryable) ? (
          <Group>
            <Button
              size="compact-sm"
              variant="default"
              onClick={onRetry}
              leftSection={<IconRefresh size={14} aria-hidden />}
            >
              Try again
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}
