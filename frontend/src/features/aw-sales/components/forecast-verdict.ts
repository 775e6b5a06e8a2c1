/**
 * How far to trust the forecast, from its backtest: the model refitted without each of the
 * newest stretches of days since the latest level break and scored on them against the
 * seasonal-naive forecast (each weekday copied from one week earlier) and against its own 80%
 * interval. Without such days there is no backtest, and the verdict says the forecast is untested.
 */
import type { components } from '@/api/schema';
import { formatPercent } from '@/formatting/numbers';

type ForecastBacktest = components['schemas']['ForecastBacktest'];

/** The share of days an 80% interval should hold. */
export const NOMINAL_COVERAGE_PCT = 80;
/** Below this the interval is far too narrow to plan with. */
export const LOW_COVERAGE_PCT = 50;
/** Beating the baseline's sMAPE by less than this fraction of it is no real gain. */
export const MARGINAL_GAIN = 0.1;

export type VerdictLevel = 'sound' | 'caution' | 'untested' | 'not-meaningful';

export interface BacktestVerdict {
  level: VerdictLevel;
  headline: string;
  /** One sentence per finding, worst first. */
  reasons: string[];
}

/** Return the verdict on a backtest, with the reasons a reader can check against the figures. */
export function judgeBacktest(backtest: ForecastBacktest): BacktestVerdict {
  const { smape, baseline_smape: baseline, coverage_pct: coverage } = backtest;
  if (backtest.folds === 0 || smape === null || baseline === null || coverage === null) {
    return {
      level: 'untested',
      headline: 'Untested: too little comparable history for a backtest',
      reasons: [backtest.note ?? 'The history since the latest level break is too short to score the forecast on.'],
    };
  }
  const days = backtest.folds * backtest.horizon_days;
  const fatal: string[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];

  if (smape >= baseline) {
    fatal.push(
      `Over ${days} backtest days it missed by more than simply repeating last week ` +
        `(sMAPE ${formatPercent(smape)} against ${formatPercent(baseline)} for the seasonal-naive baseline).`,
    );
  } else if (baseline - smape < MARGINAL_GAIN * baseline) {
    warnings.push(
      `It is only slightly better than repeating last week ` +
        `(sMAPE ${formatPercent(smape)} against ${formatPercent(baseline)}).`,
    );
  } else {
    notes.push(
      `It beat repeating last week (sMAPE ${formatPercent(smape)} against ${formatPercent(baseline)}).`,
    );
  }

  if (coverage === 0) {
    fatal.push(
      `None of the ${days} backtest days fell inside its 80% interval: the band says nothing about the risk.`,
    );
  } else if (coverage < LOW_COVERAGE_PCT) {
    warnings.push(
      `Only ${formatPercent(coverage)} of the backtest days fell inside the 80% interval ` +
        `(${formatPercent(NOMINAL_COVERAGE_PCT, 0)} expected): the real range is much wider than the band.`,
    );
  } else if (coverage < NOMINAL_COVERAGE_PCT - 10) {
    notes.push(
      `${formatPercent(coverage)} of the backtest days fell inside the 80% interval: the band is somewhat narrow.`,
    );
  } else {
    notes.push(
      `${formatPercent(coverage)} of the backtest days fell inside the 80% interval (${formatPercent(NOMINAL_COVERAGE_PCT, 0)} expected).`,
    );
  }

  if (fatal.length > 0) {
    return {
      level: 'not-meaningful',
      headline: 'Not meaningful: do not plan with this forecast',
      reasons: [...fatal, ...warnings, ...notes],
    };
  }
  if (warnings.length > 0) {
    return {
      level: 'caution',
      headline: 'Use with caution: the backtest is weak',
      reasons: [...warnings, ...notes],
    };
  }
  return { level: 'sound', headline: 'Held up in the backtest', reasons: notes };
}
