import { CheckOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { Money } from '../../ui/Money.tsx';
import { formatTime, ONE_OFF_STATUS, programName } from './labels.ts';
import type { OneOffBatch } from './types.ts';

/** 节日补贴批次: one pending payment per covered person; the batch is approved as a whole. */
export function OneOffBatches({ canApprove, onChanged }: { canApprove: boolean; onChanged: () => void }) {
  const { message } = App.useApp();
  const { data, error, loading, reload } = useApi<{ items: OneOffBatch[] }>('/api/v1/one-off-batches');
  const [busy, setBusy] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const items = data?.items ?? [];
  if (!loading && !error && items.length === 0) return null;

  const approve = async (b: OneOffBatch) => {
    setBusy(b.id);
    setActionError(null);
    try {
      await api.post(`/api/v1/one-off-batches/${b.id}/approve`);
      message.success(`“${b.title}”已审批`);
      reload();
      onChanged();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title="节日补贴批次" data-testid="one-off-batches">
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      {actionError && (
        <Alert
          type="error"
          showIcon
          title={actionError}
          closable={{ onClose: () => setActionError(null) }}
          style={{ marginBottom: 12 }}
        />
      )}
      <Table<OneOffBatch>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '批次名称', dataIndex: 'title' },
          {
            title: '对象',
            dataIndex: 'programCodes',
            render: (codes: string[]) => codes.map((c) => programName(c)).join('、'),
          },
          {
            title: '参考日',
            dataIndex: 'referenceDate',
            render: (d: string) => <span className="tabular">{d}</span>,
          },
          {
            title: '每人金额',
            dataIndex: 'amountPerPersonFen',
            align: 'right',
            render: (fen: number | null) => (fen === null ? '—' : <Money fen={fen} />),
          },
          { title: '笔数', dataIndex: 'lineCount', align: 'right' },
          {
            title: '金额合计',
            dataIndex: 'totalFen',
            align: 'right',
            render: (fen: number) => <Money fen={fen} />,
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={ONE_OFF_STATUS[s]?.color}>{ONE_OFF_STATUS[s]?.label ?? s}</Tag>
            ),
          },
          {
            title: '登记 / 审批',
            key: 'who',
            render: (_, b) => (
              <Typography.Text style={{ fontSize: 12 }}>
                {b.createdBy}（{formatTime(b.createdAt)}）
                {b.approvedBy ? ` / ${b.approvedBy}（${formatTime(b.approvedAt)}）` : ''}
              </Typography.Text>
            ),
          },
          {
            title: '操作',
            key: 'ops',
            render: (_, b) =>
              b.status === 'pending' && canApprove ? (
                <Popconfirm
                  title="审批整个批次？"
                  description="审批人不能是批次的创建人。"
                  okText="审批"
                  cancelText="取消"
                  onConfirm={() => approve(b)}
                >
                  <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy === b.id}>
                    审批批次
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
