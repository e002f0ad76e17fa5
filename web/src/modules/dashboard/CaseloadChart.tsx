/**
 * The only place that loads ECharts: tree-shaken to bar charts on a canvas, so it stays in the
 * dashboard's lazy chunk.
 *
 * A small binding of its own instead of echarts-for-react: that package imports `tslib` without
 * declaring it, and npm installs tslib only inside echarts/ and zrender/, so Vite cannot resolve it.
 */
import { BarChart, type BarSeriesOption } from 'echarts/charts';
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

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface ChartSeries {
  name: string;
  color: string;
  data: number[];
  /** '户' or '人', after each value in the tooltip and on the bars. */
  unit: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('zh-CN') : String(v ?? ''));

interface TooltipItem {
  name: string;
  marker?: unknown;
  seriesIndex?: number;
  seriesName?: string;
  value?: unknown;
}

const FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

/** Grouped bars: one group per category (a town, or a program), one bar per series. */
export function CaseloadChart({
  categories,
  series,
  axisName,
  height = 320,
  labels = false,
  testId,
}: {
  categories: string[];
  series: ChartSeries[];
  /** The name of the value axis, e.g. '人'. */
  axisName?: string;
  height?: number;
  /** Numbers on top of the bars (for a few bars only). */
  labels?: boolean;
  testId?: string;
}) {
  const option: Option = {
    textStyle: { fontFamily: FONT },
    color: series.map((s) => s.color),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const items = (Array.isArray(params) ? params : [params]) as TooltipItem[];
        return [
          items[0]?.name ?? '',
          ...items.map(
            (p) =>
              `${typeof p.marker === 'string' ? p.marker : ''}${p.seriesName ?? ''}：${num(p.value)} ${
                series[p.seriesIndex ?? 0]?.unit ?? ''
              }`,
          ),
        ].join('<br/>');
      },
    },
    legend: { top: 0, data: series.map((s) => s.name) },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', name: axisName ?? '', nameTextStyle: { align: 'right' }, minInterval: 1 },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      barMaxWidth: 28,
      emphasis: { focus: 'series' },
      ...(labels
        ? { label: { show: true, position: 'top', formatter: (p: { value?: unknown }) => num(p.value) } }
        : {}),
    })),
  };
  return <EChart option={option} height={height} testId={testId} />;
}

/** Mounts one chart instance on a div, follows the div's size, and replaces the option when it changes. */
function EChart({ option, height, testId }: { option: Option; height: number; testId?: string | undefined }) {
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
