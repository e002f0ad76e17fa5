import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/use-api.ts';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { FindingsTable } from './FindingsTable.tsx';
import { CAMPAIGN_STATUS, campaignPercent, formatTime } from './labels.ts';
import { NewCampaignModal } from './NewCampaignModal.tsx';
import { RulesCard } from './RulesCard.tsx';
import type { Campaign, Rule } from './types.ts';

function scopeText(c: Campaign): string {
  return c.townCodes.length === 0 ? '全县' : `${c.townCodes.length} 个乡镇`;
}

/**
 * 核查: towns see the findings assigned to them for review; the county (and the auditor) keep the rules,
 * run campaigns and read their results.
 */
export function InspectionHome() {
  const me = useMe();
  const manage = can(me, 'campaign.manage');
  const townUser = me.areaCode.length === 9;
  const campaigns = useApi<{ items: Campaign[] }>(can(me, 'campaign.read') ? '/api/v1/campaigns' : null);
  const rules = useApi<{ items: Rule[] }>(manage ? '/api/v1/campaigns/rules' : null);
  const [creating, setCreating] = useState(false);
  const list = campaigns.data?.items ?? [];
  const running = list.some((c) => c.status === 'running');

  // A campaign still running: ask again every 2 seconds.
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(campaigns.reload, 2000);
    return () => clearTimeout(t);
  }, [running, campaigns.reload]);

  const columns: TableColumnsType<Campaign> = [
    {
      title: '核查名称',
      dataIndex: 'title',
      render: (t: string, c) => (
        <Link to={`/inspection/campaigns/${c.id}`} data-testid="campaign-link">
          {t}
        </Link>
      ),
    },
    { title: '范围', key: 'scope', width: 100, render: (_, c) => scopeText(c) },
    { title: '基准日', dataIndex: 'asOf', width: 110 },
    {
      title: '状态',
      dataIndex: 'status',
      width: 200,
      render: (s: string, c) =>
        s === 'running' ? (
          <Progress percent={campaignPercent(c)} size="small" status="active" />
        ) : (
          <Tag color={CAMPAIGN_STATUS[s]?.color}>{CAMPAIGN_STATUS[s]?.label ?? s}</Tag>
        ),
    },
    {
      title: '问题线索',
      dataIndex: 'findingCount',
      width: 90,
      align: 'right',
      render: (n: number) => <span className="tabular">{n}</span>,
    },
    { title: '发起人', dataIndex: 'createdBy', width: 110 },
    {
      title: '发起时间',
      dataIndex: 'createdAt',
      width: 150,
      render: (t: string) => <span className="tabular">{formatTime(t)}</span>,
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', position: 'relative', zIndex: 0 }}>
      {townUser && can(me, 'campaign.resolve') && (
        <Card title={`待复核的核查问题（${me.areaName ?? '本乡镇'}）`} data-testid="my-findings">
          <Typography.Paragraph type="secondary">
            县级核查发现的问题线索分派到所在乡镇。请入户复核后登记结果：维持、退出或追回；退出和追回将转入变更个案，由县级审核确认。
          </Typography.Paragraph>
          <FindingsTable baseUrl="/api/v1/findings?mine=true" mine onChanged={campaigns.reload} />
        </Card>
      )}
      <Card
        title="核查活动"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={campaigns.reload}>
              刷新
            </Button>
            {manage && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                disabled={!rules.data}
                data-testid="campaign-new"
              >
                新建核查
              </Button>
            )}
          </Space>
        }
      >
        {campaigns.error && (
          <Alert type="error" showIcon title={campaigns.error.message} style={{ marginBottom: 12 }} />
        )}
        <Table<Campaign>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list}
          loading={campaigns.loading && !campaigns.data}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          data-testid="campaign-list"
          locale={{ emptyText: manage ? '还没有核查活动：点击“新建核查”' : '还没有核查活动' }}
        />
      </Card>
      {manage && <RulesCard rules={rules} />}
      {creating && (
        <NewCampaignModal
          rules={rules.data?.items ?? []}
          onClose={() => {
            setCreating(false);
            campaigns.reload();
          }}
        />
      )}
    </Space>
  );
}
