import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useMe } from '../auth/AuthProvider.tsx';
import { useAreaNames, useAreas } from '../registry/hooks/use-areas.ts';
import { ConclusionTag } from './ConclusionTag.tsx';
import { CONCLUSIONS, checkTypeLabel, formatTime } from './labels.ts';
import type { ReportListItem } from './types.ts';

const PAGE_SIZE = 20;

const CONCLUSION_OPTIONS = Object.entries(CONCLUSIONS).map(([code, label]) => ({
  value: code,
  label: `${code} ${label}`,
}));

interface Filters {
  townCode?: string | undefined;
  conclusion?: string | undefined;
  range?: [Dayjs, Dayjs] | null;
  flagged?: boolean;
}

/**
 * 核对报告: every report of the user's area, newest first, with its conclusion and number of differences;
 * filtered by town (county users), conclusion, the date it was made, and 需关注 (not "meets", or differences).
 */
export function ReportList() {
  const me = useMe();
  const countyUser = me.areaCode.length < 9;
  const { areas: townAreas } = useAreas(countyUser ? null : undefined);
  const [page, setPage] = useState(1);
  const [filters, setFilters] = useState<Filters>({});
  const filter = (next: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setPage(1);
  };
  const filtered = Boolean(filters.townCode || filters.conclusion || filters.range || filters.flagged);
  const { data, error, loading, reload } = useApi<{ items: ReportListItem[]; total?: number }>(
    `/api/v1/verification/reports${query({
      page,
      pageSize: PAGE_SIZE,
      townCode: filters.townCode,
      conclusion: filters.conclusion,
      from: filters.range?.[0].format('YYYY-MM-DD'),
      to: filters.range?.[1].format('YYYY-MM-DD'),
      flagged: filters.flagged ? 'true' : undefined,
    })}`,
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
      <Space wrap size={[12, 8]} style={{ marginBottom: 16 }} data-testid="report-filters">
        {countyUser && (
          <Select
            allowClear
            placeholder="全部乡镇"
            style={{ width: 160 }}
            value={filters.townCode}
            onChange={(v: string | undefined) => filter({ townCode: v })}
            options={townAreas.map((a) => ({ value: a.code, label: a.name }))}
            data-testid="report-filter-town"
          />
        )}
        <Select
          allowClear
          placeholder="全部核对结论"
          style={{ width: 240 }}
          value={filters.conclusion}
          onChange={(v: string | undefined) => filter({ conclusion: v })}
          options={CONCLUSION_OPTIONS}
          data-testid="report-filter-conclusion"
        />
        <DatePicker.RangePicker
          value={filters.range ?? null}
          onChange={(r) => filter({ range: r?.[0] && r[1] ? [r[0], r[1]] : null })}
          placeholder={['核对日期自', '至']}
          allowClear
          data-testid="report-filter-dates"
        />
        <Tooltip title="核对结论为不符合条件或无法确认，或申报与部门数据有差异">
          <Checkbox
            checked={filters.flagged ?? false}
            onChange={(e) => filter({ flagged: e.target.checked })}
            data-testid="report-filter-flagged"
          >
            只看需关注的报告
          </Checkbox>
        </Tooltip>
        {filtered && (
          <Button
            type="link"
            size="small"
            onClick={() =>
              filter({ townCode: undefined, conclusion: undefined, range: null, flagged: false })
            }
          >
            清除筛选
          </Button>
        )}
        {data?.total !== undefined && (
          <Typography.Text type="secondary" data-testid="report-total">
            共 {data.total.toLocaleString('zh-CN')} 份
          </Typography.Text>
        )}
      </Space>
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
        locale={{
          emptyText: filtered
            ? '没有符合筛选条件的核对报告'
            : '还没有核对报告：在个案页面点击“发起核对”，或在“批量复核核对”中发起',
        }}
      />
    </Card>
  );
}
