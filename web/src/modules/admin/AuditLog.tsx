import { SearchOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { AuditEntryDetail } from './AuditEntryDetail.tsx';
import { useCountyAreas } from './areas.ts';
import {
  ACTION_OPTIONS,
  ALARM_ACTIONS,
  type AuditPage,
  type AuditRow,
  actionLabel,
  ENTITY_FILTERS,
  ENTITY_LABELS,
  FILTER_KEYS,
  type FilterKey,
} from './audit.ts';
import { ChainCheck } from './ChainCheck.tsx';
import { chinaDateTime } from './format.ts';

const DEFAULT_PAGE_SIZE = 20;

interface FilterValues {
  username?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  range?: [Dayjs, Dayjs] | null;
}

type Filters = Partial<Record<FilterKey, string>>;

function formValues(f: Filters): FilterValues {
  const from = f.from ? dayjs(f.from, 'YYYY-MM-DD') : null;
  const to = f.to ? dayjs(f.to, 'YYYY-MM-DD') : null;
  return {
    username: f.username,
    action: f.action,
    entityType: f.entityType,
    entityId: f.entityId,
    range: from?.isValid() && to?.isValid() ? [from, to] : null,
  };
}

/**
 * The list pages newest first and cannot filter by entry number, so a named entry is found by a binary
 * search over the unfiltered pages (each page covers a descending range of numbers).
 */
async function findPage(id: number, pageSize: number): Promise<number | null> {
  const pageAt = (page: number) => api.get<AuditPage>(`/api/v1/audit${query({ page, pageSize })}`);
  const first = await pageAt(1);
  let lo = 1;
  let hi = Math.max(1, Math.ceil(first.total / pageSize));
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const { items } = mid === 1 ? first : await pageAt(mid);
    const newest = items[0]?.id;
    const oldest = items.at(-1)?.id;
    if (newest === undefined || oldest === undefined) hi = mid - 1;
    else if (id > newest) hi = mid - 1;
    else if (id < oldest) lo = mid + 1;
    else return items.some((r) => r.id === id) ? mid : null;
  }
  return null;
}

/** 系统管理 › 审计日志 (县级管理员, 核查员). */
export function AuditLog() {
  const me = useMe();
  if (!can(me, 'audit.read'))
    return (
      <ErrorResult
        error={
          new ApiError(403, {
            code: 'FORBIDDEN',
            message: `您的角色（${me.roleLabel}）无权查看审计日志，审计日志仅限县级管理员和核查员查看。`,
          })
        }
      />
    );
  return <AuditLogView />;
}

