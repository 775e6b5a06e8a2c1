import { ActionIcon, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** Return the trace id if one was recorded (tracing switched off records none, or zeros). */
export function usableTraceId(traceId: string | null | undefined): string | null {
  return traceId && !/^0+$/.test(traceId) ? traceId : null;
}

/** A trace id, shortened on screen and copied whole, to look the call or run up in tracing. */
export function TraceId({ traceId, testId }: { traceId: string | null; testId: string }) {
  const usable = usableTraceId(traceId);
  if (usable === null) {
    return (
      <Text size="sm" c="dimmed" title="No trace was recorded">
        —
      </Text>
    );
  }
  return (
    <Group gap={2} wrap="nowrap">
      <Code title={usable} data-testid={testId} data-trace-id={usable}>
        {usable.slice(0, 8)}…
      </Code>
      <CopyButton value={usable}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy the trace id'} withArrow>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              size="sm"
              onClick={copy}
              aria-label={`Copy trace id ${usable}`}
            >
              {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
