import { describe, expect, it } from 'vitest';

import { judgeBacktest } from '@/features/aw-sales/components/forecast-verdict';

const backtest = (over: Partial<Parameters<typeof judgeBacktest>[0]>) => ({
  horizon_days: 30,
  folds: 3,
  note: null,
  mape: 12,
  smape: 10,
  baseline_smape: 20,
  coverage_pct: 80,
  ...over,
});

describe('judgeBacktest', () => {
  it('calls a forecast that beats the baseline with a well-calibrated band sound', () => {
    const verdict = judgeBacktest(backtest({}));
    expect(verdict.level).toBe('sound');
    expect(verdict.reasons.join(' ')).toContain('beat repeating last week');
  });

  it('calls a forecast worse than the seasonal-naive baseline not meaningful', () => {
    const verdict = judgeBacktest(backtest({ smape: 187.4, baseline_smape: 172.3 }));
    expect(verdict.level).toBe('not-meaningful');
    expect(verdict.headline).toMatch(/not meaningful/i);
    expect(verdict.reasons[0]).toContain('187.4%');
    expect(verdict.reasons[0]).toContain('172.3%');
  });

  it('treats a tie with the baseline as no better than the baseline', () => {
    expect(judgeBacktest(backtest({ smape: 20, baseline_smape: 20 })).level).toBe('not-meaningful');
  });

  it('calls an interval that held no backtest day not meaningful, even when the error beats the baseline', () => {
    const verdict = judgeBacktest(backtest({ coverage_pct: 0 }));
    expect(verdict.level).toBe('not-meaningful');
    expect(verdict.reasons.join(' ')).toContain('None of the 90 backtest days');
  });

  it('calls a forecast without a backtest untested and gives the reason the service gave', () => {
    const note = 'No backtest: 31 days of history since the level break on 2013-12-29, and a meaningful backtest needs at least 35.';
    const verdict = judgeBacktest(
      backtest({ folds: 0, smape: null, baseline_smape: null, coverage_pct: null, mape: null, note }),
    );
    expect(verdict.level).toBe('untested');
    expect(verdict.headline).toMatch(/untested/i);
    expect(verdict.reasons).toEqual([note]);
  });

  it('warns when the interval covers far fewer days than 80%', () => {
    const verdict = judgeBacktest(backtest({ coverage_pct: 36.7 }));
    expect(verdict.level).toBe('caution');
    expect(verdict.reasons[0]).toContain('36.7%');
  });

  it('warns when the gain over the baseline is marginal', () => {
    const verdict = judgeBacktest(backtest({ smape: 75, baseline_smape: 79.9, coverage_pct: 58.9 }));
    expect(verdict.level).toBe('caution');
    expect(verdict.reasons[0]).toContain('only slightly better');
  });

  it('lists every finding when several apply, worst first', () => {
    const verdict = judgeBacktest(backtest({ smape: 30, baseline_smape: 20, coverage_pct: 40 }));
    expect(verdict.level).toBe('not-meaningful');
    expect(verdict.reasons).toHaveLength(2);
    expect(verdict.reasons[1]).toContain('40.0%');
  });
});
