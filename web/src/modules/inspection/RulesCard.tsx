import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { useApi } from '../../api/use-api.ts';
import { CATEGORY_COLORS, categoryLabel, paramsText, ruleTypeLabel } from './labels.ts';
import { RuleModal } from './RuleModal.tsx';
import type { Rule } from './types.ts';

/** 核查规则: the county's rules — what each looks for, its category, whether it runs, and its parameters. */
export function RulesCard({ rules }: { rules: ReturnType<typeof useApi<{ items: Rule[] }>> }) {
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Rule | null | undefined>(undefined);
  const items = rules.data?.items ?? [];

  const toggle = async (r: Rule, enabled: boolean) => {
    try {
      await api.put(`/api/v1/campaigns/rules/${encodeURIComponent(r.code)}`, {
        version: r.version,
        enabled,
      });
      message.success(`规则“${r.label}”已${enabled ? '启用' : '停用'}`);
      rules.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };

  const columns: TableColumnsType<Rule> = [
    {
      title: '规则',
      dataIndex: 'label',
      width: 220,
      render: (label: string, r) => (
        <span data-testid={`rule-${r.code}`}>
          {label}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {r.code}
            {r.builtin ? '（默认规则）' : '（本县规则）'}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: '类型',
      dataIndex: 'type',
      width: 180,
      render: (t: string, r) => r.typeLabel ?? ruleTypeLabel(t),
    },
    {
      title: '问题类别',
      dataIndex: 'category',
      width: 90,
      render: (c: string) => <Tag color={CATEGORY_COLORS[c]}>{categoryLabel(c)}</Tag>,
    },
    {
      title: '启用',
      dataIndex: 'enabled',
      width: 70,
      render: (on: boolean, r) => <Switch size="small" checked={on} onChange={(v) => void toggle(r, v)} />,
    },
    {
      title: '参数',
      dataIndex: 'params',
      render: (p: Record<string, unknown>) => <span style={{ fontSize: 13 }}>{paramsText(p ?? {})}</span>,
    },
    {
      title: '操作',
      key: 'edit',
      width: 80,
      render: (_, r) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => setEditing(r)}
          data-testid={`rule-edit-${r.code}`}
        >
          编辑
        </Button>
      ),
    },
  ];

  return (
    <Card
      title="核查规则"
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={rules.reload}>
            刷新
          </Button>
          <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="rule-add">
            新增本县规则
          </Button>
        </Space>
      }
    >
      {rules.error && (
        <Alert type="error" showIcon title={rules.error.message} style={{ marginBottom: 12 }} />
      )}
      <Table<Rule>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={items}
        loading={rules.loading}
        scroll={{ x: 1000 }}
        pagination={false}
        data-testid="rule-list"
        locale={{ emptyText: '没有核查规则' }}
      />
      {editing !== undefined && (
        <RuleModal
          rule={editing}
          existingCodes={items.map((r) => r.code)}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            message.success('规则已保存');
            rules.reload();
          }}
        />
      )}
    </Card>
  );
}
