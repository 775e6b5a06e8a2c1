import { useMemo } from 'react';

import type { components } from '@/api/schema';
import { Chart } from '@/components/chart/Chart';
import { formatDecimal } from '@/formatting/numbers';

type RepScore = components['schemas']['RepScore'];

const ROW_HEIGHT = 26;

/** One horizontal bar per rep, best on top. */
export function RepScoreChart({ reps }: { reps: RepScore[] }) {
  const option = useMemo(
    () => ({
      // Rendered on the canvas: an HTML tooltip would set inline styles, which the CSP refuses.
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value: unknown) => (typeof value === 'number' ? formatDecimal(value, 2) : '—'),
      },
      grid: { left: 8, right: 40, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, name: 'Score (0–100)', nameLocation: 'middle', nameGap: 24, position: 'top' },
      yAxis: {
        type: 'category',
        inverse: true,
        data: reps.map((rep) => `${String(rep.rank)}. ${rep.name}`),
        axisTick: { show: false },
      },
      series: [
        {
          name: 'Score',
          type: 'bar',
          color: '#228be6',
          barMaxWidth: 18,
          data: reps.map((rep) => rep.score),
          label: { show: true, position: 'right', formatter: (p: { value: number }) => formatDecimal(p.value) },
        },
      ],
    }),
    [reps],
  );
  return (
    <Chart
      option={option}
      height={reps.length * ROW_HEIGHT + 64}
      label={`Score of each of the ${reps.length} reps shown, from ${reps[0]?.name ?? ''} down; the table above has the same figures.`}
    />
  );
}
