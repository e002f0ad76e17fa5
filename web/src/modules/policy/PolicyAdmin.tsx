import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useCountyAreas } from '../admin/areas.ts';
import { chinaDateTime } from '../admin/format.ts';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { kindOf, type PolicyVersion, PROGRAMS, periodText, programName, summarize } from './format.ts';
import { PolicyDetail } from './PolicyDetail.tsx';
import { VersionFormModal } from './VersionFormModal.tsx';

export const USED_NOTE = '已用于发放，只能录入新版本';

function currentMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function StatusTags({ v }: { v: PolicyVersion }) {
  const now = currentMonth();
  const inForce = v.effectiveFrom <= now && (v.effectiveTo === null || v.effectiveTo >= now);
  return (
    <Space size={[0, 4]} wrap>
      {inForce && <Tag color="blue">现行</Tag>}
      {v.effectiveFrom > now && <Tag color="gold">待生效</Tag>}
      {v.usedInPayment ? <Tag color="green">已用于发放</Tag> : <Tag>未用于发放</Tag>}
    </Space>
  );
}

/** 系统管理 › 政策参数: each program's versions by 执行期 and 文号, readable, and a new version when a document changes them. */
export function PolicyAdmin() {
  const me = useMe();
  const manage = can(me, 'policy.manage');
  const [params, setParams] = useSearchParams();
  const programCode = params.get('program') ?? 'rural_dibao';
  const townCode = params.get('town') ?? null;
  const kind = kindOf(programCode) ?? 'dibao';
  const areas = useCountyAreas();
  const townName = townCode ? areas.nameOf(townCode) : '全县';

  const county = useApi<PolicyVersion[]>(
    `/api/v1/policy/versions${query({ programCode, townCode: 'county' })}`,
  );
  const town = useApi<PolicyVersion[]>(
    townCode ? `/api/v1/policy/versions${query({ programCode, townCode })}` : null,
  );
  const list = townCode ? town : county;
  const versions = useMemo(
    () => [...(list.data ?? [])].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom)),
    [list.data],
  );

  const [viewing, setViewing] = useState<PolicyVersion | null>(null);
  const [form, setForm] = useState<{ mode: 'create' | 'edit'; base: PolicyVersion | null } | null>(null);

  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const reload = () => {
    county.reload();
    town.reload();
  };

  if (list.error) return <ErrorResult error={list.error} onRetry={list.reload} />;

  // A new version is prefilled from the latest of this timeline, or, for a town's first one, the county's.
  const latest =
    versions[0] ??
    [...(county.data ?? [])].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0] ??
    null;

  const columns: TableColumnsType<PolicyVersion> = [
    {
      title: '执行期',
      key: 'period',
      width: 200,
      render: (_, v) => (
        <Space orientation="vertical" size={2}>
          <span data-testid="policy-period">{periodText(v.effectiveFrom, v.effectiveTo)}</span>
          <StatusTags v={v} />
        </Space>
      ),
    },
    {
      title: '文号 / 文件标题',
      key: 'doc',
      width: 280,
      render: (_, v) => (
        <Space orientation="vertical" size={2}>
          <Typography.Text strong>{v.docNo}</Typography.Text>
          {v.docTitle && <Typography.Text type="secondary">{v.docTitle}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: '主要参数',
      key: 'summary',
      render: (_, v) => (
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {summarize(v.kind, v.body).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 130,
      render: (_, v) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setViewing(v)}>
            查看
          </Button>
          {manage &&
            (v.usedInPayment ? (
              <Tooltip title={USED_NOTE}>
                <Button type="link" size="small" disabled>
                  修改
                </Button>
              </Tooltip>
            ) : (
              <Button type="link" size="small" onClick={() => setForm({ mode: 'edit', base: v })}>
                修改
              </Button>
            ))}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title="政策参数"
      extra={
        manage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setForm({ mode: 'create', base: latest })}
            data-testid="policy-new"
          >
            录入新版本
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <span>救助项目</span>
        <Select
          aria-label="救助项目"
          value={programCode}
          style={{ width: 200 }}
          onChange={(v) => set({ program: v })}
          options={PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
          data-testid="policy-program"
        />
        <span>适用范围</span>
        <Select
          aria-label="适用范围"
          value={townCode ?? 'county'}
          style={{ width: 220 }}
          onChange={(v) => set({ town: v === 'county' ? null : v })}
          loading={areas.loading}
          options={[
            { value: 'county', label: '全县（县级参数）' },
            ...areas.towns.map((t) => ({ value: t.code, label: `${t.name}（乡镇单独参数）` })),
          ]}
        />
      </Space>
      <Typography.Paragraph type="secondary">
        政策参数按文件分版本管理：每个版本有执行期和文号，新版本生效时上一版本自动截止到前一个月。乡镇单独设置的参数优先于全县参数。
        已用于发放的版本不能修改，调整时录入新版本。
      </Typography.Paragraph>
      <Table<PolicyVersion>
        rowKey="id"
        size="middle"
        loading={list.loading}
        columns={columns}
        dataSource={versions}
        pagination={false}
        data-testid="policy-table"
        locale={{
          emptyText: townCode
            ? `${townName}没有单独设置${programName(programCode)}参数，执行全县参数。`
            : `尚未录入${programName(programCode)}参数。`,
        }}
      />

      <Drawer
        open={viewing !== null}
        onClose={() => setViewing(null)}
        size={720}
        title={viewing ? `${programName(viewing.programCode)} · ${viewing.docNo}` : ''}
        destroyOnHidden
        extra={
          viewing &&
          manage &&
          !viewing.usedInPayment && (
            <Button
              onClick={() => {
                setForm({ mode: 'edit', base: viewing });
                setViewing(null);
              }}
            >
              修改
            </Button>
          )
        }
      >
        {viewing && (
          <div data-testid="policy-drawer">
            {viewing.usedInPayment && (
              <Alert type="info" showIcon title={USED_NOTE} style={{ marginBottom: 12 }} />
            )}
            <Descriptions
              size="small"
              column={1}
              bordered
              style={{ marginBottom: 16 }}
              items={[
                { key: 'kind', label: '参数类型', children: viewing.kindLabel },
                {
                  key: 'area',
                  label: '适用范围',
                  children: viewing.townCode ? areas.nameOf(viewing.townCode) : '全县',
                },
                {
                  key: 'period',
                  label: '执行期',
                  children: periodText(viewing.effectiveFrom, viewing.effectiveTo),
                },
                { key: 'doc', label: '文号', children: viewing.docNo },
                { key: 'title', label: '文件标题', children: viewing.docTitle ?? '—' },
                { key: 'status', label: '状态', children: <StatusTags v={viewing} /> },
                {
                  key: 'by',
                  label: '录入',
                  children: `${viewing.createdBy}，${chinaDateTime(viewing.createdAt)}`,
                },
              ]}
            />
            <Tabs
              items={[
                {
                  key: 'readable',
                  label: '参数说明',
                  children: <PolicyDetail kind={viewing.kind} body={viewing.body} />,
                },
                {
                  key: 'json',
                  label: '原始 JSON',
                  children: (
                    <pre
                      style={{ fontSize: 12, background: '#fafafa', padding: 12, overflow: 'auto' }}
                      data-testid="policy-json"
                    >
                      {JSON.stringify(viewing.body, null, 2)}
                    </pre>
                  ),
                },
              ]}
            />
          </div>
        )}
      </Drawer>

      <VersionFormModal
        open={form !== null}
        mode={form?.mode ?? 'create'}
        programCode={programCode}
        kind={kind}
        townCode={townCode}
        townName={townName}
        base={form?.base ?? null}
        onClose={() => setForm(null)}
        onSaved={() => {
          setForm(null);
          reload();
        }}
      />
    </Card>
  );
}
