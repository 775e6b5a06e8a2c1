/**
 * The one place that picks ECharts' parts: only what the app draws is bundled (line and bar
 * series, grid, tooltip, legend, data zoom, mark lines), on the canvas renderer — it sets
 * styles through the CSSOM only, which the gateway's CSP (no inline styles) allows.
 */
import { BarChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };
