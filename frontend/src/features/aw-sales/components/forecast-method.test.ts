import { describe, expect, it } from 'vitest';

import { describeMethod, levelBreakDate } from '@/features/aw-sales/components/forecast-method';

describe('describeMethod', () => {
  it('explains a least-squares fit with its terms, window and re-anchoring', () => {
    const words = describeMethod(
      'least squares: level + trend + weekday + 2 yearly harmonics on the last 728 days, re-anchored to the last 7 days',
    );
    expect(words).toContain('over the last 728 days');
    expect(words).toContain('a straight-line trend, a different level for each weekday and yearly seasonality (2 waves)');
    expect(words).toContain('shifted to the level of the last 7 days');
    expect(words).toContain('smallest error when tried on earlier days');
  });

  it('explains a fit on all history with the level only', () => {
    expect(describeMethod('least squares: level on all 400 days')).toContain('average level of daily internet revenue over all 400 days');
  });

  it('explains the fallback mean and the level break', () => {
    const method =
      'mean of the last 28 days (too little history for least squares); history before the level break on 2014-01-01 left out';
    const words = describeMethod(method);
    expect(words).toContain('average daily internet revenue of the last 28 days');
    expect(words).toMatch(/Sales before .*2014 are left out/);
    expect(levelBreakDate(method)).toBe('2014-01-01');
  });

  it('returns null for a method it does not know, so the page shows the API text alone', () => {
    expect(describeMethod('gradient boosting')).toBeNull();
    expect(levelBreakDate('gradient boosting')).toBeNull();
  });
});
