/**
 * The charts of 统计报表: ECharts tree-shaken to line and bar charts on a canvas (this file is its own lazy
 * chunk, loaded after the tables), mounted by the shared binding (web/src/ui/EChart.tsx).
 */
import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { axisTooltip, CHART_FONT, type ChartOption, EChart } from '../../ui/EChart.tsx';

echarts.use([BarChart, LineChart]);

type Option = ChartOption<BarSeriesOption | LineSeriesOption>;

export interface TrendSeries {
  name: string;
  type: 'line' | 'bar';
  color: string;
  /** null: no value that month (a gap in the line). */
  data: (number | null)[];
  /** Bars of the same stack pile up. */
  stack?: string;
  dashed?: boolean;
}

export function TrendChart({
  categories,
  series,
  unit,
  decimals = 0,
  height = 320,
  testId,
}: {
  categories: string[];
  series: TrendSeries[];
  /** The value axis' unit, after each value in the tooltip: '人', '万元', '元'. */
  unit: string;
  decimals?: number;
  height?: number;
  testId?: string;
}) {
  const option = useMemo((): Option => {
    const fmt = (v: unknown) =>
      typeof v === 'number'
        ? v.toLocaleString('zh-CN', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
        : '—';
    return {
      textStyle: { fontFamily: CHART_FONT },
      color: series.map((s) => s.color),
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: series.some((s) => s.type === 'bar') ? 'shadow' : 'line' },
        formatter: (params) => axisTooltip(params, (p) => `${fmt(p.value)} ${unit}`),
      },
      legend: { top: 0, type: 'plain', data: series.map((s) => s.name) },
      grid: { left: 8, right: 16, top: series.length > 3 ? 56 : 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true } },
      yAxis: {
        type: 'value',
        name: unit,
        nameTextStyle: { align: 'right' },
        ...(decimals ? {} : { minInterval: 1 }),
      },
      series: series.map((s) =>
        s.type === 'bar'
          ? ({
              type: 'bar',
              name: s.name,
              data: s.data,
              barMaxWidth: 32,
              emphasis: { focus: 'series' },
              ...(s.stack ? { stack: s.stack } : {}),
            } satisfies BarSeriesOption)
          : ({
              type: 'line',
              name: s.name,
              data: s.data,
              connectNulls: false,
              symbolSize: 6,
              emphasis: { focus: 'series' },
              lineStyle: { width: 2, ...(s.dashed ? { type: 'dashed' as const } : {}) },
              ...(s.dashed ? { step: 'end' as const } : {}),
            } satisfies LineSeriesOption),
      ),
    };
  }, [categories, series, unit, decimals]);
  return <EChart option={option} height={height} testId={testId} />;
}

export default TrendChart;
