import { CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { Money } from '../../ui/Money.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { ExplanationList } from './ExplanationList.tsx';
import {
  formatPayMonth,
  formatTime,
  fundSourceLabel,
  ONE_OFF_KINDS,
  ONE_OFF_STATUS,
  PROGRAM_COLORS,
} from './labels.ts';
import { OneOffBatches } from './OneOffBatches.tsx';
import { PaymentsTabs } from './PaymentsTabs.tsx';
import type { OneOffPayment, Paged } from './types.ts';

const PAGE_SIZE = 20;

/** 一次性发放: 临时救助, 医疗救助 and 节日补贴 payments waiting for approval (and those already done). */
export function OneOffList() {
  const me = useMe();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'pending';
  const kind = params.get('kind') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const { data, error, loading, reload } = useApi<Paged<OneOffPayment>>(
    `/api/v1/one-off-payments${query({ status: status === 'all' ? undefined : status, kind, page, pageSize: PAGE_SIZE })}`,
  );
  const [busy, setBusy] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const canApprove = can(me, 'payroll.approve');

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    setParams(next);
  };

  const approve = async (p: OneOffPayment) => {
    setBusy(p.id);
    setActionError(null);
    try {
      await api.post(`/api/v1/one-off-payments/${p.id}/approve`);
      message.success('已审批');
      reload();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<OneOffPayment> = [
    {
      title: '编号',
      dataIndex: 'id',
      width: 70,
      render: (id: number) => <span className="tabular">{id}</span>,
    },
    {
      title: '类别',
      dataIndex: 'kind',
      width: 100,
      render: (k: string) => <Tag color={PROGRAM_COLORS[k]}>{ONE_OFF_KINDS[k] ?? k}</Tag>,
    },
    { title: '乡镇', dataIndex: 'townName', width: 90, render: (n: string | null, p) => n ?? p.townCode },
    {
      title: '对象',
      key: 'who',
      width: 120,
      render: (_, p) => (
        <Link to={`/registry/households/${p.householdId}`}>
          {p.personName ?? p.headName ?? `家庭 ${p.householdId}`}
        </Link>
      ),
    },
    {
      title: '金额',
      dataIndex: 'amountFen',
      width: 120,
      align: 'right',
      render: (fen: number) => <Money fen={fen} />,
    },
    { title: '资金来源', dataIndex: 'fundSource', width: 80, render: fundSourceLabel },
    {
      title: '月份',
      dataIndex: 'benefitMonth',
      width: 100,
      render: (m: string | undefined) => <span className="tabular">{formatPayMonth(m)}</span>,
    },
    {
      title: '收款账户',
      key: 'account',
      width: 200,
      render: (_, p) =>
        p.bankAccount ? (
          <span className="tabular">
            {p.bankName ?? ''} {p.bankAccount}
          </span>
        ) : (
          <Tag color="error">未登记账户</Tag>
        ),
    },
    { title: '事由', dataIndex: 'reason', width: 260, ellipsis: { showTitle: true } },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (s: string) => <Tag color={ONE_OFF_STATUS[s]?.color}>{ONE_OFF_STATUS[s]?.label ?? s}</Tag>,
    },
    {
      title: '登记',
      key: 'created',
      width: 170,
      render: (_, p) => (
        <Typography.Text style={{ fontSize: 12 }}>
          {p.createdBy}（{formatTime(p.createdAt)}）
        </Typography.Text>
      ),
    },
    {
      title: '操作',
      key: 'ops',
      width: 100,
      fixed: 'right',
      render: (_, p) =>
        p.status === 'pending' && p.batchId ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            随批次审批
          </Typography.Text>
        ) : p.status === 'pending' && canApprove ? (
          <Popconfirm title="审批该笔发放？" okText="审批" cancelText="取消" onConfirm={() => approve(p)}>
            <Button
              size="small"
              type="primary"
              icon={<CheckOutlined />}
              loading={busy === p.id}
              data-testid={`approve-one-off-${p.id}`}
            >
              审批
            </Button>
          </Popconfirm>
        ) : p.approvedBy ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {p.approvedBy}
          </Typography.Text>
        ) : null,
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', position: 'relative', zIndex: 0 }}>
      <PaymentsTabs active="one-off" />
      <Card
        title="一次性发放"
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload}>
            刷新
          </Button>
        }
      >
        <Flex gap={12} wrap align="center">
          <Select
            style={{ width: 140 }}
            value={status}
            options={[
              { value: 'pending', label: '待审批' },
              { value: 'approved', label: '已审批' },
              { value: 'paid', label: '已发放' },
              { value: 'failed', label: '发放失败' },
              { value: 'all', label: '全部' },
            ]}
            onChange={(v: string) => setFilter('status', v === 'pending' ? undefined : v)}
            data-testid="one-off-status"
          />
          <Select
            allowClear
            placeholder="全部类别"
            style={{ width: 140 }}
            value={kind}
            options={Object.entries(ONE_OFF_KINDS).map(([value, label]) => ({ value, label }))}
            onChange={(v: string | undefined) => setFilter('kind', v)}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            临时救助、医疗救助按笔审批，节日补贴按批次审批；审批人不能是登记人。
          </Typography.Text>
        </Flex>
      </Card>
      <OneOffBatches canApprove={canApprove} onChanged={reload} />
      <Card
        title="发放记录"
        extra={
          data && (
            <Typography.Text data-testid="one-off-sum">
              共 {(data.count ?? data.total ?? 0).toLocaleString('zh-CN')} 笔，合计{' '}
              <Money fen={data.totalFen ?? 0} />
            </Typography.Text>
          )
        }
      >
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
        {actionError && (
          <Alert
            type="error"
            showIcon
            title={actionError}
            closable={{ onClose: () => setActionError(null) }}
            style={{ marginBottom: 16 }}
            data-testid="one-off-error"
          />
        )}
        <Table<OneOffPayment>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          scroll={{ x: 1600 }}
          expandable={{
            rowExpandable: (p) => Boolean(p.explanation?.length),
            expandedRowRender: (p) => <ExplanationList lines={p.explanation ?? []} />,
          }}
          data-testid="one-off-list"
          locale={{ emptyText: status === 'pending' ? '没有待审批的一次性发放' : '没有符合条件的发放' }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.count ?? data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            onChange: (pg) => {
              const next = new URLSearchParams(params);
              if (pg > 1) next.set('page', String(pg));
              else next.delete('page');
              setParams(next);
            },
          }}
        />
      </Card>
    </Space>
  );
}
