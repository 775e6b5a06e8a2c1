import { describe, expect, it } from 'vitest';

import { usableTraceId } from '@/components/TraceId';
import { otherDetails, qualitySummary } from '@/features/jobs/details';

describe('job execution details', () => {
  it('counts passed checks, failed errors and warnings', () => {
    const check = (passed: boolean, severity: string) => ({
      name: `c${String(passed)}${severity}`,
      severity,
      passed,
      observed: 1,
      threshold: 0,
      comparison: '<=',
      description: '',
      error: null,
    });
    const summary = qualitySummary({
      checks: [check(true, 'error'), check(false, 'error'), check(false, 'warning'), check(true, 'warning')],
    });
    expect(summary).toMatchObject({ passed: 2, failedErrors: 1, warnings: 1 });
  });

  it('finds no checks in a job that ran none', () => {
    expect(qualitySummary({ as_of: '2014-01-28', reps: 17 })).toBeNull();
  });

  it('lists the other details that fit on a line', () => {
    expect(
      otherDetails({ as_of: '2016-05-31', by_urgency: { critical: 3, none: 224 }, nested: { a: { b: 1 } } }),
    ).toEqual([
      ['as_of', '2016-05-31'],
      ['by_urgency', { critical: 3, none: 224 }],
    ]);
  });

  it('treats an all-zero trace id as none', () => {
    expect(usableTraceId('00000000000000000000000000000000')).toBeNull();
    expect(usableTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
