import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useAreaNames } from '../registry/hooks/use-areas.ts';
import { ConclusionTag } from './ConclusionTag.tsx';
import { checkTypeLabel, formatTime } from './labels.ts';
import type { ReportListItem } from './types.ts';

const PAGE_SIZE = 20;

/** 核对报告: every report of the user's area, newest first, with its conclusion and number of differences. */
export function ReportList() {
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useApi<{ items: ReportListItem[]; total?: number }>(
    `/api/v1/verification/reports${query({ page, pageSize: PAGE_SIZE })}`,
  );
  const items = data?.items ?? [];
  const towns = useMemo(() => items.map((r) => r.townCode), [items]);
  const names = useAreaNames(towns);

  const columns: TableColumnsType<ReportListItem> = [
    {
      title: '报告编号',
      dataIndex: 'reportNo',
      width: 190,
      render: (no: string, r) => (
        <Link to={`/verification/reports/${r.id}`} data-testid="report-link">
          <span className="tabular">{no}</span>
        </Link>
      ),
    },
    {
      title: '户主',
      dataIndex: 'headName',
      width: 110,
      render: (name: string | null | undefined, r) => (
        <Link to={`/registry/households/${r.householdId}`}>
          {name ?? r.subjects?.find((x) => x.role === 'member')?.name ?? `家庭 ${r.householdId}`}
        </Link>
      ),
    },
    {
      title: '乡镇',
      dataIndex: 'townCode',
      width: 110,
      render: (code: string, r) => r.townName ?? names.get(code) ?? code,
    },
    {
      title: '核对类型',
      dataIndex: 'checkType',
      width: 140,
      render: (code: string, r) => <Tag>{checkTypeLabel(code, r.checkTypeLabel)}</Tag>,
    },
    {
      title: '核对结论',
      dataIndex: 'conclusionCode',
      width: 220,
      render: (code: string, r) => <ConclusionTag code={code} label={r.conclusionLabel} />,
    },
    {
      title: '差异项',
      dataIndex: 'differenceCount',
      width: 80,
      align: 'right',
      render: (n: number) =>
        n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : <span className="tabular">0</span>,
    },
    { title: '数据截至', dataIndex: 'asOf', width: 110 },
    {
      title: '核对时间',
      dataIndex: 'createdAt',
      width: 150,
      render: (t: string) => <span className="tabular">{formatTime(t)}</span>,
    },
    {
      title: '个案',
      dataIndex: 'caseId',
      width: 90,
      render: (id: number | null) => (id ? <Link to={`/approval/cases/${id}`}>个案 {id}</Link> : '批量复核'),
    },
  ];

  return (
    <Card
      title="核对报告"
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload}>
          刷新
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        核对报告由个案“发起核对”或批量复核生成，生成后不能修改；列表中身份证号码已隐去。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
      <Table<ReportListItem>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        scroll={{ x: 1100 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? items.length,
          hideOnSinglePage: true,
          showSizeChanger: false,
          onChange: setPage,
        }}
        data-testid="report-list"
        locale={{ emptyText: '还没有核对报告：在个案页面点击“发起核对”，或在“批量复核核对”中发起' }}
      />
    </Card>
  );
}
