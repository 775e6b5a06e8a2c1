import { Alert, Button, Code, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconRefresh, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';

import { operationsQueries } from '@/api/queries/operations';
import { ErrorPanel } from '@/components/ErrorPanel';
import { formatCount } from '@/formatting/numbers';

/** Whether the audit log's hash chain holds, from GET /api/audit/verify. */
export function ChainBanner({ onShowRow }: { onShowRow: (rowId: number) => void }) {
  const query = useQuery(operationsQueries.auditVerify());
  if (query.isPending) {
    return <Skeleton height={72} radius="sm" aria-label="Checking the audit chain" />;
  }
  if (query.isError) {
    return <ErrorPanel error={query.error} what="The audit chain check" onRetry={() => void query.refetch()} />;
  }
  const { ok, rows_checked: rowsChecked, first_bad_id: firstBadId } = query.data;
  const recheck = (
    <Button
      size="compact-sm"
      variant="subtle"
      color={ok ? 'teal' : 'red'}
      leftSection={<IconRefresh size={14} aria-hidden />}
      loading={query.isFetching}
      onClick={() => void query.refetch()}
    >
      Check again
    </Button>
  );
  if (ok) {
    return (
      <Alert
        color="teal"
        variant="light"
        icon={<IconShieldCheck aria-hidden />}
        title={`Chain intact — ${formatCount(rowsChecked)} ${rowsChecked === 1 ? 'row' : 'rows'} checked`}
        data-testid="audit-chain"
        data-ok="true"
      >
        <Group justify="space-between" gap="xs">
          <Text size="sm">
            Every row matches its hash and links to the row before it: no row has been changed or
            removed.
          </Text>
          {recheck}
        </Group>
      </Alert>
    );
  }
  const badIds = query.data.bad_ids ?? [];
  const badRows = query.data.bad_rows;
  const headMatches = query.data.head_matches;
  const shown = badIds.slice(0, SHOWN_BAD_ROWS);
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconShieldX aria-hidden />}
      title={brokenTitle(badRows, firstBadId)}
      role="alert"
      data-testid="audit-chain"
      data-ok="false"
    >
      <Stack gap="xs">
        {badRows > 0 ? (
          <Text size="sm">
            {badRows === 1 ? 'Row' : 'Rows'} {listed(badIds, badRows)} {badRows === 1 ? 'does' : 'do'} not match
            {badRows === 1 ? ' its hash' : ' their hashes'} or the row before: written, changed or removed outside
            the product. The other rows link to one another and can be trusted.
          </Text>
        ) : null}
        {headMatches ? null : (
          <Text size="sm">
            The chain does not end at the newest row the product wrote: rows at its end were removed
            or replaced.
          </Text>
        )}
        <Group justify="space-between" gap="xs">
          <Text size="sm" c="dimmed">
            {formatCount(rowsChecked)} {rowsChecked === 1 ? 'row' : 'rows'} checked. Run{' '}
            <Code>otelbi audit verify</Code> to compare with the signed checkpoints.
          </Text>
          <Group gap="xs">
            {shown.map((rowId) => (
              <Button key={rowId} size="compact-sm" color="red" variant="light" onClick={() => { onShowRow(rowId); }}>
                Show row {rowId}
              </Button>
            ))}
            {recheck}
          </Group>
        </Group>
      </Stack>
    </Alert>
  );
}

/** Rows offered with a "Show row" button; the rest are counted. */
const SHOWN_BAD_ROWS = 3;

function brokenTitle(badRows: number, firstBadId: number | null): string {
  if (badRows === 0) return 'Chain broken at its end';
  if (badRows === 1 && firstBadId !== null) return `Chain broken at row ${String(firstBadId)}`;
  return `Chain broken: ${formatCount(badRows)} rows do not link`;
}

/** "12, 40 and 41", or "12, 40, 41 and 7 more" past the named ones. */
function listed(ids: number[], total: number): string {
  const named = ids.map(String);
  const more = total - named.length;
  if (more > 0) return `${named.join(', ')} and ${formatCount(more)} more`;
  if (named.length < 2) return named.join('');
  return `${named.slice(0, -1).join(', ')} and ${named.at(-1) ?? ''}`;
}
