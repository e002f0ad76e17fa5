/**
 * The one ECharts binding of the screens (the dashboard's CaseloadChart, the 统计报表 TrendChart): it registers
 * the tree-shaken parts every chart uses (canvas, grid, tooltip, legend); each chart registers its series types
 * (`echarts.use`) and builds its option; this mounts it.
 *
 * A small binding instead of echarts-for-react: its esm build imports `tslib` without declaring it, and npm
 * installs tslib only inside echarts/ and zrender/, so neither Vite nor Node can resolve it from
 * echarts-for-react. Only the lazy chart chunks import this file, so ECharts stays out of the main bundle.
 */

import type { SeriesOption } from 'echarts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** A chart's option: its series types on the shared grid, tooltip and legend. */
export type ChartOption<Series extends SeriesOption> = echarts.ComposeOption<
  Series | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** The charts' font: the Chinese UI fonts of each platform. */
export const CHART_FONT =
  "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

/** What an axis tooltip's formatter receives for each series. */
export interface TooltipItem {
  name: string;
  marker?: unknown;
  seriesIndex?: number;
  seriesName?: string;
  value?: unknown;
}

/** An axis tooltip: the category, then a line per series (marker, name, `value(item)`). */
export function axisTooltip(params: unknown, value: (p: TooltipItem) => string): string {
  const items = (Array.isArray(params) ? params : [params]) as TooltipItem[];
  return [
    items[0]?.name ?? '',
    ...items.map((p) => `${typeof p.marker === 'string' ? p.marker : ''}${p.seriesName ?? ''}：${value(p)}`),
  ].join('<br/>');
}

/** Mounts one chart instance on a div, follows the div's size, and replaces the option when it changes. */
export function EChart({
  option,
  height,
  testId,
}: {
  option: echarts.EChartsCoreOption;
  height: number;
  testId?: string | undefined;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const div = el.current;
    if (!div) return;
    const instance = echarts.init(div, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(div);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={el} data-testid={testId} style={{ height, width: '100%' }} role="img" />;
}
