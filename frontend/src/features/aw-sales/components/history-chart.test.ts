import { describe, expect, it } from 'vitest';

import { historyOption, partialPeriods, windowStart } from '@/features/aw-sales/components/history-chart';

const point = (date: string) => ({ date, internet_revenue: 1, reseller_revenue: 2, revenue: 3, orders: 1 });

describe('partialPeriods', () => {
  it('marks the first and last month when the window cuts them', () => {
    const history = {
      as_of: '2014-01-28',
      grain: 'month' as const,
      days_back: 60,
      points: [point('2013-11-01'), point('2013-12-01'), point('2014-01-01')],
    };
    expect(windowStart(history)).toBe('2013-11-30');
    expect([...partialPeriods(history)]).toEqual(['2013-11-01', '2014-01-01']);
  });

  it('marks nothing for whole weeks and never for days', () => {
    const weeks = {
      as_of: '2014-01-26',
      grain: 'week' as const,
      days_back: 14,
      points: [point('2014-01-13'), point('2014-01-20')],
    };
    expect(partialPeriods(weeks).size).toBe(0);
    expect(partialPeriods({ ...weeks, grain: 'day' }).size).toBe(0);
  });
});

describe('historyOption', () => {
  it('stacks the channels only in the stacked layout', () => {
    const history = { as_of: '2014-01-28', grain: 'day' as const, days_back: 1, points: [point('2014-01-28')] };
    const stacked = historyOption(history, 'stacked') as { series: { stack?: string }[] };
    const side = historyOption(history, 'side') as { series: { stack?: string }[] };
    expect(stacked.series.slice(0, 2).map((s) => s.stack)).toEqual(['revenue', 'revenue']);
    expect(side.series.slice(0, 2).map((s) => s.stack)).toEqual([undefined, undefined]);
  });
});
