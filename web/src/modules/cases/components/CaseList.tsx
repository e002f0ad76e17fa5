import { PlusOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { query } from '../../../api/client.ts';
import { useApi } from '../../../api/use-api.ts';
import { useMe } from '../../auth/AuthProvider.tsx';
import { can } from '../../auth/access.ts';
import { useAreas } from '../../registry/hooks/use-areas.ts';
import { NoticePrintButton } from '../print/NoticePrint.tsx';
import type { CaseList as CaseListData, CaseListItem } from '../types.ts';
import { CASE_PROGRAMS, PROGRAM_COLORS, stateOptions } from '../utils/labels.ts';
import { DeadlineTag } from './DeadlineTag.tsx';
import { OpenCaseModal } from './OpenCaseModal.tsx';

const PAGE_SIZE = 20;
const STATUS_ORDER = { overdue: 0, due_today: 1, due_soon: 2, on_time: 3 } as const;

/** 审核审批: the cases in the user's area with where each stands and how long its step has left. */
export function CaseList() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [opening, setOpening] = useState(false);
  const state = params.get('state') ?? undefined;
  const program = params.get('program') ?? undefined;
  const townCode = params.get('townCode') ?? undefined;
  const all = params.get('all') === 'true';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const townUser = me.areaCode.length === 9;
  const { areas: towns } = useAreas(townUser ? '' : null);
  const states = useMemo(() => stateOptions().filter((s) => all || !s.terminal), [all]);

  const url = `/api/v1/cases${query({
    state,
    program,
    townCode: townUser ? undefined : townCode,
    open: all ? undefined : 'true',
    page,
    pageSize: PAGE_SIZE,
  })}`;
  const { data, error, loading, reload } = useApi<CaseListData>(url);
  const items = data?.items ?? [];
  // The list API does not count; one more page exists when this one is full.
  const total = (page - 1) * PAGE_SIZE + items.length + (items.length === PAGE_SIZE ? 1 : 0);

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    setParams(next);
  };

  const columns: TableColumnsType<CaseListItem> = [
    {
      title: '编号',
      dataIndex: 'id',
      width: 72,
      render: (id: number) => <span className="tabular">{id}</span>,
    },
    {
      title: '救助项目',
      dataIndex: 'programName',
      width: 120,
      render: (name: string, c) => <Tag color={PROGRAM_COLORS[c.programCode]}>{name}</Tag>,
    },
    {
      title: '户主',
      dataIndex: 'headName',
      width: 110,
      render: (name: string | null, c) => (
        <Link to={`/approval/cases/${c.id}`} data-testid="case-link">
          {name ?? '（未登记户主）'}
        </Link>
      ),
    },
    { title: '乡镇', dataIndex: 'townName', width: 90, render: (t: string | null) => t ?? '—' },
    {
      title: '当前环节',
      dataIndex: 'stateLabel',
      width: 150,
      render: (label: string) => <Tag color="processing">{label}</Tag>,
    },
    {
      title: '受理日期',
      dataIndex: 'acceptedOn',
      width: 110,
      render: (d: string) => <span className="tabular">{d}</span>,
    },
    {
      title: '当前环节时限',
      key: 'deadline',
      width: 230,
      sorter: (a, b) =>
        (a.deadline ? STATUS_ORDER[a.deadline.status] : 9) -
          (b.deadline ? STATUS_ORDER[b.deadline.status] : 9) ||
        (a.deadline?.due ?? '9').localeCompare(b.deadline?.due ?? '9'),
      render: (_, c) => <DeadlineTag state={c.state} deadline={c.deadline} />,
    },
    {
      title: '近亲属备案',
      dataIndex: 'closeRelative',
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
      key: 'open',
      width: 64,
      fixed: 'right',
      render: (_, c) => <Link to={`/approval/cases/${c.id}`}>办理</Link>,
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', position: 'relative', zIndex: 0 }}>
      <Card
        title="审核审批"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={reload}>
              刷新
            </Button>
            <NoticePrintButton />
            {can(me, 'registry.write') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setOpening(true)}
                data-testid="open-case"
              >
                受理申请
              </Button>
            )}
          </Space>
        }
      >
        <Flex gap={12} wrap align="center" data-testid="case-filters">
          <Select
            allowClear
            placeholder="全部救助项目"
            style={{ width: 160 }}
            value={program}
            options={CASE_PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
            onChange={(v: string | undefined) => setFilter('program', v)}
            data-testid="filter-program"
          />
          <Select
            allowClear
            placeholder="全部环节"
            style={{ width: 200 }}
            value={state}
            options={states.map((s) => ({ value: s.value, label: s.label }))}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(v: string | undefined) => setFilter('state', v)}
            data-testid="filter-state"
          />
          {!townUser && (
            <Select
              allowClear
              placeholder="全部乡镇"
              style={{ width: 160 }}
              value={townCode}
              options={towns.map((t) => ({ value: t.code, label: t.name, disabled: !t.inScope }))}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={(v: string | undefined) => setFilter('townCode', v)}
            />
          )}
          <Checkbox checked={all} onChange={(e) => setFilter('all', e.target.checked ? 'true' : undefined)}>
            含已办结
          </Checkbox>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            时限：
            <Tag color="red">逾期</Tag>
            <Tag color="orange">今日到期</Tag>
            <Tag color="gold">即将到期</Tag>
            <Tag color="green">正常</Tag>
          </Typography.Text>
        </Flex>
      </Card>
      <Card>
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
        <Table<CaseListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={loading}
          scroll={{ x: 1000 }}
          data-testid="case-list"
          locale={{ emptyText: all ? '没有符合条件的个案' : '没有在办的个案' }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total,
            showSizeChanger: false,
            hideOnSinglePage: true,
            onChange: (p) => {
              const next = new URLSearchParams(params);
              if (p > 1) next.set('page', String(p));
              else next.delete('page');
              setParams(next);
            },
          }}
        />
      </Card>
      {opening && <OpenCaseModal onClose={() => setOpening(false)} />}
    </Space>
  );
}
