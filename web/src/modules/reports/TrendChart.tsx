/**
 * The charts of 统计报表: ECharts tree-shaken to line and bar charts on a canvas (this file is its own lazy
 * chunk, loaded after the tables).
 *
 * A small binding instead of echarts-for-react: its esm build imports `tslib`, which npm installed only inside
 * echarts/ and zrender/, so neither Vite nor Node can resolve it from echarts-for-react (the dashboard's
 * CaseloadChart binds ECharts the same way).
 */
import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
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
import { useEffect, useMemo, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

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

const FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

interface TooltipItem {
  name: string;
  marker?: unknown;
  seriesName?: string;
  value?: unknown;
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
      textStyle: { fontFamily: FONT },
      color: series.map((s) => s.color),
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: series.some((s) => s.type === 'bar') ? 'shadow' : 'line' },
        formatter: (params) => {
          const items = (Array.isArray(params) ? params : [params]) as TooltipItem[];
          return [
            items[0]?.name ?? '',
            ...items.map(
              (p) =>
                `${typeof p.marker === 'string' ? p.marker : ''}${p.seriesName ?? ''}：${fmt(p.value)} ${unit}`,
            ),
          ].join('<br/>');
        },
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

export default TrendChart;
