import { Button, Select, TextInput } from '@mantine/core';
import { useQueryStates } from 'nuqs';

import { AUDIT_DOMAINS, auditParams } from '@/features/audit/audit-params';
import classes from '@/features/audit/components/audit.module.css';
import { TextFilter } from '@/features/audit/components/TextFilter';

const DOMAIN_LABELS = { aw: 'AdventureWorks', wwi: 'WideWorldImporters', gateway: 'Gateway' } as const;

/** The outcomes the log records: calls (ok, error, denied) and job runs (their status). */
const OUTCOMES = ['ok', 'error', 'denied', 'succeeded', 'failed', 'skipped'];

/** Filters of the audit log, all in the URL; changing one goes back to the newest rows. */
export function AuditFilterBar({ actors, actions }: { actors: string[]; actions: string[] }) {
  const [params, setParams] = useQueryStates(auditParams);
  const filtered =
    params.domain !== null ||
    params.actor !== null ||
    params.action !== null ||
    params.outcome !== null ||
    params.since !== null ||
    params.until !== null;
  return (
    <div className={classes.filters} role="search" aria-label="Filter the audit log">
      <Select
        label="Domain"
        placeholder="Every domain"
        clearable
        data={AUDIT_DOMAINS.map((domain) => ({ value: domain, label: DOMAIN_LABELS[domain] }))}
        value={params.domain}
        onChange={(value) => {
          const domain = AUDIT_DOMAINS.find((candidate) => candidate === value) ?? null;
          void setParams({ domain, before_id: null });
        }}
      />
      <TextFilter
        label="Actor"
        placeholder="Anyone"
        value={params.actor}
        suggestions={actors}
        onCommit={(actor) => void setParams({ actor, before_id: null })}
      />
      <TextFilter
        label="Action"
        placeholder="Any action"
        value={params.action}
        suggestions={actions}
        onCommit={(action) => void setParams({ action, before_id: null })}
      />
      <Select
        label="Outcome"
        placeholder="Any outcome"
        clearable
        data={params.outcome !== null && !OUTCOMES.includes(params.outcome) ? [...OUTCOMES, params.outcome] : OUTCOMES}
        value={params.outcome}
        onChange={(outcome) => void setParams({ outcome, before_id: null })}
      />
      <TextInput
        type="date"
        label="From"
        description="start of the day, your time"
        value={params.since ?? ''}
        max={params.until ?? undefined}
        onChange={(event) => void setParams({ since: event.currentTarget.value || null, before_id: null })}
      />
      <TextInput
        type="date"
        label="Until"
        description="end of the day, your time"
        value={params.until ?? ''}
        min={params.since ?? undefined}
        onChange={(event) => void setParams({ until: event.currentTarget.value || null, before_id: null })}
      />
      {filtered ? (
        <Button
          variant="subtle"
          className={classes.clear}
          onClick={() =>
            void setParams({
              domain: null,
              actor: null,
              action: null,
              outcome: null,
              since: null,
              until: null,
              before_id: null,
            })
          }
        >
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
