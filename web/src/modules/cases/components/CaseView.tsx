import { ArrowLeftOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  type DescriptionsProps,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { ErrorResult } from '../../../ui/ErrorResult.tsx';
import { useMe } from '../../auth/AuthProvider.tsx';
import { useCase } from '../hooks/use-case.ts';
import { ApplicationPrintButton } from '../print/ApplicationPrint.tsx';
import { DecisionPrintButton } from '../print/DecisionPrint.tsx';
import type { CaseAction, CaseDetail } from '../types.ts';
import {
  AID_TYPE_LABELS,
  formatYuan,
  isTerminal,
  NOTICE_STATES,
  PROGRAM_COLORS,
  todayInChina,
} from '../utils/labels.ts';
import { ActionModal } from './ActionModal.tsx';
import { CaseFactsCard } from './CaseFactsCard.tsx';
import { CaseHistory } from './CaseHistory.tsx';
import { CaseProgress } from './CaseProgress.tsx';
import { CaseTasks } from './CaseTasks.tsx';
import { DeadlineTag } from './DeadlineTag.tsx';
import { type FactKind, FactModal } from './FactModal.tsx';
import { NextStep } from './NextStep.tsx';

const PAGE_STYLE = { width: '100%', position: 'relative', zIndex: 0 } as const;

function StepLimit({ c, today }: { c: CaseDetail; today: string }) {
  const d = c.deadline;
  if (!d) return <Typography.Text type="secondary">本环节无法定时限</Typography.Text>;
  const endsOn = c.facts.publicNoticeEndsOn;
  const notice = NOTICE_STATES.includes(c.state) && endsOn !== null;
  return (
    <Space orientation="vertical" size={0}>
      {notice ? (
        <Space size={6} wrap>
          <span>
            公示至 <span className="tabular">{endsOn}</span> 届满
          </span>
          {today < endsOn ? <Tag color="blue">公示中</Tag> : <Tag color="green">公示期满</Tag>}
        </Space>
      ) : (
        <Space size={6} wrap>
          <span>
            须在{d.limit}
            {d.unit === 'working_days' ? '个工作日' : '日'}内办理，至 <span className="tabular">{d.due}</span>
          </span>
          <DeadlineTag state={c.state} deadline={d} showDue={false} />
        </Space>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="deadline-source">
        依据：{d.source}
      </Typography.Text>
    </Space>
  );
}

/** The case page for a clerk: where the case stands, what to do next (or why not yet), and its history. */
export function CaseView() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const valid = /^\d+$/.test(id);
  const { data: c, error, reload, household, headName, personName } = useCase(valid ? id : null);
  const [action, setAction] = useState<CaseAction | null>(null);
  const [fact, setFact] = useState<FactKind | null>(null);
  const today = todayInChina();

  if (!valid) return <ErrorResult error={new ApiError(404, { message: `个案编号“${id}”不正确` })} />;
  if (error && (!c || error.status === 403 || error.status === 404))
    return (
      <Card>
        <ErrorResult error={error} onRetry={reload} />
        <div style={{ textAlign: 'center' }}>
          <Button onClick={() => navigate('/approval')}>返回审核审批</Button>
        </div>
      </Card>
    );
  if (!c || c.id !== Number(id)) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const f = c.facts;
  const terminal = isTerminal(c.procedure, c.state);
  const householdName = headName ? `${headName} 户` : `家庭 ${c.householdId}`;
  const userLabel = (uid: number) => (uid === me.id ? `${me.displayName}（本人）` : `用户编号 ${uid}`);

  const info: DescriptionsProps['items'] = [
    {
      key: 'household',
      label: '申请家庭',
      children: (
        <Link to={`/registry/households/${c.householdId}`} data-testid="household-link">
          {householdName}
        </Link>
      ),
    },
    ...(c.personId
      ? [{ key: 'person', label: '救助对象', children: personName ?? `人员 ${c.personId}` }]
      : []),
    { key: 'town', label: '乡镇', children: household?.townName ?? c.townCode },
    { key: 'accepted', label: '受理日期', children: <span className="tabular">{c.acceptedOn}</span> },
    { key: 'procedure', label: '办理程序', children: c.procedureLabel, span: 2 },
    {
      key: 'state',
      label: '当前环节',
      children: (
        <Space size={4} wrap>
          <Tag color={terminal ? 'default' : 'processing'} data-testid="case-state">
            {c.stateLabel}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            自 {c.stateEnteredOn} 起
          </Typography.Text>
        </Space>
      ),
    },
    ...(terminal
      ? []
      : [{ key: 'limit', label: '本环节时限', children: <StepLimit c={c} today={today} />, span: 2 }]),
    ...(c.programCode === 'temporary_aid'
      ? [
          {
            key: 'aid',
            label: '救助类型与金额',
            children: `${f.aidType ? AID_TYPE_LABELS[f.aidType] : '—'}，${
              typeof f.amountFen === 'number' ? `${formatYuan(f.amountFen)} 元` : '金额未登记'
            }`,
          },
        ]
      : []),
    ...(c.decidedOn
      ? [{ key: 'decided', label: '决定日期', children: <span className="tabular">{c.decidedOn}</span> }]
      : []),
  ];

  return (
    <Space orientation="vertical" size={16} style={PAGE_STYLE} data-testid="case-page">
      {error && <Alert type="error" showIcon title={`刷新失败：${error.message}`} />}
      <Card
        title={
          <Space wrap size={[8, 4]}>
            <Tag color={PROGRAM_COLORS[c.programCode]} style={{ marginInlineEnd: 0 }}>
              {c.programName}
            </Tag>
            <span data-testid="case-title">{householdName}</span>
            <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal' }}>
              个案 {c.id}
            </Typography.Text>
            {f.closeRelative && (
              <Tag color="warning" icon={<WarningOutlined />}>
                近亲属备案
              </Tag>
            )}
          </Space>
        }
        extra={
          <Space>
            <ApplicationPrintButton c={c} household={household} />
            <DecisionPrintButton c={c} household={household} />
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
              刷新
            </Button>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/approval')}>
              返回列表
            </Button>
          </Space>
        }
      >
        {f.closeRelative && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="close-relative-alert"
            title="近亲属备案家庭：本户有成员是经办人员或村（居）委会干部的近亲属"
            description="须由县级民政部门审核确认，作出决定前须登记县级入户核查；相关人员应当回避，不得参与调查、审核。"
          />
        )}
        <div style={{ marginBottom: 16, overflowX: 'auto' }}>
          <CaseProgress c={c} />
        </div>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={info} data-testid="case-info" />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <NextStep c={c} me={me} onAction={setAction} onFact={setFact} />
            <CaseFactsCard c={c} me={me} today={today} onFact={setFact} onVerified={reload} />
            <CaseTasks tasks={c.tasks} today={today} />
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <CaseHistory events={c.events} userLabel={userLabel} />
        </Col>
      </Row>

      {action && <ActionModal c={c} action={action} onClose={() => setAction(null)} onDone={reload} />}
      {fact && <FactModal c={c} kind={fact} onClose={() => setFact(null)} onDone={reload} />}
    </Space>
  );
}
