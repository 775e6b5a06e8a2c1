/** The audit view's URL state (filters and the page), and the API's filters made from it. */
import { createParser, parseAsInteger, parseAsString, parseAsStringLiteral } from 'nuqs';

import type { AuditDomain, AuditFilters } from '@/api/queries/operations';

export const AUDIT_DOMAINS = ['aw', 'wwi', 'gateway'] as const satisfies readonly AuditDomain[];

/** Rows per page: the older page starts below the last row's id. */
export const AUDIT_PAGE_SIZE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day as a date input gives it (2026-01-31); anything else is ignored. */
export const parseAsDay = createParser({
  parse: (value: string) => (DAY.test(value) && !Number.isNaN(Date.parse(value)) ? value : null),
  serialize: (value: string) => value,
});

export const auditParams = {
  domain: parseAsStringLiteral(AUDIT_DOMAINS),
  actor: parseAsString,
  action: parseAsString,
  outcome: parseAsString,
  since: parseAsDay,
  until: parseAsDay,
  // Each older page is a new history entry, so the browser's Back returns to the newer one.
  before_id: parseAsInteger.withOptions({ history: 'push' }),
};

/** The moment the reader's local day `day` starts, as ISO 8601 in UTC. */
export function startOfLocalDay(day: string, plusDays = 0): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date + plusDays).toISOString();
}

interface AuditParamValues {
  domain: AuditDomain | null;
  actor: string | null;
  action: string | null;
  outcome: string | null;
  since: string | null;
  until: string | null;
  before_id: number | null;
}

/** The API's filters: `since` from the start of its day, `until` to the end of its day. */
export function auditFilters(params: AuditParamValues): AuditFilters {
  return {
    domain: params.domain,
    actor: params.actor?.trim() || null,
    action: params.action?.trim() || null,
    outcome: params.outcome,
    since: params.since === null ? null : startOfLocalDay(params.since),
    until: params.until === null ? null : startOfLocalDay(params.until, 1),
    beforeId: params.before_id,
    limit: AUDIT_PAGE_SIZE,
  };
}
