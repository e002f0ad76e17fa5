import { Alert, Flex, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { Money } from '../../ui/Money.tsx';
import { componentLabel, formatPayMonth, fundSourceLabel, LINE_KINDS, LINE_STATUS } from './labels.ts';
import type { Paged, PayrollLine } from './types.ts';

const PAGE_SIZE = 20;

export function LineKindCell({ line }: { line: PayrollLine }) {
  const kind = LINE_KINDS[line.lineKind];
  return (
    <Space orientation="vertical" size={0}>
      <Tag color={kind?.color}>{kind?.label ?? line.lineKind}</Tag>
      {line.reason && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {line.reason}
        </Typography.Text>
      )}
    </Space>
  );
}

export function lineColumns(names: Map<string, string>): TableColumnsType<PayrollLine> {
  return [
    {
      title: '乡镇',
      dataIndex: 'townCode',
      width: 90,
      render: (c: string) => names.get(c) ?? c,
    },
    {
      title: '村（居）',
      dataIndex: 'villageCode',
      width: 110,
      render: (c: string | null) => (c ? (names.get(c) ?? c) : '—'),
    },
    {
      title: '对象',
      key: 'who',
      width: 110,
      render: (_, l) => (
        <Link to={`/registry/households/${l.householdId}`}>{l.name ?? `家庭 ${l.householdId}`}</Link>
      ),
    },
    {
      title: '待遇月份',
      dataIndex: 'benefitMonth',
      width: 100,
      render: (m: string) => <span className="tabular">{formatPayMonth(m)}</span>,
    },
    {
      title: '发放组成',
      dataIndex: 'component',
      width: 110,
      render: (c: string, l) => l.componentLabel ?? componentLabel(c),
    },
    { title: '类型', key: 'kind', width: 160, render: (_, l) => <LineKindCell line={l} /> },
    {
      title: '金额',
      dataIndex: 'amountFen',
      width: 120,
      align: 'right',
      render: (fen: number) => <Money fen={fen} />,
    },
    {
      title: '资金来源',
      dataIndex: 'fundSource',
      width: 80,
      render: (f: string, l) => l.fundSourceLabel ?? fundSourceLabel(f),
    },
    { title: '开户行', dataIndex: 'bankName', width: 150, render: (b: string | null) => b ?? '—' },
    {
      title: '账号',
      dataIndex: 'bankAccount',
      width: 190,
      render: (a: string | null, l) =>
        a ? (
          <span className="tabular" title={l.accountHolder ? `户名：${l.accountHolder}` : undefined}>
            {a}
          </span>
        ) : (
          <Tag color="error">未登记账户</Tag>
        ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 100,
      render: (s: PayrollLine['status']) => (
        <Tag color={LINE_STATUS[s]?.color}>{LINE_STATUS[s]?.label ?? s}</Tag>
      ),
    },
  ];
}

/** 发放明细: the payroll's lines, a page at a time, by town. */
export function PayrollLines({
  payrollId,
  towns,
  names,
}: {
  payrollId: number;
  /** The towns to filter by; empty for a town user (who sees only the own town). */
  towns: { code: string; name: string }[];
  names: Map<string, string>;
}) {
  const [townCode, setTownCode] = useState<string | undefined>();
  const [lineKind, setLineKind] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const { data, error, loading } = useApi<Paged<PayrollLine>>(
    `/api/v1/payrolls/${payrollId}/lines${query({ townCode, lineKind, status, page, pageSize: PAGE_SIZE })}`,
  );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Flex gap={12} wrap align="center">
        {towns.length > 1 && (
          <Select
            allowClear
            placeholder="全部乡镇"
            style={{ width: 180 }}
            value={townCode}
            options={towns.map((t) => ({ value: t.code, label: t.name }))}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(v: string | undefined) => {
              setTownCode(v);
              setPage(1);
            }}
            data-testid="lines-town"
          />
        )}
        <Select
          allowClear
          placeholder="全部类型"
          style={{ width: 140 }}
          value={lineKind}
          options={Object.entries(LINE_KINDS).map(([value, k]) => ({ value, label: k.label }))}
          onChange={(v: string | undefined) => {
            setLineKind(v);
            setPage(1);
          }}
          data-testid="lines-kind"
        />
        <Select
          allowClear
          placeholder="全部状态"
          style={{ width: 140 }}
          value={status}
          options={Object.entries(LINE_STATUS).map(([value, k]) => ({ value, label: k.label }))}
          onChange={(v: string | undefined) => {
            setStatus(v);
            setPage(1);
          }}
          data-testid="lines-status"
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          账号只显示前后几位；补发、追回行注明原因。
        </Typography.Text>
      </Flex>
      {error && <Alert type="error" showIcon title={error.message} />}
      <Table<PayrollLine>
        rowKey="id"
        size="small"
        columns={lineColumns(names)}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 1400 }}
        data-testid="payroll-lines"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t.toLocaleString('zh-CN')} 行`,
          onChange: setPage,
        }}
      />
    </Space>
  );
}
