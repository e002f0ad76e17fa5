import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Flex,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { Money } from '../../ui/Money.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { GenerateModal } from './GenerateModal.tsx';
import { formatPayMonth, PAYROLL_PROGRAMS, PAYROLL_STATUS, PROGRAM_COLORS, programName } from './labels.ts';
import { PaymentsTabs } from './PaymentsTabs.tsx';
import { PriceIndexCard } from './PriceIndexCard.tsx';
import type { PayrollSummary } from './types.ts';

function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('zh-CN');
}

/** 发放名册: the monthly payrolls of the user's area, and generating a new one. */
export function PayrollList() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? undefined;
  const program = params.get('program') ?? undefined;
  const [generating, setGenerating] = useState(false);
  const townUser = me.areaCode.length === 9;
  const { data, error, loading, reload } = useApi<{ items: PayrollSummary[] }>(
    `/api/v1/payrolls${query({ month, program })}`,
  );

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  const items = data?.items ?? [];
  const columns: TableColumnsType<PayrollSummary> = [
    {
      title: '救助项目',
      dataIndex: 'programCode',
      width: 140,
      render: (code: string, p) => (
        <Tag color={PROGRAM_COLORS[code]}>{programName(code, p.programLabel)}</Tag>
      ),
    },
    {
      title: '发放月份',
      dataIndex: 'payMonth',
      width: 120,
      render: (m: string, p) => (
        <Link to={`/payments/payrolls/${p.id}`} data-testid="payroll-link">
          {formatPayMonth(m)}
        </Link>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 120,
      render: (s: PayrollSummary['status']) => (
        <Tag color={PAYROLL_STATUS[s]?.color} data-testid="payroll-status">
          {PAYROLL_STATUS[s]?.label ?? s}
        </Tag>
      ),
    },
    {
      title: '户数',
      dataIndex: 'householdCount',
      width: 90,
      align: 'right',
      render: (n: number | null) => <span className="tabular">{count(n)}</span>,
    },
    {
      title: '人数',
      dataIndex: 'personCount',
      width: 90,
      align: 'right',
      render: (n: number | null) => <span className="tabular">{count(n)}</span>,
    },
    {
      title: townUser ? '本乡镇明细（行）' : '发放明细（行）',
      dataIndex: 'lineCount',
      width: 120,
      align: 'right',
      render: (n: number) => <span className="tabular">{count(n)}</span>,
    },
    {
      title: townUser ? '本乡镇金额' : '金额合计',
      dataIndex: 'totalFen',
      width: 150,
      align: 'right',
      render: (fen: number) => <Money fen={fen} />,
    },
    {
      title: '操作',
      key: 'open',
      width: 80,
      fixed: 'right',
      render: (_, p) => <Link to={`/payments/payrolls/${p.id}`}>查看</Link>,
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', position: 'relative', zIndex: 0 }}>
      <PaymentsTabs active="payrolls" />
      <Card
        title="发放名册"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={reload}>
              刷新
            </Button>
            {can(me, 'payroll.generate') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setGenerating(true)}
                data-testid="generate-payroll"
              >
                生成名册
              </Button>
            )}
          </Space>
        }
      >
        <Flex gap={12} wrap align="center" data-testid="payroll-filters">
          <DatePicker
            picker="month"
            placeholder="全部月份"
            format="YYYY年MM月"
            value={month ? dayjs(`${month}-01`) : null}
            onChange={(d) => setFilter('month', d ? d.format('YYYY-MM') : undefined)}
            data-testid="filter-month"
          />
          <Select
            allowClear
            placeholder="全部救助项目"
            style={{ width: 180 }}
            value={program}
            options={PAYROLL_PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
            onChange={(v: string | undefined) => setFilter('program', v)}
            data-testid="filter-program"
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            名册生成后须先“审核”，再由另一人“审批并锁定”，锁定后方可导出银行代发文件。
          </Typography.Text>
        </Flex>
      </Card>
      <Card>
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
        <Table<PayrollSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={loading}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          data-testid="payroll-list"
          locale={{ emptyText: '没有发放名册' }}
        />
      </Card>
      {!townUser && can(me, 'payroll.generate') && <PriceIndexCard />}
      {generating && (
        <GenerateModal
          defaultMonth={month}
          defaultProgram={program}
          onClose={() => {
            setGenerating(false);
            reload();
          }}
        />
      )}
    </Space>
  );
}
