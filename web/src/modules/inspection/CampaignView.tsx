import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Progress,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useEffect, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { Money } from '../../ui/Money.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { useAreaNames, useAreas } from '../registry/hooks/use-areas.ts';
import { FindingsTable } from './FindingsTable.tsx';
import { CAMPAIGN_STATUS, campaignPercent, formatTime, programName, ruleTypeLabel } from './labels.ts';
import type { Campaign, CampaignSummary, SummaryRow } from './types.ts';

type Row = SummaryRow & { key: string; total?: boolean };

/** One campaign: where it stands, the summary by town × program with the narrative, and the findings. */
export function CampaignView() {
  const { id = '' } = useParams();
  const valid = /^\d+$/.test(id);
  const navigate = useNavigate();
  const { data: c, error, reload } = useApi<Campaign>(valid ? `/api/v1/campaigns/${id}` : null);
  const done = c?.status === 'done';
  const summary = useApi<CampaignSummary>(done ? `/api/v1/campaigns/${id}/summary` : null);
  const { areas } = useAreas(null);
  const names = useAreaNames(useMemo(() => c?.townCodes ?? [], [c]));
  const me = useMe();
  const rulesRun = useApi<{ items: { code: string; label: string }[] }>(
    done && can(me, 'campaign.read') ? '/api/v1/campaigns/rules' : null,
  );

  useEffect(() => {
    if (c?.status !== 'running' && c?.status !== 'draft') return;
    const t = setTimeout(reload, 1000);
    return () => clearTimeout(t);
  }, [c, reload]);

  if (!valid) return <ErrorResult error={new ApiError(404, { message: `核查编号“${id}”不正确` })} />;
  if (error && !c) return <ErrorResult error={error} onRetry={reload} />;
  if (!c) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const s = summary.data;
  const rows: Row[] = s
    ? [
        ...s.rows.map((r) => ({ ...r, key: `${r.townCode}|${r.programCode}` })),
        {
          ...s.total,
          key: 'total',
          total: true,
          townCode: '',
          townName: '合计',
          programCode: '',
          programLabel: '',
        },
      ]
    : [];
  const columns: TableColumnsType<Row> = [
    {
      title: '乡镇',
      dataIndex: 'townName',
      width: 110,
      render: (n: string, r) => (r.total ? <strong>合计</strong> : n || names.get(r.townCode) || r.townCode),
    },
    {
      title: '救助项目',
      dataIndex: 'programLabel',
      width: 120,
      render: (l: string, r) => (r.total ? '' : l || programName(r.programCode)),
    },
    {
      title: '核查对象',
      children: [
        { title: '户', dataIndex: 'households', width: 70, align: 'right' },
        { title: '人', dataIndex: 'persons', width: 70, align: 'right' },
      ],
    },
    {
      title: '问题线索',
      dataIndex: 'findings',
      width: 90,
      align: 'right',
      render: (n: number, r) => <span data-testid={r.total ? 'summary-findings-total' : undefined}>{n}</span>,
    },
    { title: '已复核', dataIndex: 'reviewed', width: 80, align: 'right' },
    { title: '维持', dataIndex: 'kept', width: 70, align: 'right' },
    {
      title: '退出',
      children: [
        { title: '户', dataIndex: 'exitedHouseholds', width: 70, align: 'right' },
        { title: '人', dataIndex: 'exitedPersons', width: 70, align: 'right' },
      ],
    },
    {
      title: '追回金额',
      dataIndex: 'recoveryFen',
      width: 130,
      align: 'right',
      render: (f: number) => <Money fen={f} />,
    },
  ];

  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%', position: 'relative', zIndex: 0 }}
      data-testid="campaign-page"
    >
      <Card
        title={<span data-testid="campaign-title">{c.title}</span>}
        extra={
          <Space>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/inspection')}>
              返回核查
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                reload();
                summary.reload();
              }}
            >
              刷新
            </Button>
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            {
              key: 'status',
              label: '状态',
              children: (
                <Tag color={CAMPAIGN_STATUS[c.status]?.color} data-testid="campaign-status">
                  {CAMPAIGN_STATUS[c.status]?.label ?? c.status}
                </Tag>
              ),
            },
            { key: 'asOf', label: '核查基准日', children: c.asOf },
            {
              key: 'scope',
              label: '范围',
              children:
                c.townCodes.length === 0 ? '全县' : c.townCodes.map((t) => names.get(t) ?? t).join('、'),
            },
            { key: 'programs', label: '救助项目', children: c.programCodes.map(programName).join('、') },
            { key: 'rules', label: '规则', children: `${c.progress.rulesTotal || c.ruleCodes.length} 条` },
            {
              key: 'findings',
              label: '问题线索',
              children: <span data-testid="campaign-findings">{c.findingCount}</span>,
            },
            { key: 'by', label: '发起人', children: c.createdBy },
            { key: 'at', label: '完成时间', children: formatTime(c.finishedAt) },
          ]}
        />
        {(c.status === 'running' || c.status === 'draft') && (
          <Progress percent={campaignPercent(c)} status="active" style={{ marginTop: 12 }} />
        )}
        {c.error && <Alert type="error" showIcon title={c.error} style={{ marginTop: 12 }} />}
      </Card>

      {done && (
        <Card title="核查情况汇总" data-testid="campaign-summary">
          {summary.error && <Alert type="error" showIcon title={summary.error.message} />}
          {s && s.lines.length > 0 && (
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              data-testid="campaign-narrative"
              title={
                <div>
                  {s.lines.map((l) => (
                    <p key={l} style={{ margin: '2px 0' }}>
                      {l}
                    </p>
                  ))}
                </div>
              }
            />
          )}
          <Table<Row>
            size="small"
            bordered
            rowKey="key"
            columns={columns}
            dataSource={rows}
            loading={summary.loading}
            pagination={false}
            scroll={{ x: 1000 }}
            rowClassName={(r) => (r.total ? 'summary-total-row' : '')}
            data-testid="campaign-summary-table"
            locale={{ emptyText: '核查范围内没有在保对象' }}
          />
        </Card>
      )}

      {done && (
        <Card title="问题线索">
          <FindingsTable
            baseUrl={`/api/v1/campaigns/${c.id}/findings`}
            rules={c.ruleCodes.map((code) => ({
              code,
              label: rulesRun.data?.items.find((r) => r.code === code)?.label ?? ruleTypeLabel(code),
            }))}
            towns={areas.map((a) => ({ code: a.code, name: a.name }))}
            onChanged={summary.reload}
          />
        </Card>
      )}
    </Space>
  );
}
