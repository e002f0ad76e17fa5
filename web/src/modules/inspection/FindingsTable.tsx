import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { Money } from '../../ui/Money.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { useAreaNames } from '../registry/hooks/use-areas.ts';
import { EvidenceView } from './EvidenceView.tsx';
import {
  CATEGORIES,
  CATEGORY_COLORS,
  categoryLabel,
  OUTCOMES,
  programName,
  ruleTypeLabel,
} from './labels.ts';
import { OutcomeModal } from './OutcomeModal.tsx';
import type { Finding } from './types.ts';

const PAGE_SIZE = 20;

/**
 * The findings of a campaign (or the user's own open ones): filters by rule, category, town and outcome;
 * the evidence in an expandable row; 登记复核结果 for the town that reviews it.
 */
export function FindingsTable({
  baseUrl,
  rules,
  towns,
  mine = false,
  onChanged,
}: {
  baseUrl: string;
  rules?: { code: string; label: string }[];
  towns?: { code: string; name: string }[];
  mine?: boolean;
  onChanged?: () => void;
}) {
  const me = useMe();
  const [page, setPage] = useState(1);
  const [ruleCode, setRuleCode] = useState<string | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [townCode, setTownCode] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>(mine ? 'open' : undefined);
  const [recording, setRecording] = useState<Finding | null>(null);
  const sep = baseUrl.includes('?') ? '&' : '?';
  const { data, error, loading, reload } = useApi<{ items: Finding[]; total?: number }>(
    `${baseUrl}${sep}${query({ page, pageSize: PAGE_SIZE, ruleCode, category, townCode, outcome }).slice(1)}`,
  );
  const items = data?.items ?? [];
  const names = useAreaNames(useMemo(() => items.map((f) => f.townCode), [items]));
  const canResolve = can(me, 'campaign.resolve') && me.areaCode.length === 9;
  const filter = (set: (v: string | undefined) => void) => (v: string | undefined) => {
    set(v);
    setPage(1);
  };

  const columns: TableColumnsType<Finding> = [
    {
      title: '乡镇',
      dataIndex: 'townCode',
      width: 100,
      render: (c: string, f) => f.townName ?? names.get(c) ?? c,
    },
    {
      title: '家庭 / 人员',
      key: 'who',
      width: 200,
      render: (_, f) => (
        <span>
          <Link to={`/registry/households/${f.householdId}`}>{f.headName ?? `家庭 ${f.householdId}`}</Link>
          {(f.personName || f.personIdNumber) && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} className="tabular">
              {f.personName ?? ''} {f.personIdNumber ?? ''}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { title: '项目', dataIndex: 'programCode', width: 110, render: (p: string | null) => programName(p) },
    {
      title: '规则',
      dataIndex: 'ruleCode',
      width: 170,
      render: (c: string, f) => f.ruleLabel ?? ruleTypeLabel(f.ruleType) ?? c,
    },
    {
      title: '类别',
      dataIndex: 'category',
      width: 80,
      render: (c: string) => <Tag color={CATEGORY_COLORS[c]}>{categoryLabel(c)}</Tag>,
    },
    {
      title: '问题',
      dataIndex: 'summary',
      render: (s: string) => <span data-testid="finding-summary">{s}</span>,
    },
    {
      title: '复核结果',
      dataIndex: 'outcome',
      width: 150,
      render: (o: string | null, f) =>
        o ? (
          <span data-testid={`finding-outcome-${f.id}`}>
            <Tag color={OUTCOMES[o]?.color}>{OUTCOMES[o]?.label ?? o}</Tag>
            {f.recoveryFen ? <Money fen={f.recoveryFen} /> : null}
            {f.caseId && (
              <Link to={`/approval/cases/${f.caseId}`} style={{ display: 'block', fontSize: 12 }}>
                变更个案 {f.caseId}
              </Link>
            )}
          </span>
        ) : (
          <Tag color="warning" data-testid={`finding-outcome-${f.id}`}>
            待复核
          </Tag>
        ),
    },
    ...(canResolve
      ? [
          {
            title: '操作',
            key: 'act',
            width: 120,
            fixed: 'right' as const,
            render: (_: unknown, f: Finding) =>
              f.outcome === null && f.townCode === me.areaCode ? (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setRecording(f)}
                  data-testid={`finding-resolve-${f.id}`}
                >
                  登记复核结果
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        {rules && rules.length > 0 && (
          <Select
            allowClear
            placeholder="全部规则"
            style={{ width: 220 }}
            value={ruleCode}
            onChange={filter(setRuleCode)}
            options={rules.map((r) => ({ value: r.code, label: r.label }))}
            data-testid="filter-rule"
          />
        )}
        <Select
          allowClear
          placeholder="全部类别"
          style={{ width: 130 }}
          value={category}
          onChange={filter(setCategory)}
          options={Object.entries(CATEGORIES).map(([value, label]) => ({ value, label }))}
          data-testid="filter-category"
        />
        {towns && towns.length > 1 && (
          <Select
            allowClear
            placeholder="全部乡镇"
            style={{ width: 150 }}
            value={townCode}
            onChange={filter(setTownCode)}
            options={towns.map((t) => ({ value: t.code, label: t.name }))}
            data-testid="filter-town"
          />
        )}
        <Select
          allowClear
          placeholder="全部复核结果"
          style={{ width: 150 }}
          value={outcome}
          onChange={filter(setOutcome)}
          options={[
            { value: 'open', label: '待复核' },
            ...Object.entries(OUTCOMES).map(([value, o]) => ({ value, label: o.label })),
          ]}
          data-testid="filter-outcome"
        />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          刷新
        </Button>
      </Flex>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      <Table<Finding>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        scroll={{ x: 1200 }}
        expandable={{ expandedRowRender: (f) => <EvidenceView evidence={f.evidence} /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? items.length,
          hideOnSinglePage: true,
          showSizeChanger: false,
          onChange: setPage,
        }}
        data-testid="finding-list"
        locale={{ emptyText: mine ? '没有待复核的核查问题' : '没有符合条件的问题线索' }}
      />
      {recording && (
        <OutcomeModal
          finding={recording}
          onClose={() => setRecording(null)}
          onSaved={() => {
            reload();
            onChanged?.();
          }}
        />
      )}
    </div>
  );
}
