/** The reps page's URL state: window, territory filter and how many reps. */
import { parseAsNumberLiteral, parseAsString } from 'nuqs';

export const REP_WINDOWS = [90, 365, 730] as const;
export const REP_TOPS = [10, 25, 50, 100] as const;
export const DEFAULT_TOP = 25;

export type RepWindow = (typeof REP_WINDOWS)[number];
export type RepTop = (typeof REP_TOPS)[number];

export const WINDOW_LABELS: Record<RepWindow, string> = {
  90: 'Last 90 days',
  365: 'Last year',
  730: 'Last 2 years',
};

export const repsParams = {
  /** Absent: all history. */
  days: parseAsNumberLiteral(REP_WINDOWS),
  /** Absent: all territories. */
  territory: parseAsString,
  top: parseAsNumberLiteral(REP_TOPS).withDefault(DEFAULT_TOP),
};
