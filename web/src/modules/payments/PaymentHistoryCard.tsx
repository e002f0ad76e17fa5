import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { Money } from '../../ui/Money.tsx';
import {
  componentLabel,
  entryKindLabel,
  formatPayMonth,
  fundSourceLabel,
  PROGRAM_COLORS,
  programName,
} from './labels.ts';
import type { LedgerEntry, Paged } from './types.ts';

const PAGE_SIZE = 12;

const KIND_COLORS: Record<string, string> = {
  payment: 'default',
  arrears: 'blue',
  recovery: 'red',
  bank_failure: 'error',
  reissue: 'purple',
  one_off: 'orange',
};

/** 发放记录: what the household was paid, month by month, from the payment ledger. */
export function PaymentHistoryCard({
  householdId,
  personNames,
}: {
  householdId: number;
  /** Names of current and former members, for lines paid to one person (分类施保, 特困). */
  personNames: Map<number, string>;
}) {
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useApi<Paged<LedgerEntry>>(
    `/api/v1/households/${householdId}/payments${query({ page, pageSize: PAGE_SIZE })}`,
  );
  const items = data?.items ?? [];
  return (
    <Card
      title="发放记录"
      data-testid="payment-history"
      extra={
        <Button type="text" icon={<ReloadOutlined />} onClick={reload} aria-label="刷新发放记录">
          刷新
        </Button>
      }
    >
      {error ? (
        <Alert type="error" showIcon title={error.message} />
      ) : (
        <Table<LedgerEntry>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={items}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            hideOnSinglePage: true,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 条`,
            onChange: setPage,
          }}
          locale={{ emptyText: '暂无发放记录' }}
          columns={[
            {
              title: '待遇月份',
              dataIndex: 'benefitMonth',
              render: (m: string) => <span className="tabular">{formatPayMonth(m)}</span>,
            },
            {
              title: '救助项目',
              dataIndex: 'programCode',
              render: (c: string) => <Tag color={PROGRAM_COLORS[c]}>{programName(c)}</Tag>,
            },
            {
              title: '发放组成',
              dataIndex: 'component',
              render: (c: string, e) => {
                const label = e.componentLabel ?? componentLabel(c);
                const person = e.personId !== null ? personNames.get(e.personId) : undefined;
                return person ? `${label}（${person}）` : label;
              },
            },
            {
              title: '类型',
              dataIndex: 'entryKind',
              render: (k: string, e) => (
                <>
                  <Tag color={KIND_COLORS[k]}>{e.entryKindLabel ?? entryKindLabel(k)}</Tag>
                  {e.reason && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {e.reason}
                    </Typography.Text>
                  )}
                </>
              ),
            },
            {
              title: '金额',
              dataIndex: 'amountFen',
              align: 'right',
              render: (fen: number) => <Money fen={fen} />,
            },
            { title: '资金来源', dataIndex: 'fundSource', render: fundSourceLabel },
            {
              title: '发放月份',
              dataIndex: 'payMonth',
              render: (m: string) => <span className="tabular">{formatPayMonth(m)}</span>,
            },
          ]}
        />
      )}
    </Card>
  );
}
