/**
 * The dashboard's chart: ECharts tree-shaken to bar charts on a canvas, so it stays in the dashboard's lazy
 * chunk; mounted by the shared binding (web/src/ui/EChart.tsx).
 */
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { axisTooltip, CHART_FONT, type ChartOption, EChart } from '../../ui/EChart.tsx';

echarts.use([BarChart]);

type Option = ChartOption<BarSeriesOption>;

export interface ChartSeries {
  name: string;
  color: string;
  data: number[];
  /** '户' or '人', after each value in the tooltip and on the bars. */
  unit: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('zh-CN') : String(v ?? ''));

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
    textStyle: { fontFamily: CHART_FONT },
    color: series.map((s) => s.color),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) =>
        axisTooltip(params, (p) => `${num(p.value)} ${series[p.seriesIndex ?? 0]?.unit ?? ''}`),
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
