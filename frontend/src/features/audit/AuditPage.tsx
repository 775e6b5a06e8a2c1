import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconChevronRight, IconChevronsLeft } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useQueryStates } from 'nuqs';

import { operationsQueries } from '@/api/queries/operations';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { auditFilters, auditParams } from '@/features/audit/audit-params';
import classes from '@/features/audit/components/audit.module.css';
import { AuditFilterBar } from '@/features/audit/components/AuditFilterBar';
import { AuditTable } from '@/features/audit/components/AuditTable';
import { ChainBanner } from '@/features/audit/components/ChainBanner';

export function AuditPage() {
  const [params, setParams] = useQueryStates(auditParams);
  const filters = auditFilters(params);
  const rows = useQuery({ ...operationsQueries.audit(filters), placeholderData: keepPreviousData });
  const filtered = Object.entries(params).some(([key, value]) => key !== 'before_id' && value !== null);
  const page = rows.data?.items ?? [];
  const nextBeforeId = rows.data?.next_before_id ?? null;

  return (
    <Stack gap="md">
      <PageHeader title="Audit log" question="Who did what, and can we trust the log?" />
      <ChainBanner
        onShowRow={(rowId) =>
          void setParams({
            domain: null,
            actor: null,
            action: null,
            outcome: null,
            since: null,
            until: null,
            before_id: rowId + 1,
          })
        }
      />
      <section aria-labelledby="audit-rows-heading">
        <Title order={2} size="h4" id="audit-rows-heading" mb="xs">
          Audit rows
        </Title>
        <Stack gap="sm">
          <AuditFilterBar actors={page.map((row) => row.actor)} actions={page.map((row) => row.action)} />
          <QueryView
            query={rows}
            what="the audit log"
            loadingHeight={320}
            empty={(data) =>
              data.items.length === 0
                ? params.before_id !== null
                  ? { title: 'No older rows', hint: 'This is the oldest page for these filters; go back to the newest rows.' }
                  : filtered
                    ? { title: 'No audit rows match these filters', hint: 'Widen the dates or clear a filter.' }
                    : { title: 'The audit log is empty', hint: 'Rows appear as people use the API and jobs run.' }
                : null
            }
          >
            {(data) => (
              <AuditTable
                rows={data.items}
                caption={`Audit rows, newest first${params.before_id === null ? '' : `, below row ${params.before_id}`}`}
              />
            )}
          </QueryView>
          <div className={classes.pager}>
            <Text size="sm" c="dimmed" data-testid="audit-page-range" aria-live="polite">
              {rows.isPlaceholderData
                ? 'Loading…'
                : page.length === 0
                  ? ''
                  : `Rows ${page[0]?.id ?? ''} to ${page.at(-1)?.id ?? ''}${params.before_id === null ? ', the newest' : ''}`}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                size="xs"
                leftSection={<IconChevronsLeft size={14} aria-hidden />}
                disabled={params.before_id === null}
                onClick={() => void setParams({ before_id: null })}
                data-testid="audit-newest"
              >
                Newest
              </Button>
              <Button
                variant="default"
                size="xs"
                rightSection={<IconChevronRight size={14} aria-hidden />}
                disabled={nextBeforeId === null || rows.isPlaceholderData}
                onClick={() => {
                  if (nextBeforeId !== null) void setParams({ before_id: nextBeforeId });
                }}
                data-testid="audit-older"
              >
                Older
              </Button>
            </Group>
          </div>
        </Stack>
      </section>
    </Stack>
  );
}
