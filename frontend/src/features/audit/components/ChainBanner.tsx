import { Alert, Button, Group, Skeleton, Text } from '@mantine/core';
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
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconShieldX aria-hidden />}
      title={firstBadId === null ? 'Chain broken' : `Chain broken at row ${firstBadId}`}
      role="alert"
      data-testid="audit-chain"
      data-ok="false"
    >
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {firstBadId === null ? 'A row' : `Row ${firstBadId}`} does not match its hash or the row
          before it: the log was changed at or before it, so rows from there on cannot be trusted.{' '}
          {formatCount(rowsChecked)} {rowsChecked === 1 ? 'row' : 'rows'} checked.
        </Text>
        <Group gap="xs">
          {firstBadId === null ? null : (
            <Button size="compact-sm" color="red" variant="light" onClick={() => { onShowRow(firstBadId); }}>
              Show row {firstBadId}
            </Button>
          )}
          {recheck}
        </Group>
      </Group>
    </Alert>
  );
}
