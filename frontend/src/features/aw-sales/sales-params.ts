/** The sales page's URL state: history window, grain and layout, forecast horizon. */
import { parseAsNumberLiteral, parseAsStringLiteral } from 'nuqs';

export const GRAINS = ['day', 'week', 'month'] as const;
export const HISTORY_WINDOWS = [30, 90, 180, 365, 730, 1461] as const;
export const LAYOUTS = ['stacked', 'side'] as const;
export const HORIZONS = [30, 60, 90] as const;

export type HistoryWindow = (typeof HISTORY_WINDOWS)[number];
export type Layout = (typeof LAYOUTS)[number];
export type Horizon = (typeof HORIZONS)[number];

export const DEFAULT_GRAIN = 'day';
export const DEFAULT_WINDOW: HistoryWindow = 365;
export const DEFAULT_LAYOUT: Layout = 'stacked';
export const DEFAULT_HORIZON: Horizon = 30;

export const WINDOW_LABELS: Record<HistoryWindow, string> = {
  30: 'Last 30 days',
  90: 'Last 90 days',
  180: 'Last 180 days',
  365: 'Last year',
  730: 'Last 2 years',
  1461: 'Last 4 years',
};

export const salesParams = {
  grain: parseAsStringLiteral(GRAINS).withDefault(DEFAULT_GRAIN),
  days: parseAsNumberLiteral(HISTORY_WINDOWS).withDefault(DEFAULT_WINDOW),
  layout: parseAsStringLiteral(LAYOUTS).withDefault(DEFAULT_LAYOUT),
  horizon: parseAsNumberLiteral(HORIZONS).withDefault(DEFAULT_HORIZON),
};

/** The days of daily history drawn before the forecast. */
export const RECENT_DAYS = 90;
