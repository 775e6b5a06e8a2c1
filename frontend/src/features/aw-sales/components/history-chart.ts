/** The sales history shaped for its chart, table and totals. */
import type { EChartsCoreOption } from 'echarts/core';

import type { Grain } from '@/api/queries/aw';
import type { components } from '@/api/schema';
import { formatDay, formatMonth } from '@/formatting/dates';
import { formatCount, formatCurrency } from '@/formatting/numbers';
import type { Layout } from '@/features/aw-sales/sales-params';

type SalesHistory = components['schemas']['SalesHistory'];
type HistoryPoint = components['schemas']['HistoryPoint'];

/** Mantine's blue, grape and orange (the channel colours of the overview). */
export const CHANNEL_COLORS = { internet: '#228be6', reseller: '#be4bdb', orders: '#fd7e14' };

const DAY_MS = 86_400_000;

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function lastDayOfMonth(isoDate: string): string {
  const day = new Date(`${isoDate.slice(0, 7)}-01T00:00:00Z`);
  day.setUTCMonth(day.getUTCMonth() + 1);
  day.setUTCDate(0);
  return day.toISOString().slice(0, 10);
}

/** "28 Jan 2014", "Week of 27 Jan 2014", "Jan 2014". */
export function periodLabel(date: string, grain: Grain): string {
  if (grain === 'month') return formatMonth(date);
  if (grain === 'week') return `Week of ${formatDay(date)}`;
  return formatDay(date);
}

/** The first day of the window: the API counts `days_back` days ending at `as_of`. */
export function windowStart(history: SalesHistory): string {
  return addDays(history.as_of, 1 - history.days_back);
}

/** Return the dates of the buckets cut by the window's edges (a week or month not whole). */
export function partialPeriods(history: SalesHistory): Set<string> {
  const partial = new Set<string>();
  if (history.grain === 'day') return partial;
  const first = history.points[0];
  const last = history.points.at(-1);
  if (first !== undefined && first.date < windowStart(history)) partial.add(first.date);
  if (last !== undefined) {
    const end = history.grain === 'week' ? addDays(last.date, 6) : lastDayOfMonth(last.date);
    if (end > history.as_of) partial.add(last.date);
  }
  return partial;
}

export interface HistoryTotals {
  revenue: number;
  internet: number;
  reseller: number;
  orders: number;
}

export function historyTotals(points: HistoryPoint[]): HistoryTotals {
  return points.reduce<HistoryTotals>(
    (sum, p) => ({
      revenue: sum.revenue + p.revenue,
      internet: sum.internet + p.internet_revenue,
      reseller: sum.reseller + p.reseller_revenue,
      orders: sum.orders + p.orders,
    }),
    { revenue: 0, internet: 0, reseller: 0, orders: 0 },
  );
}

/** More bars than this get a zoom slider. */
const ZOOM_FROM_POINTS = 60;

const currencyExact = (value: unknown) => formatCurrency(typeof value === 'number' ? value : null);
const countExact = (value: unknown) => formatCount(typeof value === 'number' ? value : null);

/** The ECharts option: revenue bars per channel (stacked or side by side) and an orders line. */
export function historyOption(history: SalesHistory, layout: Layout): EChartsCoreOption {
  const { points, grain } = history;
  const zoom = points.length > ZOOM_FROM_POINTS;
  const stack = layout === 'stacked' ? 'revenue' : undefined;
  return {
    // Rendered on the canvas: an HTML tooltip would set inline styles, which the CSP refuses.
    tooltip: { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: ['Internet revenue', 'Reseller revenue', 'Orders'] },
    grid: { left: 8, right: 8, top: 56, bottom: zoom ? 64 : 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: points.map((p) => periodLabel(p.date, grain)),
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      {
        type: 'value',
        name: 'Revenue (USD)',
        nameTextStyle: { align: 'left' },
        axisLabel: { formatter: (value: number) => formatCurrency(value, { compact: true }) },
      },
      {
        type: 'value',
        name: 'Orders',
        nameTextStyle: { align: 'right' },
        splitLine: { show: false },
        axisLabel: { formatter: (value: number) => formatCount(value, { compact: true }) },
      },
    ],
    dataZoom: zoom
      ? [
          { type: 'inside', xAxisIndex: 0 },
          { type: 'slider', xAxisIndex: 0, height: 24, bottom: 8 },
        ]
      : [],
    series: [
      {
        name: 'Internet revenue',
        type: 'bar',
        stack,
        color: CHANNEL_COLORS.internet,
        data: points.map((p) => p.internet_revenue),
        tooltip: { valueFormatter: currencyExact },
      },
      {
        name: 'Reseller revenue',
        type: 'bar',
        stack,
        color: CHANNEL_COLORS.reseller,
        data: points.map((p) => p.reseller_revenue),
        tooltip: { valueFormatter: currencyExact },
      },
      {
        name: 'Orders',
        type: 'line',
        yAxisIndex: 1,
        color: CHANNEL_COLORS.orders,
        symbol: 'none',
        lineStyle: { width: 1, opacity: 0.75 },
        data: points.map((p) => p.orders),
        tooltip: { valueFormatter: countExact },
      },
    ],
  };
}
