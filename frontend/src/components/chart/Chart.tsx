import { Skeleton } from '@mantine/core';
import { lazy, Suspense } from 'react';

import type { EChartProps } from '@/components/chart/EChart';

// ECharts is the largest dependency: it loads after the page's numbers, in its own chunk.
const EChart = lazy(() => import('@/components/chart/EChart'));

export function Chart(props: EChartProps) {
  return (
    <Suspense fallback={<Skeleton height={props.height} radius="sm" />}>
      <EChart {...props} />
    </Suspense>
  );
}
