/** The forecast chart: recent daily actuals, the forecast line and its 80% band. */
import type { EChartsCoreOption } from 'echarts/core';

import type { components } from '@/api/schema';
import { formatDay } from '@/formatting/dates';
import { formatCurrency } from '@/formatting/numbers';
import { CHANNEL_COLORS } from '@/features/aw-sales/components/history-chart';

type SalesForecast = components['schemas']['SalesForecast'];
type HistoryPoint = components['schemas']['HistoryPoint'];

export const FORECAST_COLOR = '#f76707';
export const SERIES = {
  actual: 'Actual',
  forecast: 'Forecast',
  bandBase: 'Interval lower bound',
  band: '80% interval',
} as const;

interface TooltipParam {
  seriesName?: string;
  value?: unknown;
}

function dayOf(params: TooltipParam[]): string | null {
  const value = params[0]?.value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
}

/**
 * The option, with the forecast's series named "Forecast" holding exactly one point per
 * forecast day (the chart's `data-points` reads "Forecast:30").
 */
export function forecastOption(
  forecast: SalesForecast,
  actuals: HistoryPoint[],
  zoomFrom: string | null,
): EChartsCoreOption {
  const byDay = new Map(forecast.points.map((p) => [p.date, p]));
  const actualByDay = new Map(actuals.map((p) => [p.date, p.internet_revenue]));
  const tooltipText = (raw: unknown): string => {
    const params = (Array.isArray(raw) ? raw : [raw]) as TooltipParam[];
    const day = dayOf(params);
    if (day === null) return '';
    const lines = [formatDay(day)];
    const actual = actualByDay.get(day);
    if (actual !== undefined) lines.push(`Actual: ${formatCurrency(actual)}`);
    const point = byDay.get(day);
    if (point !== undefined) {
      lines.push(`Forecast: ${formatCurrency(point.forecast)}`);
      lines.push(`80% interval: ${formatCurrency(point.lower)} – ${formatCurrency(point.upper)}`);
    }
    return lines.join('\n');
  };
  return {
    // Rendered on the canvas: an HTML tooltip would set inline styles, which the CSP refuses.
    tooltip: { trigger: 'axis', renderMode: 'richText', formatter: tooltipText },
    legend: { top: 0, data: [SERIES.actual, SERIES.forecast, SERIES.band] },
    grid: { left: 8, right: 16, top: 56, bottom: 72, containLabel: true },
    xAxis: { type: 'time', name: 'Day', nameLocation: 'middle', nameGap: 26, axisLabel: { hideOverlap: true } },
    // The y axis follows the zoomed days, so a forecast after a fall in revenue stays readable.
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, ...(zoomFrom === null ? {} : { startValue: zoomFrom }) },
      { type: 'slider', xAxisIndex: 0, height: 20, bottom: 8, ...(zoomFrom === null ? {} : { startValue: zoomFrom }) },
    ],
    yAxis: {
      type: 'value',
      name: 'Internet revenue per day (USD)',
      nameTextStyle: { align: 'left' },
      min: 0,
      axisLabel: { formatter: (value: number) => formatCurrency(value, { compact: true }) },
    },
    series: [
      {
        name: SERIES.actual,
        type: 'line',
        color: CHANNEL_COLORS.internet,
        symbol: 'none',
        lineStyle: { width: 1.5 },
        data: actuals.map((p) => [p.date, p.internet_revenue]),
      },
      {
        name: SERIES.bandBase,
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        color: FORECAST_COLOR,
        tooltip: { show: false },
        data: forecast.points.map((p) => [p.date, p.lower]),
      },
      {
        name: SERIES.band,
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        color: FORECAST_COLOR,
        areaStyle: { color: FORECAST_COLOR, opacity: 0.18 },
        data: forecast.points.map((p) => [p.date, p.upper - p.lower]),
      },
      {
        name: SERIES.forecast,
        type: 'line',
        color: FORECAST_COLOR,
        symbol: 'none',
        lineStyle: { width: 2, type: 'dashed' },
        data: forecast.points.map((p) => [p.date, p.forecast]),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { type: 'solid', color: '#868e96' },
          label: { formatter: `Data as of ${formatDay(forecast.as_of)}`, position: 'insideEndTop' },
          data: [{ xAxis: forecast.as_of }],
        },
      },
    ],
  };
}
