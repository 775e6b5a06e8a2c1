import { describe, expect, it } from 'vitest';

import { triggerExplanation } from '@/features/jobs/trigger';

describe('triggerExplanation', () => {
  it('says which run a data-change run recomputed', () => {
    expect(triggerExplanation({ trigger: 'data-change', supersedes_execution_id: 41 })).toBe(
      "The warehouse's data changed after run #41; this run recomputed its snapshots.",
    );
  });

  it('still explains a data-change run that names no run', () => {
    expect(triggerExplanation({ trigger: 'data-change', supersedes_execution_id: null })).toBe(
      "The warehouse's data changed; this run recomputed its snapshots.",
    );
  });

  it('tells a scheduled run from one started by hand', () => {
    expect(triggerExplanation({ trigger: 'schedule', supersedes_execution_id: null })).toMatch(/^The job's schedule/);
    expect(triggerExplanation({ trigger: 'run-now', supersedes_execution_id: null })).toMatch(/Run now/);
  });
});
