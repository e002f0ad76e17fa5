import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Flex,
  Input,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { SOURCE_CODES } from '../../../../src/domain/verification/sources.ts';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { BASIS, CHANNELS, formatTime, QUERY_STATUS, sourceLabel } from './labels.ts';
import type { QueryItem } from './types.ts';

const PAGE_SIZE = 50;

/** 查询记录: every query made to department data — who, when, about whom, for which case, on what basis. */
export function QueryLog() {
  const [page, setPage] = useState(1);
  const [sourceCode, setSourceCode] = useState<string | undefined>();
  const [caseId, setCaseId] = useState<string>('');
  const { data, error, loading, reload } = useApi<{ items: QueryItem[]; total?: number }>(
    `/api/v1/departments/queries${query({ page, pageSize: PAGE_SIZE, sourceCode, caseId: caseId || undefined })}`,
  );
  const items = data?.items ?? [];

  const columns: TableColumnsType<QueryItem> = [
    {
      title: '时间',
      dataIndex: 'requestedAt',
      width: 150,
      render: (t: string) => <span className="tabular">{formatTime(t)}</span>,
    },
    { title: '查询人', dataIndex: 'requestedBy', width: 120 },
    { title: '数据源', dataIndex: 'sourceCode', width: 110, render: (c: string) => sourceLabel(c) },
    {
      title: '被查询人身份证号',
      dataIndex: 'idNumber',
      width: 190,
      render: (v: string) => <span className="tabular">{v}</span>,
    },
    {
      title: '个案',
      dataIndex: 'caseId',
      width: 90,
      render: (id: number | null) => (id ? <Link to={`/approval/cases/${id}`}>个案 {id}</Link> : '—'),
    },
    { title: '查询依据', dataIndex: 'basis', width: 140, render: (b: string) => BASIS[b] ?? b },
    {
      title: '授权书',
      dataIndex: 'authorisationId',
      width: 100,
      render: (id: number | null) => (id ? `第 ${id} 号` : '—'),
    },
    { title: '渠道', dataIndex: 'channel', width: 70, render: (c: string) => CHANNELS[c] ?? c },
    {
      title: '结果',
      dataIndex: 'status',
      width: 130,
      render: (s: string, q) => (
        <span title={q.error ?? undefined}>
          <Tag color={QUERY_STATUS[s]?.color}>{QUERY_STATUS[s]?.label ?? s}</Tag>
          {q.error && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {q.error}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { title: '尝试次数', dataIndex: 'attempts', width: 80, align: 'right' },
  ];

  return (
    <Card
      title="部门数据查询记录"
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload}>
          刷新
        </Button>
      }
    >
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="全部数据源"
          style={{ width: 180 }}
          value={sourceCode}
          options={SOURCE_CODES.map((c) => ({ value: c, label: sourceLabel(c) }))}
          onChange={(v: string | undefined) => {
            setSourceCode(v);
            setPage(1);
          }}
        />
        <Input.Search
          allowClear
          placeholder="个案编号"
          style={{ width: 160 }}
          onSearch={(v) => {
            setCaseId(/^\d+$/.test(v.trim()) ? v.trim() : '');
            setPage(1);
          }}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          每次向部门查询个人信息均留有记录，身份证号码已脱敏显示。
        </Typography.Text>
      </Flex>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
      <Table<QueryItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        scroll={{ x: 1300 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? items.length,
          hideOnSinglePage: true,
          showSizeChanger: false,
          onChange: setPage,
        }}
        data-testid="query-log"
        locale={{ emptyText: '没有查询记录' }}
      />
    </Card>
  );
}