function AuditLogView() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterValues>();
  const areas = useCountyAreas();
  const [expanded, setExpanded] = useState<number[]>([]);
  const [locating, setLocating] = useState(false);

  const filters: Filters = useMemo(
    () => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined])),
    [params],
  );
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || DEFAULT_PAGE_SIZE));
  const entry = Number(params.get('entry')) || null;
  const { data, error, loading, reload } = useApi<AuditPage>(
    `/api/v1/audit${query({ ...filters, page, pageSize })}`,
  );

  // The URL is the truth: back/forward and links set the form.
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(formValues(filters));
  }, [filters, form]);

  // A located entry opens by itself.
  useEffect(() => {
    if (entry && data?.items.some((r) => r.id === entry))
      setExpanded((keys) => (keys.includes(entry) ? keys : [...keys, entry]));
  }, [entry, data]);

  const search = (values: FilterValues) => {
    const next: Record<string, string> = {};
    for (const k of ['username', 'action', 'entityType', 'entityId'] as const) {
      const v = values[k]?.trim();
      if (v) next[k] = v;
    }
    if (values.range) {
      next.from = values.range[0].format('YYYY-MM-DD');
      next.to = values.range[1].format('YYYY-MM-DD');
    }
    if (pageSize !== DEFAULT_PAGE_SIZE) next.pageSize = String(pageSize);
    setParams(next);
  };

  const locate = async (id: number) => {
    setLocating(true);
    try {
      const found = await findPage(id, pageSize);
      if (found === null) message.warning(`日志列表中没有编号 ${id} 的记录（该记录可能已被删除）`);
      else setParams({ page: String(found), pageSize: String(pageSize), entry: String(id) });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setLocating(false);
    }
  };

  const columns: TableColumnsType<AuditRow> = [
    {
      title: '时间',
      dataIndex: 'at',
      width: 170,
      render: (at: string) => <span className="tabular">{chinaDateTime(at)}</span>,
    },
    { title: '用户', dataIndex: 'username', width: 140, render: (u: string | null) => u ?? '—' },
    {
      title: '操作',
      dataIndex: 'action',
      width: 170,
      render: (a: string) => <Tag color={ALARM_ACTIONS.has(a) ? 'red' : undefined}>{actionLabel(a)}</Tag>,
    },
    {
      title: '记录',
      key: 'entity',
      width: 130,
      render: (_, r) => {
        const label = `${ENTITY_LABELS[r.entity_type] ?? r.entity_type}${r.entity_id ? ` ${r.entity_id}` : ''}`;
        return r.entity_type === 'household' && r.entity_id ? (
          <Link to={`/registry/households/${r.entity_id}`}>{label}</Link>
        ) : (
          label
        );
      },
    },
    {
      title: '乡镇',
      dataIndex: 'town_code',
      width: 110,
      render: (c: string | null) => (c ? areas.nameOf(c) : '—'),
    },
    {
      title: '详情',
      dataIndex: 'detail',
      ellipsis: { showTitle: false },
      render: (d: string | null) =>
        d ? (
          <Tooltip title={d} placement="topLeft">
            {d}
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  return (
    <>
      <ChainCheck onLocate={(id) => void locate(id)} locating={locating} />
      <Card title="审计日志" data-testid="audit-log">
        <Form<FilterValues>
          form={form}
          onFinish={search}
          labelCol={{ flex: '72px' }}
          wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
          labelWrap
        >
          <Row gutter={16}>
            <Col xs={24} sm={12} xl={6}>
              <Form.Item name="username" label="用户名">
                <Input allowClear placeholder="如 rucheng_jingban" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Form.Item name="action" label="操作">
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: ['label', 'value'] }}
                  placeholder="全部操作"
                  options={ACTION_OPTIONS}
                  popupMatchSelectWidth={false}
                  optionRender={(o) => (
                    <span>
                      {o.label}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {String(o.value)}
                      </Typography.Text>
                    </span>
                  )}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Form.Item name="entityType" label="记录类型">
                <Select allowClear placeholder="全部类型" options={ENTITY_FILTERS} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Form.Item name="entityId" label="记录编号">
                <Input allowClear placeholder="如家庭编号 123" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={12}>
              <Form.Item name="range" label="日期范围">
                <DatePicker.RangePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={12}>
              <Form.Item>
                <Space wrap>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    查询
                  </Button>
                  <Button onClick={() => setParams({})}>重置</Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<AuditRow>
            rowKey="id"
            size="small"
            data-testid="audit-table"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            scroll={{ x: 1000 }}
            onRow={(r) => (r.id === entry ? { style: { background: '#fff1f0' } } : {})}
            expandable={{
              // A fixed column keeps the expanded details within the visible width when the table scrolls.
              fixed: 'left',
              expandedRowKeys: expanded,
              onExpandedRowsChange: (keys) => setExpanded(keys.map(Number)),
              expandedRowRender: (r) => <AuditEntryDetail row={r} />,
            }}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (n) => `共 ${n.toLocaleString('zh-CN')} 条`,
              onChange: (p, ps) => {
                const next = new URLSearchParams(params);
                next.set('page', String(ps === pageSize ? p : 1));
                next.set('pageSize', String(ps));
                setParams(next);
              },
            }}
          />
        )}
      </Card>
    </>
  );
}
