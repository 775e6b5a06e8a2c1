import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import { awQueries } from '@/api/queries/aw';
import { Chart } from '@/components/chart/Chart';
import { QueryView } from '@/components/QueryView';
import { formatMonth } from '@/formatting/dates';
import { formatCurrency } from '@/formatting/numbers';

/** AdventureWorks revenue per month over the last year. */
export function RevenueSparkline() {
  const query = useQuery(awQueries.history(365, 'month'));
  return (
    <QueryView query={query} what="the monthly revenue" loadingHeight={64}>
      {(history) => <Sparkline points={history.points} />}
    </QueryView>
  );
}

function Sparkline({ points }: { points: { date: string; revenue: number }[] }) {
  const option = useMemo(
    () => ({
      grid: { left: 0, right: 0, top: 4, bottom: 0 },
      xAxis: { type: 'category', show: false, data: points.map((p) => formatMonth(p.date)) },
      yAxis: { type: 'value', show: false, min: 0 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value: number) => formatCurrency(value),
      },
      series: [
        {
          name: 'Monthly revenue',
          type: 'line',
          smooth: true,
          symbol: 'none',
          areaStyle: { opacity: 0.15 },
          data: points.map((p) => p.revenue),
        },
      ],
    }),
    [points],
  );
  return (
    <Chart
      option={option}
      height={64}
      label={`Monthly revenue, ${points.length} months, last ${formatCurrency(points.at(-1)?.revenue ?? null, { compact: true })}`}
    />
  );
}
