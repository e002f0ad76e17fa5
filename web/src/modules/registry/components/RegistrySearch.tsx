import { PlusOutlined, SearchOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
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
import { query } from '../../../api/client.ts';
import { useApi } from '../../../api/use-api.ts';
import { useMe } from '../../auth/AuthProvider.tsx';
import { can } from '../../auth/access.ts';
import { useAreas } from '../hooks/use-areas.ts';
import type { HouseholdListItem, Paged } from '../types.ts';
import { PROGRAM_COLORS, PROGRAMS } from '../utils/labels.ts';
import { PAGE_STYLE } from '../utils/layout.ts';

interface Filters {
  name?: string;
  idNumber?: string;
  townCode?: string;
  villageCode?: string;
  program?: string;
  closeRelative?: boolean;
}

const FILTER_KEYS = ['name', 'idNumber', 'townCode', 'villageCode', 'program', 'closeRelative'] as const;
const PAGE_SIZES = [10, 20, 50, 100];

function filtersFrom(params: URLSearchParams, fixedTown: string | null): Filters {
  return {
    name: params.get('name') ?? undefined,
    idNumber: params.get('idNumber') ?? undefined,
    townCode: fixedTown ?? params.get('townCode') ?? undefined,
    villageCode: params.get('villageCode') ?? undefined,
    program: params.get('program') ?? undefined,
    closeRelative: params.get('closeRelative') === 'true',
  };
}

/** 救助对象 search: filters live in the URL (back/forward and reload keep them), results paged by the server. */
export function RegistrySearch() {
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  // A town clerk works in one town: it is chosen for them and cannot be changed.
  const fixedTown = me.areaCode.length === 9 ? me.areaCode : null;
  const filters = useMemo(() => filtersFrom(params, fixedTown), [params, fixedTown]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 20;

  const { areas: towns } = useAreas(null);
  const selectedTown = Form.useWatch('townCode', form) ?? filters.townCode;
  const { areas: villages, loading: villagesLoading } = useAreas(selectedTown ?? '');

  // Back/forward changes the URL: the form shows what the results are for.
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filters);
  }, [form, filters]);

  const url = `/api/v1/households${query({
    name: filters.name,
    idNumber: filters.idNumber,
    townCode: fixedTown ? undefined : filters.townCode,
    villageCode: filters.villageCode,
    program: filters.program,
    closeRelative: filters.closeRelative ? 'true' : undefined,
    page,
    pageSize,
  })}`;
  const { data, error, loading } = useApi<Paged<HouseholdListItem>>(url);

  const search = (values: Filters) => {
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const v = values[key];
      if (key === 'townCode' && fixedTown) continue;
      if (typeof v === 'string' && v.trim() !== '') next.set(key, v.trim());
      if (v === true) next.set(key, 'true');
    }
    if (pageSize !== 20) next.set('pageSize', String(pageSize));
    setParams(next);
  };

  const reset = () => {
    setParams(new URLSearchParams());
  };

  const columns: TableColumnsType<HouseholdListItem> = [
    {
      title: '户主',
      dataIndex: 'headName',
      width: 100,
      fixed: 'left',
      render: (name: string | null, h) => (
        <Link to={`/registry/households/${h.id}`} data-testid="household-link">
          {name ?? '（未登记户主）'}
        </Link>
      ),
    },
    {
      title: '身份证号',
      dataIndex: 'headIdNumber',
      width: 160,
      render: (v: string | null) => <span className="tabular">{v ?? '—'}</span>,
    },
    { title: '乡镇', dataIndex: 'townName', width: 80 },
    { title: '村（居）', dataIndex: 'villageName', width: 110, render: (v: string | null) => v ?? '—' },
    { title: '地址', dataIndex: 'address', ellipsis: true },
    { title: '人数', dataIndex: 'memberCount', width: 56, align: 'right' },
    {
      title: '救助项目',
      dataIndex: 'programs',
      width: 170,
      render: (programs: HouseholdListItem['programs']) =>
        programs.length === 0 ? (
          <Typography.Text type="secondary">无</Typography.Text>
        ) : (
          <Space size={[0, 4]} wrap>
            {programs.map((p) => (
              <Tag key={p.code} color={PROGRAM_COLORS[p.code]}>
                {p.name}
              </Tag>
            ))}
          </Space>
        ),
    },
    {
      title: '近亲属备案',
      dataIndex: 'closeRelativeFlag',
      width: 110,
      render: (flag: boolean) =>
        flag ? (
          <Tag color="warning" icon={<WarningOutlined />} data-testid="close-relative-tag">
            近亲属备案
          </Tag>
        ) : null,
    },
    {
      title: '操作',
      key: 'actions',
      width: 64,
      fixed: 'right',
      render: (_, h) => <Link to={`/registry/households/${h.id}`}>查看</Link>,
    },
  ];

  const townOptions = towns
    .filter((t) => !fixedTown || t.code === fixedTown)
    .map((t) => ({ value: t.code, label: t.name, disabled: !t.inScope }));
  const cols = { xs: 24, sm: 12, lg: 8, xl: 6 } as const;

  return (
    <Space orientation="vertical" size={16} style={PAGE_STYLE}>
      <Card
        title="救助对象查询"
        extra={
          can(me, 'registry.write') && (
            <Space>
              <Button
                icon={<UploadOutlined />}
                onClick={() => navigate('/registry/import')}
                data-testid="roster-import-link"
              >
                导入花名册
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/registry/households/new')}
              >
                新建家庭
              </Button>
            </Space>
          )
        }
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={search}
          initialValues={filters}
          data-testid="search-form"
        >
          <Row gutter={16}>
            <Col {...cols}>
              <Form.Item name="name" label="姓名" tooltip="户内任一成员的姓名，可只输入部分">
                <Input allowClear placeholder="户主或家庭成员姓名" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item
                name="idNumber"
                label="身份证号"
                rules={[
                  {
                    pattern: /^\d{4,17}[\dXx]?$/,
                    message: '请输入完整号码或末尾至少4位',
                  },
                ]}
                normalize={(v: string | undefined) => (v ?? '').replace(/\s+/g, '')}
              >
                <Input
                  allowClear
                  placeholder="完整号码或后几位（至少4位）"
                  maxLength={18}
                  autoComplete="off"
                  data-testid="search-id-number"
                />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item name="townCode" label="乡镇">
                <Select
                  allowClear={!fixedTown}
                  disabled={Boolean(fixedTown)}
                  placeholder="全部乡镇"
                  options={townOptions}
                  showSearch={{ optionFilterProp: 'label' }}
                  onChange={() => form.setFieldValue('villageCode', undefined)}
                />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item name="villageCode" label="村（居）">
                <Select
                  allowClear
                  placeholder={selectedTown ? '全部村（居）' : '请先选择乡镇'}
                  disabled={!selectedTown}
                  loading={villagesLoading}
                  options={villages.map((v) => ({ value: v.code, label: v.name }))}
                  showSearch={{ optionFilterProp: 'label' }}
                />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item name="program" label="救助项目">
                <Select
                  allowClear
                  placeholder="全部项目"
                  options={PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
                />
              </Form.Item>
            </Col>
            <Col {...cols}>
              <Form.Item name="closeRelative" label="近亲属备案" valuePropName="checked">
                <Checkbox>只看近亲属备案的家庭</Checkbox>
              </Form.Item>
            </Col>
            <Col xs={24} sm={24} lg={8} xl={12}>
              <Form.Item label=" " colon={false}>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    查询
                  </Button>
                  <Button onClick={reset}>重置</Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card>
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
        <Table<HouseholdListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          scroll={{ x: 1000 }}
          data-testid="household-results"
          locale={{ emptyText: '没有符合条件的家庭' }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (total) => `共 ${total} 户`,
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
