/** The supplier score chart's ECharts option: one horizontal bar per supplier, best on top. */
import type { components } from '@/api/schema';
import { formatCount, formatDecimal, formatPercent } from '@/formatting/numbers';

type SupplierScore = components['schemas']['SupplierScore'];

export const BAR_HEIGHT = 30;
const CHART_PADDING = 64;

/** Return the chart's height for `count` suppliers. */
export function scoreChartHeight(count: number): number {
  return Math.max(count, 1) * BAR_HEIGHT + CHART_PADDING;
}

function tooltipLine(label: string, value: string): string {
  return `${label}: <b>${value}</b>`;
}

/** Return the option drawing `suppliers` (in rank order) as score bars from 0 to 100. */
export function scoreChartOption(suppliers: readonly SupplierScore[]) {
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 40, containLabel: true },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      name: 'Score (0–100)',
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: suppliers.map((s) => s.supplier),
      axisTick: { show: false },
      axisLabel: { width: 170, overflow: 'truncate' },
    },
    tooltip: {
      trigger: 'item',
      formatter: (params: { dataIndex: number }) => {
        const s = suppliers[params.dataIndex];
        if (s === undefined) return '';
        return [
          `<b>${escapeHtml(s.supplier)}</b> (rank ${s.rank})`,
          tooltipLine('Score', formatDecimal(s.score)),
          tooltipLine('Fill rate', formatPercent(s.fill_rate_pct)),
          tooltipLine('On time', formatPercent(s.on_time_pct)),
          tooltipLine('Average delay', s.avg_delay_days === null ? '—' : `${formatDecimal(s.avg_delay_days)} days`),
          `${plural(s.lines, 'line')} on ${plural(s.purchase_orders, 'purchase order')}, ${formatCount(s.open_lines)} open`,
        ].join('<br/>');
      },
    },
    series: [
      {
        name: 'Score',
        type: 'bar',
        barMaxWidth: 20,
        data: suppliers.map((s) => s.score),
        label: {
          show: true,
          position: 'right',
          formatter: (params: { value: number }) => formatDecimal(params.value),
        },
      },
    ],
  };
}

function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** Supplier names are data: the tooltip renders HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
