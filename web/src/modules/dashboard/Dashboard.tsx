import { InboxOutlined } from '@ant-design/icons';
import {
  Card,
  Col,
  Empty,
  Result,
  Row,
  Skeleton,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can, type Me } from '../auth/access.ts';
import {
  CARD_PROGRAMS,
  type DashboardData,
  type Figures,
  PROGRAM_COLORS,
  shortName,
  TEKUN,
} from './types.ts';

// ECharts is the heaviest dependency: the figures render first, the chart streams in after.
const CaseloadChart = lazy(() => import('./CaseloadChart.tsx').then((m) => ({ default: m.CaseloadChart })));

const CHINA_DAY = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  weekday: 'long',
});
const CHINA_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  hour12: false,
});

function greeting(): string {
  const hour = Number(CHINA_HOUR.format(new Date()));
  return hour < 5 ? '您好' : hour < 12 ? '上午好' : hour < 18 ? '下午好' : '晚上好';
}

function Greeting({ me, note }: { me: Me; note?: string }) {
  return (
    <Card style={{ marginBottom: 16 }} styles={{ body: { padding: '16px 20px' } }}>
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="greeting">
          {greeting()}，{me.displayName}
        </Typography.Title>
        <Space size={[8, 4]} wrap>
          <Tag color="blue">{me.roleLabel}</Tag>
          <Typography.Text>
            辖区：<Typography.Text strong>{me.areaName ?? me.areaCode}</Typography.Text>
          </Typography.Text>
          <Typography.Text type="secondary">{CHINA_DAY.format(new Date())}</Typography.Text>
        </Space>
        {note && <Typography.Text type="secondary">{note}</Typography.Text>}
      </Space>
    </Card>
  );
}

const sumOf = (list: Figures[]): Figures => ({
  households: list.reduce((n, f) => n + f.households, 0),
  persons: list.reduce((n, f) => n + f.persons, 0),
});

function FiguresCard({
  title,
  figures,
  testId,
  footnote,
  labels = ['户数', '人数'],
}: {
  title: string;
  figures: Figures;
  testId: string;
  footnote?: string;
  labels?: [string, string];
}) {
  return (
    <Card size="small" title={title} style={{ height: '100%' }} data-testid={`card-${testId}`}>
      <Row gutter={8}>
        <Col span={12} data-testid={`stat-${testId}-households`}>
          <Statistic title={labels[0]} value={figures.households} suffix="户" />
        </Col>
        <Col span={12} data-testid={`stat-${testId}-persons`}>
          <Statistic title={labels[1]} value={figures.persons} suffix="人" />
        </Col>
      </Row>
      {footnote && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {footnote}
        </Typography.Text>
      )}
    </Card>
  );
}

