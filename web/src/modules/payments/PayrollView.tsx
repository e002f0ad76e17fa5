import { ArrowLeftOutlined, AuditOutlined, LockOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  type DescriptionsProps,
  Popconfirm,
  Progress,
  Space,
  Spin,
  Steps,
  Tag,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { Money } from '../../ui/Money.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { useAreaNames } from '../registry/hooks/use-areas.ts';
import { BankFilesCard } from './BankFilesCard.tsx';
import { FailedLines } from './FailedLines.tsx';
import {
  formatPayMonth,
  formatTime,
  PAYROLL_STATUS,
  PROGRAM_COLORS,
  programName,
  progressPercent,
  WARNING_HINTS,
  warningText,
} from './labels.ts';
import { PayrollLines } from './PayrollLines.tsx';
import { PayrollTotals } from './PayrollTotals.tsx';
import type { BankBatch, PayrollDetail } from './types.ts';

const STEP_OF = { generating: 0, generated: 1, reviewed: 2, approved: 3 } as const;

function who(name: string | null | undefined, at: string | null | undefined): string {
  if (!name && !at) return '—';
  return `${name ?? '—'}（${formatTime(at)}）`;
}

/** One payroll: where it stands, the totals by town and component, warnings, lines and bank files. */
export function PayrollView() {
  const { id = '' } = useParams();
  const valid = /^\d+$/.test(id);
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { data: p, error, reload } = useApi<PayrollDetail>(valid ? `/api/v1/payrolls/${id}` : null);
  const countyUser = me.areaCode.length < 9;
  const approved = p?.status === 'approved';
  const batches = useApi<{ items: BankBatch[] }>(
    approved && countyUser ? `/api/v1/bank-batches${query({ payrollId: p.id })}` : null,
  );
  const [acting, setActing] = useState<'review' | 'approve' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [linesKey, setLinesKey] = useState(0);
  const townCodes = useMemo(() => (p?.byTown ?? []).map((t) => t.townCode), [p]);
  const names = useAreaNames(townCodes);

  // While the server is still generating, ask again every second.
  useEffect(() => {
    if (p?.status !== 'generating') return;
    const t = setTimeout(reload, 1000);
    return () => clearTimeout(t);
  }, [p, reload]);

  if (!valid) return <ErrorResult error={new ApiError(404, { message: `名册编号“${id}”不正确` })} />;
  if (error && !p) return <ErrorResult error={error} onRetry={reload} />;
  if (!p) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const act = async (kind: 'review' | 'approve') => {
    setActing(kind);
    setActionError(null);
    try {
      await api.post(`/api/v1/payrolls/${p.id}/${kind}`);
      message.success(kind === 'review' ? '名册已审核，请由另一人审批' : '名册已审批并锁定，已记入发放台账');
      reload();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setActing(null);
    }
  };

  const status = PAYROLL_STATUS[p.status];
  const program = programName(p.programCode, p.programLabel);
  const title = `${program} ${formatPayMonth(p.payMonth)} 发放名册`;
  const info: DescriptionsProps['items'] = [
    {
      key: 'status',
      label: '状态',
      children: (
        <Tag color={status?.color} data-testid="payroll-state">
          {status?.label ?? p.status}
        </Tag>
      ),
    },
    {
      key: 'households',
      label: '户数',
      children: (
        <span data-testid="payroll-households">{p.householdCount?.toLocaleString('zh-CN') ?? '—'}</span>
      ),
    },
    {
      key: 'persons',
      label: '人数',
      children: <span data-testid="payroll-persons">{p.personCount?.toLocaleString('zh-CN') ?? '—'}</span>,
    },
    { key: 'lines', label: '发放明细', children: `${p.lineCount.toLocaleString('zh-CN')} 行` },
    {
      key: 'total',
      label: p.townCode ? '本乡镇金额合计' : '金额合计',
      children: (
        <span data-testid="payroll-total">
          <Money fen={p.totalFen} />
        </span>
      ),
    },
    { key: 'generated', label: '生成', children: who(p.generatedBy, p.generatedAt) },
    {
      key: 'reviewed',
      label: '审核',
      children: <span data-testid="payroll-reviewed">{who(p.reviewedBy, p.reviewedAt)}</span>,
    },
    {
      key: 'approved',
      label: '审批',
      children: <span data-testid="payroll-approved">{who(p.approvedBy, p.approvedAt)}</span>,
    },
  ];
  const failedCount = (batches.data?.items ?? []).reduce((s, b) => s + b.failedCount, 0);

  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%', position: 'relative', zIndex: 0 }}
      data-testid="payroll-page"
    >
      <Card
        title={
          <Space wrap>
            <Tag color={PROGRAM_COLORS[p.programCode]}>{program}</Tag>
            <span data-testid="payroll-title">{title}</span>
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/payments')}>
              返回名册列表
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                reload();
                batches.reload();
                setLinesKey((k) => k + 1);
              }}
            >
              刷新
            </Button>
            {p.status === 'generated' && can(me, 'payroll.review') && (
              <Popconfirm
                title="确认审核"
                description="已核对各乡镇户数、金额和提示事项，提交审批？"
                okText="确认审核"
                cancelText="取消"
                onConfirm={() => act('review')}
              >
                <Button
                  type="primary"
                  icon={<AuditOutlined />}
                  loading={acting === 'review'}
                  data-testid="review-payroll"
                >
                  审核
                </Button>
              </Popconfirm>
            )}
            {p.status === 'reviewed' && can(me, 'payroll.approve') && (
              <Popconfirm
                title="审批并锁定"
                description="锁定后名册不能再修改，金额记入发放台账，可导出银行代发文件。确认？"
                okText="审批并锁定"
                cancelText="取消"
                onConfirm={() => act('approve')}
              >
                <Button
                  type="primary"
                  icon={<LockOutlined />}
                  loading={acting === 'approve'}
                  data-testid="approve-payroll"
                >
                  审批并锁定
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      >
        <Steps
          size="small"
          current={STEP_OF[p.status] ?? 0}
          style={{ marginBottom: 16 }}
          items={[{ title: '生成' }, { title: '审核' }, { title: '审批锁定' }, { title: '银行代发' }]}
        />
        {p.status === 'generating' && (
          <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
            <Progress percent={progressPercent(p)} status="active" data-testid="payroll-progress" />
            <span className="tabular">
              正在生成：已处理 {p.progress.done.toLocaleString('zh-CN')} /{' '}
              {p.progress.total.toLocaleString('zh-CN')}
            </span>
          </Space>
        )}
        {actionError && (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setActionError(null) }}
            title={actionError}
            style={{ marginBottom: 16 }}
            data-testid="payroll-action-error"
          />
        )}
        {p.townCode && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="名册由县级生成和审批；这里显示本乡镇的明细和金额。"
          />
        )}
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={info}
          data-testid="payroll-summary"
        />
      </Card>

      {p.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title="提示事项（请在审核前核实）"
          data-testid="payroll-warnings"
          description={
            <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
              {p.warnings.map((w) => (
                <li key={w.code}>
                  <strong>{warningText(w, names)}</strong>
                  {WARNING_HINTS[w.code] ? `：${WARNING_HINTS[w.code]}` : ''}
                </li>
              ))}
            </ul>
          }
        />
      )}

      {p.status !== 'generating' && (
        <Card title="金额汇总（乡镇 × 发放组成）">
          <PayrollTotals p={p} />
        </Card>
      )}

      {approved && countyUser && (
        <BankFilesCard
          key={`bank-${linesKey}`}
          payrollId={p.id}
          batches={batches}
          canExport={can(me, 'payroll.generate')}
          onReturnImported={() => {
            setLinesKey((k) => k + 1);
            reload();
          }}
        />
      )}
      {approved && countyUser && failedCount > 0 && (
        <FailedLines
          key={`failed-${linesKey}`}
          payrollId={p.id}
          names={names}
          canAct={can(me, 'payroll.generate')}
          onChanged={() => {
            setLinesKey((k) => k + 1);
            batches.reload();
          }}
        />
      )}

      {p.status !== 'generating' && (
        <Card title="发放明细">
          <PayrollLines
            key={`lines-${linesKey}`}
            payrollId={p.id}
            towns={p.townCode ? [] : p.byTown.map((t) => ({ code: t.townCode, name: t.townName }))}
            names={names}
          />
        </Card>
      )}
    </Space>
  );
}
