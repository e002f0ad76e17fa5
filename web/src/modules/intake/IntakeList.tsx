import { ClockCircleOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  List,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  CHANNEL_CODES,
  CHANNELS,
  INTAKE_ITEM_CODES,
  INTAKE_ITEMS,
  itemLabel,
  REQUEST_STATUS,
  REQUEST_STATUS_CODES,
} from '../../../../src/domain/intake/intake-rules.ts';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useMe } from '../auth/AuthProvider.tsx';
import { useAreas } from '../registry/hooks/use-areas.ts';
import { formatChinaTime } from '../registry/utils/labels.ts';
import { PAGE_STYLE } from '../registry/utils/layout.ts';
import { canRegister, DEADLINE_COLORS, DECISION_COLORS, deadlineText, STATUS_COLORS } from './labels.ts';
import type { IntakeList as IntakeListData, IntakeListItem, OverdueForwards } from './types.ts';

interface Filters {
  name?: string;
  status?: string;
  channel?: string;
  item?: string;
  townCode?: string;
  overdue?: boolean;
}

const KEYS = ['name', 'status', 'channel', 'item', 'townCode', 'overdue'] as const;
const PAGE_SIZES = [10, 20, 50, 100];

/** 受理登记 list: filters in the URL, the forwards to chase on top, and the 登记 button. */
export function IntakeList() {
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const fixedTown = me.areaCode.length === 9 ? me.areaCode : null;
  const filters: Filters = useMemo(
    () => ({
      name: params.get('name') ?? undefined,
      status: params.get('status') ?? undefined,
      channel: params.get('channel') ?? undefined,
      item: params.get('item') ?? undefined,
      townCode: fixedTown ? undefined : (params.get('townCode') ?? undefined),
      overdue: params.get('overdue') === 'true',
    }),
    [params, fixedTown],
  );
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 20;
  const { areas: towns } = useAreas(fixedTown ? '' : null);

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filters);
  }, [form, filters]);

  const list = useApi<IntakeListData>(
    `/api/v1/intake/requests${query({
      name: filters.name,
      status: filters.status,
      channel: filters.channel,
      item: filters.item,
      townCode: filters.townCode,
      overdue: filters.overdue ? 'true' : undefined,
      page,
      pageSize,
    })}`,
  );
  const chase = useApi<OverdueForwards>('/api/v1/intake/overdue-forwards');

  const search = (v: Filters) => {
    const next = new URLSearchParams();
    for (const k of KEYS) {
      const value = v[k];
      if (typeof value === 'string' && value.trim() !== '') next.set(k, value.trim());
      if (value === true) next.set(k, 'true');
    }
    if (pageSize !== 20) next.set('pageSize', String(pageSize));
    setParams(next);
  };

  const columns: TableColumnsType<IntakeListItem> = [
    {
      title: '登记时间 / 渠道',
      dataIndex: 'receivedAt',
      width: 150,
      render: (v: string, r) => (
        <Space orientation="vertical" size={0}>
          <span className="tabular">{formatChinaTime(v)}</span>
          <Typography.Text type="secondary">
            {r.channelLabel} · {r.receivedBy}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '申请人',
      dataIndex: 'applicantName',
      width: 100,
      render: (name: string, r) => (
        <Link to={`/intake/${r.id}`} data-testid="intake-link">
          {name}
        </Link>
      ),
    },
    {
      title: '身份证号',
      dataIndex: 'applicantIdNumber',
      width: 160,
      render: (v: string | null) => <span className="tabular">{v ?? '—'}</span>,
    },
    {
      title: '乡镇 / 村（居）',
      key: 'area',
      width: 140,
      render: (_, r) => [r.townName, r.villageName].filter(Boolean).join(' / '),
    },
    {
      title: '申请事项',
      dataIndex: 'items',
      width: 260,
      render: (items: IntakeListItem['items']) => (
        <Space size={[0, 4]} wrap>
          {items.map((i) => (
            <Tag key={i.id} color={DECISION_COLORS[i.decision]} title={i.label}>
              {INTAKE_ITEMS[i.itemCode].label}：{i.decisionLabel}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: '状态',
      dataIndex: 'statusLabel',
      width: 110,
      render: (label: string, r) => (
        <Space orientation="vertical" size={4}>
          <Tag color={STATUS_COLORS[r.status]}>{label}</Tag>
          {r.overdue && (
            <Tag color="red" icon={<ClockCircleOutlined />}>
              转办超期
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 64,
      fixed: 'right',
      render: (_, r) => <Link to={`/intake/${r.id}`}>办理</Link>,
    },
  ];

  const cols = { xs: 24, sm: 12, lg: 8, xl: 6 } as const;
  const chaseItems = chase.data?.items ?? [];

  return (
    <Space orientation="vertical" size={16} style={PAGE_STYLE}>
      {chaseItems.length > 0 && (
        <Alert
          type={chase.data && chase.data.overdue > 0 ? 'error' : 'warning'}
          showIcon
          data-testid="overdue-forwards"
          title={`转办督办：${chase.data?.overdue ?? 0} 项已超期，${chase.data?.dueSoon ?? 0} 项即将到期`}
          description={
            <List
              size="small"
              dataSource={chaseItems.slice(0, 8)}
              renderItem={(f) => (
                <List.Item style={{ paddingInline: 0 }}>
                  <Space wrap>
                    <Tag color={DEADLINE_COLORS[f.status]}>{f.statusLabel}</Tag>
                    <Link to={`/intake/${f.requestId}`}>{f.applicantName}</Link>
                    <span>
                      {f.label} → {f.department}，期限 {f.dueOn}（
                      {deadlineText(f, f.dueOn, chase.data?.today ?? '')}）
                    </span>
                    {!fixedTown && <Typography.Text type="secondary">{f.townName}</Typography.Text>}
                  </Space>
                </List.Item>
              )}
            />
          }
        />
      )}
      <Card
        title="受理登记"
        extra={
          canRegister(me) && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/intake?register=1')}
              data-testid="register-button"
            >
              登记
            </Button>
          )
        }
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={search}
          initialValues={filters}
          data-testid="intake-filters"
        >
          <Row gutter={16}>
            <Col {...cols}>
              <Form.Item name="name" label="申请人姓名">
                <Input allowClear placeholder="可只输入部分" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item name="status" label="状态">
                <Select
                  allowClear
                  placeholder="全部状态"
                  options={REQUEST_STATUS_CODES.map((s) => ({ value: s, label: REQUEST_STATUS[s] }))}
                />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item name="channel" label="受理渠道">
                <Select
                  allowClear
                  placeholder="全部渠道"
                  options={CHANNEL_CODES.map((c) => ({ value: c, label: CHANNELS[c] }))}
                />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item name="item" label="申请事项">
                <Select
                  allowClear
                  placeholder="全部事项"
                  options={INTAKE_ITEM_CODES.map((c) => ({ value: c, label: itemLabel(c) }))}
                />
              </Form.Item>
            </Col>
            {!fixedTown && (
              <Col {...cols}>
                <Form.Item name="townCode" label="乡镇">
                  <Select
                    allowClear
                    placeholder="全部乡镇"
                    options={towns.map((t) => ({ value: t.code, label: t.name }))}
                    showSearch={{ optionFilterProp: 'label' }}
                  />
                </Form.Item>
              </Col>
            )}
            <Col {...cols}>
              <Form.Item name="overdue" label="转办期限" valuePropName="checked">
                <Checkbox>只看转办已超期的</Checkbox>
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item label=" " colon={false}>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    查询
                  </Button>
                  <Button onClick={() => setParams(new URLSearchParams())}>重置</Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card>
        {list.error && (
          <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} />
        )}
        <Table<IntakeListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 1000 }}
          data-testid="intake-results"
          locale={{ emptyText: '没有符合条件的受理登记' }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (total) => `共 ${total} 件`,
            onChange: (p, size) => {
              const next = new URLSearchParams(params);
              if (size !== pageSize) {
                next.delete('page');
                next.set('pageSize', String(size));
              } else if (p > 1) next.set('page', String(p));
              else next.delete('page');
              setParams(next);
            },
          }}
        />
      </Card>
    </Space>
  );
}
