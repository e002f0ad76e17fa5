import { WarningOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, type DescriptionsProps, Space, Tag, Typography } from 'antd';
import { SELF_CARE_LABELS } from '../../../../../src/domain/workflow/tekun-2021.ts';
import type { Me } from '../../auth/access.ts';
import { VerificationCard } from '../../verification/VerificationCard.tsx';
import type { CaseDetail } from '../types.ts';
import { AID_TYPE_LABELS, formatYuan, isTekun, isTerminal, NOTICE_STATES } from '../utils/labels.ts';
import { FACT_TITLES, type FactKind } from './FactModal.tsx';

interface Props {
  c: CaseDetail;
  me: Me;
  today: string;
  onFact(kind: FactKind): void;
  /** After 发起核对 succeeds: the case view reloads (the report may change what is next). */
  onVerified?: () => void;
}

const COUNTY_ROLES = ['county_approver', 'county_admin'];

/**
 * What has been recorded on the case (team, notice, objection, county visit, complaint; for 特困 the
 * self-care band) and buttons to record more.
 */
export function CaseFactsCard({ c, me, today, onFact, onVerified }: Props) {
  const f = c.facts;
  const open = !isTerminal(c.procedure, c.state);
  const team = [...new Set(f.investigatorUserIds)];
  const needsVisit = (f.closeRelative || f.complaintOnFile === true) && !f.countyHomeVisitRecorded;
  const inNotice = NOTICE_STATES.includes(c.state);

  const items: DescriptionsProps['items'] = [
    {
      key: 'team',
      label: '调查组',
      children:
        team.length === 0 ? (
          <Typography.Text type="warning">未登记</Typography.Text>
        ) : (
          <Space size={4} wrap data-testid="investigators">
            {team.map((id) => (
              <Tag key={id}>{id === me.id ? `${me.displayName}（本人）` : `用户编号 ${id}`}</Tag>
            ))}
            {team.length < 2 && <Typography.Text type="warning">至少须2人</Typography.Text>}
          </Space>
        ),
    },
    {
      key: 'notice',
      label: '公示',
      children: f.publicNoticeEndsOn ? (
        <span data-testid="notice-ends">
          至 <span className="tabular">{f.publicNoticeEndsOn}</span> 届满{' '}
          {today < f.publicNoticeEndsOn ? <Tag color="blue">公示中</Tag> : <Tag color="green">已期满</Tag>}
        </span>
      ) : (
        '未公示'
      ),
    },
    {
      key: 'objection',
      label: '公示异议',
      children: f.objectionOpen ? (
        <Tag color="red" data-testid="objection-open">
          有尚未处理的异议
        </Tag>
      ) : (
        '无未处理的异议'
      ),
    },
    {
      key: 'visit',
      label: '县级入户核查',
      children: f.countyHomeVisitRecorded ? (
        <Tag color="green">已核查</Tag>
      ) : needsVisit ? (
        <Tag color="warning" icon={<WarningOutlined />}>
          须县级入户核查
        </Tag>
      ) : (
        '未登记'
      ),
    },
    {
      // The slot the household economic verification platform fills (核对报告, DOMAIN §3.4).
      key: 'verification-report',
      label: '核对报告',
      children: (
        <VerificationCard
          caseId={c.id}
          householdId={c.householdId}
          programCode={c.programCode}
          me={me}
          open={open}
          onVerified={onVerified}
        />
      ),
    },
    {
      key: 'complaint',
      label: '举报',
      children: f.complaintOnFile ? <Tag color="orange">有举报在案</Tag> : '无',
    },
  ];
  if (isTekun(c.programCode) && c.criteria) {
    const w = c.criteria.noWorkAbility;
    items.push({
      key: 'work-ability',
      label: '无劳动能力',
      children: (
        <span data-testid="work-ability" title={w.source}>
          <Tag color={w.met ? 'green' : 'orange'}>{w.met ? '符合' : '不符合'}</Tag>
          {w.reason}
        </span>
      ),
    });
  }
  if (isTekun(c.programCode)) {
    const line = (key: string, label: string, r?: { met: boolean; reason: string; source: string }) =>
      items.push({
        key,
        label,
        children: r ? (
          <span data-testid={key} title={r.source}>
            <Tag color={r.met ? 'green' : 'orange'}>{r.met ? '符合' : '不符合'}</Tag>
            {r.reason}
          </span>
        ) : (
          <Typography.Text type="warning" data-testid={key}>
            未核查
          </Typography.Text>
        ),
      });
    line('no-livelihood', '无生活来源', c.criteria?.noLivelihood);
    line('no-supporter', '无履行能力的义务人', c.criteria?.noSupporter);
  }
  if (isTekun(c.programCode)) {
    items.push({
      key: 'self-care',
      label: '生活自理能力',
      children: f.selfCareLevel ? (
        <span data-testid="self-care-level">{SELF_CARE_LABELS[f.selfCareLevel]}</span>
      ) : (
        <Typography.Text type="warning" data-testid="self-care-level">
          未评估
        </Typography.Text>
      ),
    });
  }
  if (c.programCode === 'temporary_aid') {
    items.push(
      { key: 'aid-type', label: '救助类型', children: f.aidType ? AID_TYPE_LABELS[f.aidType] : '—' },
      {
        key: 'amount',
        label: '救助金额',
        children:
          typeof f.amountFen === 'number' ? (
            <span className="tabular">{formatYuan(f.amountFen)} 元</span>
          ) : (
            <Typography.Text type="warning">未登记</Typography.Text>
          ),
      },
    );
  }

  const buttons: { kind: FactKind; show: boolean }[] = [
    { kind: 'investigation', show: open },
    { kind: 'objection', show: open && inNotice },
    { kind: 'county_home_visit', show: open && COUNTY_ROLES.includes(me.role) },
    { kind: 'complaint', show: open },
    { kind: 'self_care', show: open && isTekun(c.programCode) },
    { kind: 'tekun_criteria', show: open && isTekun(c.programCode) },
  ];

  return (
    <Card title="登记事项" data-testid="facts-panel">
      <Descriptions size="small" column={1} items={items} />
      {buttons.some((b) => b.show) && (
        <Space wrap style={{ marginTop: 12 }}>
          {buttons
            .filter((b) => b.show)
            .map((b) => (
              <Button key={b.kind} onClick={() => onFact(b.kind)} data-testid={`fact-${b.kind}`}>
                {FACT_TITLES[b.kind]}
              </Button>
            ))}
        </Space>
      )}
    </Card>
  );
}
