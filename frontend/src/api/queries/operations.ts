/**
 * Query options for the operations views (jobs, audit log, reports): one per API route,
 * shared by every page (the overview shows the last run of each job from `jobHistory`).
 */
import { queryOptions } from '@tanstack/react-query';

import { api, request } from '@/api/client';
import type { components } from '@/api/schema';

export type JobStatus = components['schemas']['JobStatus'];
export type JobExecution = components['schemas']['JobExecution'];
export type JobTrigger = components['schemas']['JobTrigger'];
export type JobExecutionPage = components['schemas']['Page_JobExecution_'];
export type JobSchedule = components['schemas']['JobSchedule'];
export type JobRunStarted = components['schemas']['JobRunStarted'];
export type AuditRow = components['schemas']['AuditRow'];
export type AuditDomain = AuditRow['domain'];
export type ChainReport = components['schemas']['ChainReport'];
export type Report = components['schemas']['ReportOut'];

/** A service that runs jobs: the two domain services and the gateway itself. */
export type JobService = 'aw' | 'wwi' | 'gateway';
export const JOB_SERVICES: readonly JobService[] = ['aw', 'wwi', 'gateway'];
export const JOB_SERVICE_NAMES: Record<JobService, string> = {
  aw: 'AdventureWorks',
  wwi: 'WideWorldImporters',
  gateway: 'Gateway',
};

export interface JobHistoryFilters {
  /** How many executions, newest first (the API's default when absent). */
  limit?: number;
  status?: JobStatus | null;
  jobId?: string | null;
}

export interface AuditFilters {
  domain?: AuditDomain | null;
  actor?: string | null;
  action?: string | null;
  outcome?: string | null;
  /** ISO 8601 moments: since <= occurred_at < until. */
  since?: string | null;
  until?: string | null;
  /** Paging: only rows with a smaller id (the previous page's `next_before_id`). */
  beforeId?: number | null;
  limit?: number;
}

/** Drop the filters that are not set, so the query string names only what was chosen. */
function present<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== null && value !== undefined && value !== ''),
  ) as Partial<T>;
}

/** Prefixes of the query keys, to invalidate a whole family after a change. */
export const operationsKeys = {
  jobs: (service: JobService) => ['operations', 'jobs', service] as const,
  jobHistory: (service: JobService) => ['operations', 'jobs', service, 'history'] as const,
  audit: ['operations', 'audit'] as const,
  reports: ['operations', 'reports'] as const,
};

export const operationsQueries = {
  /** The jobs a domain service runs and their schedules (standard cron, UTC). */
  jobSchedules: (service: Exclude<JobService, 'gateway'>) =>
    queryOptions({
      queryKey: [...operationsKeys.jobs(service), 'schedules'],
      queryFn: ({ signal }) => {
        const operation = `${JOB_SERVICE_NAMES[service]} job schedules`;
        return service === 'aw'
          ? request(operation, api.GET('/api/aw/jobs', { signal }))
          : request(operation, api.GET('/api/wwi/jobs', { signal }));
      },
    }),
  /** A service's job executions, newest first. */
  jobHistory: (service: JobService, filters: JobHistoryFilters = {}) => {
    const query = present({ limit: filters.limit, status: filters.status, job_id: filters.jobId });
    return queryOptions({
      queryKey: [...operationsKeys.jobHistory(service), query],
      queryFn: ({ signal }) => {
        const operation = `${JOB_SERVICE_NAMES[service]} job history`;
        return service === 'gateway'
          ? request(operation, api.GET('/api/jobs/gateway', { params: { query }, signal }))
          : request(
              operation,
              api.GET('/api/jobs/{domain}', { params: { path: { domain: service }, query }, signal }),
            );
      },
    });
  },
  /** Audit rows, newest first, matching every filter given. */
  audit: (filters: AuditFilters) => {
    const query = present({
      domain: filters.domain,
      actor: filters.actor,
      action: filters.action,
      outcome: filters.outcome,
      since: filters.since,
      until: filters.until,
      before_id: filters.beforeId,
      limit: filters.limit,
    });
    return queryOptions({
      queryKey: [...operationsKeys.audit, 'rows', query],
      queryFn: ({ signal }) =>
        request('The audit log', api.GET('/api/audit', { params: { query }, signal })),
    });
  },
  /** The audit log's hash chain, checked end to end. */
  auditVerify: () =>
    queryOptions({
      queryKey: [...operationsKeys.audit, 'verify'],
      queryFn: ({ signal }) =>
        request('The audit chain check', api.GET('/api/audit/verify', { signal })),
    }),
  /** The generated reports, newest first. */
  reports: (limit?: number) =>
    queryOptions({
      queryKey: [...operationsKeys.reports, 'list', limit ?? null],
      queryFn: ({ signal }) =>
        request(
          'The report list',
          api.GET('/api/reports', { params: { query: present({ limit }) }, signal }),
        ),
    }),
  /** One generated report. */
  report: (reportId: string) =>
    queryOptions({
      queryKey: [...operationsKeys.reports, 'detail', reportId],
      queryFn: ({ signal }) =>
        request(
          `Report ${reportId}`,
          api.GET('/api/reports/{report_id}', { params: { path: { report_id: reportId } }, signal }),
        ),
    }),
};
