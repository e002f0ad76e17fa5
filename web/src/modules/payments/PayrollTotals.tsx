import { Empty, Table, type TableColumnsType, Typography } from 'antd';
import { formatYuan, Money } from '../../ui/Money.tsx';
import { componentLabel, LINE_KINDS } from './labels.ts';
import type { LineKind, PayrollDetail } from './types.ts';

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
const KIND_ORDER: LineKind[] = ['regular', 'arrears', 'recovery', 'reissue'];

function rank(component: string, kind: LineKind): number {
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
  /** Households paid for the pay month (regular 低保金 / 特困基本生活 lines). */
  households: number | null;
  cells: Record<string, number>;
  totalFen: number;
}

interface MatrixColumn {
  key: string;
  component: string;
  kind: LineKind;
  label: string;
}

/** Columns of the cross table: one per component and line kind (正常 first, then 补发, 追回, 重新发放). */
function columnsOf(p: PayrollDetail): MatrixColumn[] {
  const out = new Map<string, MatrixColumn>();
  for (const c of p.byTownComponent) {
    const key = `${c.component}|${c.lineKind}`;
    if (out.has(key)) continue;
    const name = c.label || componentLabel(c.component);
    out.set(key, {
      key,
      component: c.component,
      kind: c.lineKind,
      label: c.lineKind === 'regular' ? name : `${name}（${LINE_KINDS[c.lineKind]?.label ?? c.kindLabel}）`,
    });
  }
  return [...out.values()].sort((a, b) => rank(a.component, a.kind) - rank(b.component, b.kind));
}

/**
 * 乡镇 × 发放组成: towns down, components (and 补发 / 追回 / 重新发放) across, a 合计 column per town and
 * a 合计 row per component; the corner is the payroll's total (a town user sees the own town only).
 */
export function PayrollTotals({ p }: { p: PayrollDetail }) {
  const cells = p.byTownComponent;
  if (cells.length === 0)
    return <Empty description="名册没有发放明细" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const keys = columnsOf(p);
  const households = new Map(p.byTown.map((t) => [t.townCode, t.households]));
  const rows = new Map<string, MatrixRow>();
  for (const c of cells) {
    let r = rows.get(c.townCode);
    if (!r) {
      r = {
        townCode: c.townCode,
        townName: c.townName,
        households: households.get(c.townCode) ?? null,
        cells: {},
        totalFen: 0,
      };
      rows.set(c.townCode, r);
    }
    const k = `${c.component}|${c.lineKind}`;
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
    ...keys.map((c) => ({
      title: c.label,
      key: c.key,
      width: 130,
      align: 'right' as const,
      render: (_: unknown, r: MatrixRow) =>
        r.cells[c.key] === undefined ? '—' : <Money fen={r.cells[c.key] as number} unit={false} />,
    })),
    {
      title: '合计',
      dataIndex: 'totalFen',
      width: 140,
      align: 'right',
      render: (fen: number, r) => strongYuan(fen, `town-total-${r.townCode}`),
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
      title={() => <Typography.Text type="secondary">单位：元；户数为本月正常发放的户数</Typography.Text>}
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
          {keys.map((c, i) => (
            <Table.Summary.Cell key={c.key} index={i + 2} align="right">
              {strongYuan(
                data.reduce((s, r) => s + (r.cells[c.key] ?? 0), 0),
                `component-total-${c.key}`,
              )}
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