function Todos({ todos }: { todos: DashboardData['todos'] }) {
  return (
    <Card size="small" title="待办事项" data-testid="todos">
      {todos.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="暂无待办：没有临近或超过办理时限的个案和任务"
        />
      ) : (
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {todos.map((t) => (
            <li key={`${t.kind}-${t.link}`} style={{ marginBottom: 6 }}>
              <Link to={t.link} style={t.overdue ? { color: '#cf1322' } : undefined}>
                {t.title}
              </Link>{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                期限 {t.due}
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function OtherPrograms({ programs }: { programs: DashboardData['programs'] }) {
  const others = programs.filter((p) => !CARD_PROGRAMS.includes(p.code));
  if (others.length === 0) return null;
  return (
    <Card size="small" title="其他救助项目" style={{ marginTop: 16 }} data-testid="other-programs">
      <table style={{ width: '100%', borderCollapse: 'collapse' }}>
        <tbody>
          {others.map((p) => (
            <tr key={p.code} data-testid={`other-${p.code}`}>
              <td style={{ padding: '4px 0' }}>{p.name}</td>
              <td className="tabular" style={{ textAlign: 'right', padding: '4px 0' }}>
                {p.households.toLocaleString('zh-CN')} 户
              </td>
              <td className="tabular" style={{ textAlign: 'right', padding: '4px 0', width: 80 }}>
                {p.persons.toLocaleString('zh-CN')} 人
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

interface TownRow {
  code: string;
  name: string;
  programs: Record<string, Figures>;
}

function TownTable({
  towns,
  programs,
  empty,
}: {
  towns: TownRow[];
  programs: DashboardData['programs'];
  empty: string[];
}) {
  const columns: TableColumnsType<TownRow> = [
    { title: '乡镇', dataIndex: 'name', fixed: 'left', width: 110 },
    ...programs.map((p) => ({
      title: shortName(p),
      key: p.code,
      children: [
        {
          title: '户数',
          key: `${p.code}-h`,
          align: 'right' as const,
          width: 80,
          render: (_: unknown, t: TownRow) => (t.programs[p.code]?.households ?? 0).toLocaleString('zh-CN'),
        },
        {
          title: '人数',
          key: `${p.code}-p`,
          align: 'right' as const,
          width: 80,
          render: (_: unknown, t: TownRow) => (t.programs[p.code]?.persons ?? 0).toLocaleString('zh-CN'),
        },
      ],
    })),
  ];
  return (
    <Card size="small" title="各乡镇在保户数、人数" style={{ marginTop: 16 }}>
      <Table<TownRow>
        rowKey="code"
        size="small"
        bordered
        data-testid="town-table"
        className="tabular"
        columns={columns}
        dataSource={towns}
        pagination={false}
        scroll={{ x: 110 + programs.length * 160 }}
        summary={() => (
          <Table.Summary fixed>
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>合计</Typography.Text>
              </Table.Summary.Cell>
              {programs.flatMap((p, i) => [
                <Table.Summary.Cell key={`${p.code}-h`} index={1 + i * 2} align="right">
                  <Typography.Text strong>{p.households.toLocaleString('zh-CN')}</Typography.Text>
                </Table.Summary.Cell>,
                <Table.Summary.Cell key={`${p.code}-p`} index={2 + i * 2} align="right">
                  <Typography.Text strong>{p.persons.toLocaleString('zh-CN')}</Typography.Text>
                </Table.Summary.Cell>,
              ])}
            </Table.Summary.Row>
          </Table.Summary>
        )}
      />
      {empty.length > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
          {empty.join('、')}暂无在保对象，未列出。
        </Typography.Text>
      )}
    </Card>
  );
}

/** 工作台: the registry's figures for the user's area, with a chart and (later) the user's to-dos. */
export function Dashboard() {
  const me = useMe();
  if (!can(me, 'registry.read')) {
    // 协作部门 send their department's data files; they do not see the registry (the server answers 403).
    return (
      <>
        <Greeting me={me} />
        <Card data-testid="partner-card">
          <Result
            icon={<InboxOutlined />}
            title="报送部门数据"
            subTitle="协作部门在“家庭经济状况核对 → 数据源”下载数据格式模板并上传本部门数据文件；文件逐行校验，有错误的文件不会替换现有数据"
            extra={<Link to="/verification">前往报送数据</Link>}
          />
        </Card>
      </>
    );
  }
  return <Caseload me={me} />;
}

function Caseload({ me }: { me: Me }) {
  const { data, error, loading, reload } = useApi<DashboardData>('/api/v1/dashboard');

  const view = useMemo(() => {
    if (!data) return null;
    const byCode = new Map(data.programs.map((p) => [p.code, p]));
    const figures = (code: string): Figures => byCode.get(code) ?? { households: 0, persons: 0 };
    // Programs with anyone in them, in the server's order.
    const active = data.programs.filter((p) => p.households > 0 || p.persons > 0);
    const busyTowns = data.towns.filter((t) =>
      Object.values(t.programs).some((f) => f.households > 0 || f.persons > 0),
    );
    const quietTowns = data.towns.filter((t) => !busyTowns.includes(t)).map((t) => t.name);
    return { figures, active, busyTowns, quietTowns };
  }, [data]);

  if (error) return <ErrorResult error={error} onRetry={reload} />;

  const county = data?.area.level === 'county';
  const note = '以下为正在享受救助（在保）的户数和人数，按所在乡镇统计，实时取自救助对象库。';

  return (
    <div data-testid="dashboard">
      <Greeting me={me} note={note} />
      {loading || !data || !view ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} xl={6}>
              <FiguresCard
                title={`救助对象库（${data.area.name}）`}
                figures={data.totals}
                testId="totals"
                labels={['在册家庭', '在册人员']}
                footnote="含已不在保的家庭；人员不含已故"
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <FiguresCard title="城市低保" figures={view.figures('urban_dibao')} testId="urban_dibao" />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <FiguresCard title="农村低保" figures={view.figures('rural_dibao')} testId="rural_dibao" />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <FiguresCard
                title="特困供养"
                figures={sumOf(TEKUN.map(view.figures))}
                testId="tekun"
                footnote={`城市 ${view.figures('urban_tekun').persons.toLocaleString('zh-CN')} 人，农村（五保）${view
                  .figures('rural_tekun')
                  .persons.toLocaleString('zh-CN')} 人`}
              />
            </Col>
            <Col xs={24} xl={16}>
              <Card
                size="small"
                title={county ? '各乡镇在保人数（按救助项目）' : `${data.area.name}各救助项目在保户数、人数`}
              >
                <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
                  {view.active.length === 0 || (county && view.busyTowns.length === 0) ? (
                    <Empty description="暂无在保对象" />
                  ) : county ? (
                    <CaseloadChart
                      testId="caseload-chart"
                      axisName="人"
                      categories={view.busyTowns.map((t) => t.name)}
                      series={view.active.map((p) => ({
                        name: shortName(p),
                        color: PROGRAM_COLORS[p.code] ?? '#8c8c8c',
                        unit: '人',
                        data: view.busyTowns.map((t) => t.programs[p.code]?.persons ?? 0),
                      }))}
                    />
                  ) : (
                    <CaseloadChart
                      testId="caseload-chart"
                      labels
                      categories={view.active.map(shortName)}
                      series={[
                        {
                          name: '户数',
                          unit: '户',
                          color: '#1677ff',
                          data: view.active.map((p) => p.households),
                        },
                        {
                          name: '人数',
                          unit: '人',
                          color: '#52c41a',
                          data: view.active.map((p) => p.persons),
                        },
                      ]}
                    />
                  )}
                </Suspense>
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Todos todos={data.todos} />
              <OtherPrograms programs={data.programs} />
            </Col>
          </Row>
          {county && view.busyTowns.length > 0 && (
            <TownTable
              towns={view.busyTowns}
              programs={view.active.length ? view.active : data.programs}
              empty={view.quietTowns}
            />
          )}
        </>
      )}
    </div>
  );
}
