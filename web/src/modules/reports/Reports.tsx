/**
 * 统计报表: the monthly statistics of a range of months as charts with their tables (GET /statistics/trends),
 * and the downloads of the end month's 民政统计月报 (xlsx) and 落实社会救助政策情况报告 (docx).
 */
import { FileExcelOutlined, FileWordOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Row,
  Select,
  Skeleton,
  Space,
  Spin,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, type ReactNode, Suspense, useMemo, useState } from 'react';
import { ApiError, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { download } from '../payments/api.ts';
import { ReportTable } from './ReportTable.tsx';
import type { TrendSeries } from './TrendChart.tsx';
import {
  LEVEL_PROGRAMS,
  levelTable,
  personsTable,
  spendingSeries,
  spendingTable,
  type TableSpec,
  townTable,
} from './tables.ts';
import {
  axisMonths,
  monthLabel,
  PROGRAM_COLORS,
  PROGRAM_NAMES,
  programName,
  SPENDING_PARTS,
  type TrendsView,
} from './types.ts';

// ECharts is the heaviest dependency: the tables render first, the charts stream in after.
const TrendChart = lazy(() => import('./TrendChart.tsx'));

/** Chart values: 万元 (the tooltip shows two decimals). */
const wan = (fen: number) => fen / 1_000_000;
const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

function ChartCard({
  title,
  extra,
  testId,
  chart,
  table,
}: {
  title: ReactNode;
  extra?: ReactNode;
  testId: string;
  chart: ReactNode;
  table: TableSpec;
}) {
  return (
    <Card title={title} extra={extra} style={{ marginBottom: 16 }} data-testid={`${testId}-card`}>
      <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>{chart}</Suspense>
      <div style={{ marginTop: 16 }}>
        <ReportTable spec={table} testId={`${testId}-table`} />
      </div>
    </Card>
  );
}

export function Reports() {
  const me = useMe();
  const { message } = App.useApp();
  const countyUser = me.areaCode === me.countyCode;
  const [range, setRange] = useState<[string, string] | null>(null);
  const [town, setTown] = useState<string | null>(null);
  const [spendingProgram, setSpendingProgram] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const url = `/api/v1/statistics/trends${query({ from: range?.[0], to: range?.[1], town })}`;
  const { data, error, loading, reload } = useApi<TrendsView>(url);

  const areaName = useMemo(() => {
    if (!data) return '';
    const t = data.townCode ? data.towns.find((x) => x.code === data.townCode) : null;
    return t?.name ?? (countyUser ? (me.areaName ?? '全县') : (me.areaName ?? ''));
  }, [data, countyUser, me.areaName]);

  const get = async (key: string, href: string, fallback: string) => {
    setBusy(key);
    try {
      const name = await download(href, fallback);
      message.success(`已下载 ${name}`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  if (error && !data) return <ErrorResult error={error} onRetry={reload} />;

  const pickerValue: [Dayjs, Dayjs] | null = data ? [dayjs(`${data.from}-01`), dayjs(`${data.to}-01`)] : null;
  const snapshots = data?.sources.filter((s) => s.kind === 'snapshot') ?? [];

  return (
    <div data-testid="reports-page">
      <Card style={{ marginBottom: 16 }}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Space wrap size={[16, 8]} align="center">
            <Typography.Title level={4} style={{ margin: 0 }}>
              统计报表
            </Typography.Title>
            <DatePicker.RangePicker
              picker="month"
              format="YYYY年MM月"
              allowClear={false}
              value={pickerValue}
              onChange={(v) => {
                if (v?.[0] && v[1]) setRange([v[0].format('YYYY-MM'), v[1].format('YYYY-MM')]);
              }}
              data-testid="reports-range"
            />
            {countyUser ? (
              <Select
                style={{ width: 160 }}
                value={town ?? ''}
                onChange={(v) => setTown(v === '' ? null : v)}
                options={[
                  { value: '', label: '全县' },
                  ...(data?.towns ?? []).map((t) => ({ value: t.code, label: t.name })),
                ]}
                data-testid="reports-town"
                aria-label="乡镇"
              />
            ) : (
              <Tag color="blue">{me.areaName}</Tag>
            )}
            {loading && data ? <Spin size="small" /> : null}
            {data?.defaultRange && data.latestPaidMonth ? (
              <Typography.Text type="secondary">默认：当年1月至最近发放月份</Typography.Text>
            ) : null}
          </Space>
          <Space wrap>
            <Button
              icon={<FileExcelOutlined />}
              disabled={!data}
              loading={busy === 'xlsx'}
              data-testid="download-monthly-tables"
              onClick={() =>
                data &&
                get(
                  'xlsx',
                  `/api/v1/statistics/monthly-tables.xlsx${query({ month: data.to, townCode: data.townCode })}`,
                  `民政统计月报（${monthLabel(data.to)}）.xlsx`,
                )
              }
            >
              下载民政统计月报（{data ? monthLabel(data.to) : '—'}，xlsx）
            </Button>
            <Button
              icon={<FileWordOutlined />}
              disabled={!data}
              loading={busy === 'docx'}
              data-testid="download-situation-report"
              onClick={() =>
                data &&
                get(
                  'docx',
                  `/api/v1/reports/situation${query({ month: data.to, format: 'docx' })}`,
                  `落实社会救助政策情况报告（${monthLabel(data.to)}）.docx`,
                )
              }
            >
              下载落实社会救助政策情况报告（{countyUser && data?.townCode ? '全县，' : ''}
              {data ? monthLabel(data.to) : '—'}，docx）
            </Button>
          </Space>
          {data ? (
            <Typography.Text type="secondary" data-testid="reports-source">
              {snapshots.length > 0
                ? `${snapshots.map((s) => `${monthLabel(s.month)}（第${s.version}版）`).join('、')}取已冻结的统计快照，其余月份由发放台账计算。`
                : '各月数据由发放台账计算（尚无冻结的统计快照）。'}
              金额单位：图中为万元，表中为元。
            </Typography.Text>
          ) : null}
        </Space>
      </Card>
      {error && data ? (
        <Alert
          type="error"
          showIcon
          title={error.message}
          style={{ marginBottom: 16 }}
          data-testid="reports-error"
        />
      ) : null}
      {loading && !data ? <Skeleton active paragraph={{ rows: 12 }} /> : null}
      {data && data.programs.length === 0 ? (
        <Card>
          <Empty description={`${monthLabel(data.from)}至${monthLabel(data.to)}没有发放记录`} />
        </Card>
      ) : null}
      {data && data.programs.length > 0 ? (
        <Body
          data={data}
          areaName={areaName}
          spendingProgram={spendingProgram}
          setSpendingProgram={setSpendingProgram}
        />
      ) : null}
    </div>
  );
}

function Body({
  data,
  areaName,
  spendingProgram,
  setSpendingProgram,
}: {
  data: TrendsView;
  areaName: string;
  spendingProgram: string | null;
  setSpendingProgram: (p: string | null) => void;
}) {
  const categories = useMemo(() => axisMonths(data.months), [data.months]);
  const stock = data.programs.filter((p) => p.kind === 'stock');
  const last = data.months.length - 1;
  const program =
    spendingProgram && data.programs.some((p) => p.program === spendingProgram) ? spendingProgram : null;

  const personsSeries = useMemo(
    (): TrendSeries[] =>
      data.programs
        .filter((p) => p.kind === 'stock')
        .map((p) => ({
          name: programName(p),
          type: 'line',
          color: PROGRAM_COLORS[p.program] ?? '#8c8c8c',
          data: p.points.map((x) => x.persons),
        })),
    [data],
  );
  const spending = useMemo(() => spendingSeries(data, program), [data, program]);
  const spendingChart = useMemo(
    (): TrendSeries[] =>
      SPENDING_PARTS.map((part) => ({
        name: part.label,
        type: 'bar',
        color: part.color,
        stack: 'spending',
        data: spending.map((s) => wan(s.spendingMonth[part.key])),
      })),
    [spending],
  );
  const townNames = useMemo(() => data.byTown.towns.map((t) => t.townName), [data]);
  const townSeries = useMemo(
    (): TrendSeries[] =>
      data.programs
        .filter((p) => p.kind === 'stock')
        .map((p) => ({
          name: programName(p),
          type: 'bar',
          color: PROGRAM_COLORS[p.program] ?? '#8c8c8c',
          data: data.byTown.towns.map((t) => t.programs.find((x) => x.program === p.program)?.persons ?? 0),
        })),
    [data],
  );
  const levelSeries = useMemo((): TrendSeries[] => {
    const out: TrendSeries[] = [];
    for (const code of LEVEL_PROGRAMS) {
      const p = data.programs.find((x) => x.program === code);
      if (!p) continue;
      const color = PROGRAM_COLORS[code] ?? '#8c8c8c';
      out.push(
        {
          name: `${programName(p)}月人均补差水平`,
          type: 'line',
          color,
          data: p.points.map((x) => yuan(x.topUpLevelMonthFen)),
        },
        {
          name: `${programName(p)}保障标准`,
          type: 'line',
          color,
          dashed: true,
          data: p.points.map((x) => yuan(x.standardFen)),
        },
      );
    }
    return out;
  }, [data]);

  const tables = useMemo(
    () => ({
      persons: personsTable(data, areaName),
      towns: townTable(data, areaName),
      levels: levelTable(data, areaName),
    }),
    [data, areaName],
  );
  const spendingSpec = useMemo(() => spendingTable(data, areaName, program), [data, areaName, program]);

  const endOf = (code: string) => data.programs.find((p) => p.program === code)?.points[last];
  const tekunPersons = (endOf('urban_tekun')?.persons ?? 0) + (endOf('rural_tekun')?.persons ?? 0);
  const ytdAll = spendingSeries(data, null)[last]?.spendingYtd.totalFen ?? 0;

  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }} data-testid="reports-summary">
        {(
          [
            ['城市低保人数', endOf('urban_dibao')?.persons ?? 0, '人'],
            ['农村低保人数', endOf('rural_dibao')?.persons ?? 0, '人'],
            ['特困供养人数', tekunPersons, '人'],
          ] as const
        ).map(([title, value, suffix]) => (
          <Col xs={12} md={6} key={title}>
            <Card size="small">
              <Statistic title={`${title}（${monthLabel(data.to)}）`} value={value} suffix={suffix} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={`累计支出（${data.to.slice(0, 4)}年1-${Number(data.to.slice(5, 7))}月）`}
              value={(ytdAll / 1_000_000).toFixed(2)}
              suffix="万元"
            />
          </Card>
        </Col>
      </Row>
      <ChartCard
        title="保障人数趋势"
        testId="chart-persons"
        chart={
          stock.length > 0 ? (
            <TrendChart categories={categories} series={personsSeries} unit="人" testId="chart-persons" />
          ) : (
            <Empty description="区间内没有按月保障的对象" />
          )
        }
        table={tables.persons}
      />
      <ChartCard
        title="资金支出趋势"
        extra={
          <Select
            size="small"
            style={{ width: 170 }}
            value={program ?? ''}
            onChange={(v) => setSpendingProgram(v === '' ? null : v)}
            options={[
              { value: '', label: '全部项目' },
              ...data.programs.map((p) => ({ value: p.program, label: PROGRAM_NAMES[p.program] ?? p.label })),
            ]}
            data-testid="spending-program"
            aria-label="救助项目"
          />
        }
        testId="chart-spending"
        chart={
          <TrendChart
            categories={categories}
            series={spendingChart}
            unit="万元"
            decimals={2}
            testId="chart-spending"
          />
        }
        table={spendingSpec}
      />
      <ChartCard
        title={`分乡镇保障人数（${monthLabel(data.byTown.month)}）`}
        testId="chart-towns"
        chart={<TrendChart categories={townNames} series={townSeries} unit="人" testId="chart-towns" />}
        table={tables.towns}
      />
      <ChartCard
        title="人均补助水平与保障标准（城乡低保）"
        testId="chart-levels"
        chart={
          levelSeries.length > 0 ? (
            <>
              <TrendChart
                categories={categories}
                series={levelSeries}
                unit="元"
                decimals={2}
                testId="chart-levels"
              />
              <Alert
                type="info"
                showIcon
                style={{ marginTop: 8 }}
                title="月人均补差水平 = 当月低保金（含分类施保）÷ 当月保障人数（广东口径）；当月人均补助水平另含价格临时补贴。保障标准为当月执行的低保标准（虚线）。"
              />
            </>
          ) : (
            <Empty description="区间内没有城乡低保发放记录" />
          )
        }
        table={tables.levels}
      />
    </>
  );
}
