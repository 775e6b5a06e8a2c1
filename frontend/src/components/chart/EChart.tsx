import { useMantineColorScheme } from '@mantine/core';
import { useComputedColorScheme } from '@mantine/core';
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef } from 'react';

import { echarts } from '@/components/chart/echarts-setup';

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  /** Read out to screen readers; the same data is always reachable as a table too. */
  label: string;
}

/** Draws `option` with ECharts, following the colour scheme and the container's width. */
export default function EChart({ option, height, label }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const { colorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const dark = (colorScheme === 'auto' ? scheme : colorScheme) === 'dark';

  useEffect(() => {
    const element = container.current;
    if (element === null) return undefined;
    const chart = echarts.init(element, dark ? 'dark' : undefined, { renderer: 'canvas' });
    const resize = new ResizeObserver(() => { chart.resize(); });
    resize.observe(element);
    chart.setOption(withCanvasTooltip({ backgroundColor: 'transparent', aria: { enabled: true }, ...option }));
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [option, dark]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      className="chart"
      data-testid="chart"
      data-points={pointCounts(option)}
      style={{ height }}
    />
  );
}

/**
 * ECharts' default HTML tooltip writes `style="…"` markup, which the CSP refuses; its
 * rich-text tooltip is drawn on the canvas instead.
 */
function withCanvasTooltip(option: EChartsCoreOption): EChartsCoreOption {
  const tooltip = (option as { tooltip?: object }).tooltip;
  return tooltip === undefined ? option : { ...option, tooltip: { ...tooltip, renderMode: 'richText' } };
}

/** `name:count` per series, e.g. "Forecast:30", so a reader (or a test) can check the data. */
function pointCounts(option: EChartsCoreOption): string {
  const series = (option as { series?: { name?: string; data?: unknown[] }[] }).series ?? [];
  return series.map((s) => `${s.name ?? ''}:${s.data?.length ?? 0}`).join(',');
}
