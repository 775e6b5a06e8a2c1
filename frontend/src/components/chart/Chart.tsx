import { Skeleton } from '@mantine/core';
import { lazy, Suspense } from 'react';

import type { EChartProps } from '@/components/chart/EChart';

// ECharts is the largest dependency, in its own chunk. Its download starts as soon as a page
// with a chart loads, alongside the page's API calls, instead of after the data arrived.
const loadEChart = () => import('@/components/chart/EChart');
void loadEChart();
const EChart = lazy(loadEChart);

export function Chart(props: EChartProps) {
  return (
    <Suspense
      fallback={
        <Skeleton height={props.height} radius="sm" aria-busy="true" aria-label={`Loading ${props.label}`} />
      }
    >
      <EChart {...props} />
    </Suspense>
  );
}
