import { Col, Empty, Row, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { formatYuan, Money } from '../../ui/Money.tsx';
import { componentLabel, LINE_KINDS } from './labels.ts';
import type { ComponentTotal, PayrollDetail, TownTotal } from './types.ts';

const ORDER = [
  'dibao_base',
  'dibao_addon',
  'tekun_basic',
  'tekun_care',
  'price_subsidy',
  'temporary_aid',
  'medical_aid',
  'holiday_subsidy',
];
const KIND_ORDER = ['regular', 'arrears', 'recovery', 'reissue'];

function rank(component: string, kind: string): number {
  return (ORDER.indexOf(component) + 1 || 99) * 10 + KIND_ORDER.indexOf(kind);
}

const strongYuan = (fen: number, testId?: string) => (
  <Typography.Text strong className="tabular" data-testid={testId}>
    {formatYuan(fen)}
  </Typography.Text>
);

interface MatrixRow {
  townCode: string;
  townName: string;
  households: number | null;
  cells: Record<string, number>;
  totalFen: number;
}

/** 乡镇 × 发放组成 (when the server gives the breakdown): towns down, components across, 合计 both ways. */
function TownComponentMatrix({ p }: { p: PayrollDetail }) {
  const cells = p.byTownComponent ?? [];
  const keyOf = (component: string, kind: string | undefined) =>
    kind && kind !== 'regular' ? `${component}|${kind}` : component;
  const keys = [
    ...new Map(
      cells.map((c) => [
        keyOf(c.component, c.lineKind),
        { component: c.component, kind: c.lineKind ?? 'regular' },
      ]),
    ),
  ].sort(([, a], [, b]) => rank(a.component, a.kind) - rank(b.component, b.kind));
  const households = new Map(p.byTown.map((t) => [t.townCode, t.households]));
  const rows = new Map<string, MatrixRow>();
  for (const c of cells) {
    let r = rows.get(c.townCode);
    if (!r) {
      r = {
        townCode: c.townCode,
        townName: c.townName ?? p.byTown.find((t) => t.townCode === c.townCode)?.townName ?? c.townCode,
        households: households.get(c.townCode) ?? null,
        cells: {},
        totalFen: 0,
      };
      rows.set(c.townCode, r);
    }
    const k = keyOf(c.component, c.lineKind);
    r.cells[k] = (r.cells[k] ?? 0) + c.totalFen;
    r.totalFen += c.totalFen;
  }
  const data = [...rows.values()].sort((a, b) => a.townCode.localeCompare(b.townCode));
  const columns: TableColumnsType<MatrixRow> = [
    { title: '乡镇', dataIndex: 'townName', width: 120, fixed: 'left' },
    {
      title: '户数',
      dataIndex: 'households',
      width: 80,
      align: 'right',
      render: (n: number | null) => <span className="tabular">{n ?? '—'}</span>,
    },
    ...keys.map(([k, { component, kind }]) => ({
      title:
        kind === 'regular'
          ? componentLabel(component)
          : `${componentLabel(component)}（${LINE_KINDS[kind]?.label ?? kind}）`,
      key: k,
      width: 130,
      align: 'right' as const,
      render: (_: unknown, r: MatrixRow) =>
        r.cells[k] === undefined ? '—' : <Money fen={r.cells[k]} unit={false} />,
    })),
    {
      title: '合计',
      dataIndex: 'totalFen',
      width: 140,
      align: 'right',
      render: (fen: number) => strongYuan(fen),
    },
  ];
  return (
    <Table<MatrixRow>
      rowKey="townCode"
      size="small"
      bordered
      pagination={false}
      columns={columns}
      dataSource={data}
      scroll={{ x: 'max-content' }}
      data-testid="payroll-totals"
      title={() => <Typography.Text type="secondary">单位：元</Typography.Text>}
      summary={() => (
        <Table.Summary.Row data-testid="payroll-totals-sum">
          <Table.Summary.Cell index={0}>
            <Typography.Text strong>合计</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <Typography.Text strong className="tabular">
              {data.reduce((s, r) => s + (r.households ?? 0), 0)}
            </Typography.Text>
          </Table.Summary.Cell>
          {keys.map(([k], i) => (
            <Table.Summary.Cell key={k} index={i + 2} align="right">
              {strongYuan(data.reduce((s, r) => s + (r.cells[k] ?? 0), 0))}
            </Table.Summary.Cell>
          ))}
          <Table.Summary.Cell index={keys.length + 2} align="right">
            {strongYuan(
              data.reduce((s, r) => s + r.totalFen, 0),
              'payroll-grand-total',
            )}
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

/** 分乡镇汇总: households, lines and money of each town, with a 合计 row. */
function TownTable({ p }: { p: PayrollDetail }) {
  const data = p.byTown;
  return (
    <Table<TownTotal>
      rowKey="townCode"
      size="small"
      bordered
      pagination={false}
      dataSource={data}
      data-testid="payroll-totals"
      title={() => <Typography.Text strong>分乡镇</Typography.Text>}
      columns={[
        { title: '乡镇', dataIndex: 'townName' },
        {
          title: '户数',
          dataIndex: 'households',
          align: 'right',
          render: (n: number) => <span className="tabular">{n}</span>,
        },
        {
          title: '明细行',
          dataIndex: 'lines',
          align: 'right',
          render: (n: number) => <span className="tabular">{n}</span>,
        },
        {
          title: '金额（元）',
          dataIndex: 'totalFen',
          align: 'right',
          render: (fen: number) => <Money fen={fen} unit={false} />,
        },
      ]}
      summary={() => (
        <Table.Summary.Row data-testid="payroll-totals-sum">
          <Table.Summary.Cell index={0}>
            <Typography.Text strong>合计</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <Typography.Text strong className="tabular">
              {data.reduce((s, t) => s + t.households, 0)}
            </Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <Typography.Text strong className="tabular">
              {data.reduce((s, t) => s + t.lines, 0)}
            </Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right">
            {strongYuan(
              data.reduce((s, t) => s + t.totalFen, 0),
              'payroll-grand-total',
            )}
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

/** 分项目汇总: each component and kind (正常 / 补发 / 追回 / 重新发放), with a 合计 row. */
function ComponentTable({ p }: { p: PayrollDetail }) {
  const data = [...p.byComponent].sort(
    (a, b) => rank(a.component, a.lineKind) - rank(b.component, b.lineKind),
  );
  return (
    <Table<ComponentTotal>
      rowKey={(c) => `${c.component}|${c.lineKind}`}
      size="small"
      bordered
      pagination={false}
      dataSource={data}
      data-testid="payroll-components"
      title={() => <Typography.Text strong>分发放组成</Typography.Text>}
      columns={[
        { title: '发放组成', dataIndex: 'label', render: (l: string, c) => l || componentLabel(c.component) },
        {
          title: '类型',
          dataIndex: 'lineKind',
          render: (k: ComponentTotal['lineKind'], c) => (
            <Tag color={LINE_KINDS[k]?.color}>{LINE_KINDS[k]?.label ?? c.kindLabel}</Tag>
          ),
        },
        {
          title: '明细行',
          dataIndex: 'lines',
          align: 'right',
          render: (n: number) => <span className="tabular">{n}</span>,
        },
        {
          title: '金额（元）',
          dataIndex: 'totalFen',
          align: 'right',
          render: (fen: number) => <Money fen={fen} unit={false} />,
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2}>
            <Typography.Text strong>合计</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <Typography.Text strong className="tabular">
              {data.reduce((s, c) => s + c.lines, 0)}
            </Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right">
            {strongYuan(data.reduce((s, c) => s + c.totalFen, 0))}
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

/** The payroll's totals: by town (× component when the server gives it) and by component. */
export function PayrollTotals({ p }: { p: PayrollDetail }) {
  if (p.byTown.length === 0 && p.byComponent.length === 0)
    return <Empty description="名册没有发放明细" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  if (p.byTownComponent && p.byTownComponent.length > 0)
    return (
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <TownComponentMatrix p={p} />
        </Col>
        <Col xs={24} xl={12}>
          <ComponentTable p={p} />
        </Col>
      </Row>
    );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <TownTable p={p} />
      </Col>
      <Col xs={24} xl={12}>
        <ComponentTable p={p} />
      </Col>
    </Row>
  );
}
