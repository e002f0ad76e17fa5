import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, query } from '../../api/client.ts';
import { lineColumns } from './PayrollLines.tsx';
import type { Paged, PayrollLine } from './types.ts';

const PAGE = 500;
const PAGE_LIMIT = 20; // pages per status: 10,000 lines

/** The payroll's lines of one status (the lines API filters by status), a page of 500 at a time. */
async function linesWithStatus(payrollId: number, status: 'failed' | 'held'): Promise<PayrollLine[]> {
  const out: PayrollLine[] = [];
  for (let page = 1; page <= PAGE_LIMIT; page++) {
    const r = await api.get<Paged<PayrollLine>>(
      `/api/v1/payrolls/${payrollId}/lines${query({ status, page, pageSize: PAGE })}`,
    );
    out.push(...r.items);
    if (r.items.length < PAGE || page * PAGE >= (r.total ?? 0)) break;
  }
  return out;
}

/** The lines the bank returned unpaid (发放失败) and those put on hold (暂停发放), failed first. */
async function loadUnpaid(payrollId: number): Promise<PayrollLine[]> {
  const [failed, held] = await Promise.all([
    linesWithStatus(payrollId, 'failed'),
    linesWithStatus(payrollId, 'held'),
  ]);
  return [...failed, ...held];
}

function useUnpaidLines(payrollId: number) {
  const [state, setState] = useState<{ items: PayrollLine[]; loading: boolean; error: string | null }>({
    items: [],
    loading: true,
    error: null,
  });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    loadUnpaid(payrollId)
      .then((items) => !cancelled && setState({ items, loading: false, error: null }))
      .catch(
        (e: unknown) =>
          !cancelled &&
          setState({ items: [], loading: false, error: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      cancelled = true;
    };
  }, [payrollId, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

type Action = { kind: 'reissue' | 'hold'; line: PayrollLine };

const ACTION_TEXT = {
  reissue: {
    title: '重新发放',
    hint: '请先在家庭档案中更正开户行或账号；重新发放按现登记的账户，列入本名册下一次代发文件。',
    ok: '确定重新发放',
  },
  hold: {
    title: '暂停发放',
    hint: '暂不发放该笔款项（如账户待核实、对象待核查），须写明原因。',
    ok: '确定暂停',
  },
} as const;

/**
 * 发放失败与暂停: the lines the bank returned unpaid, with the bank's reason, 重新发放 and 暂停发放; and the
 * lines put on hold, with 重新发放 once the account is corrected.
 */
export function FailedLines({
  payrollId,
  names,
  canAct,
  onChanged,
}: {
  payrollId: number;
  names: Map<string, string>;
  canAct: boolean;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const { items, error, loading, reload } = useUnpaidLines(payrollId);
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const submit = async ({ reason }: { reason: string }) => {
    if (!action) return;
    setBusy(true);
    setActionError(null);
    try {
      await api.post(`/api/v1/payroll-lines/${action.line.id}/${action.kind}`, { reason });
      message.success(action.kind === 'reissue' ? '已列入重新发放' : '已暂停发放');
      setAction(null);
      form.resetFields();
      reload();
      onChanged();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<PayrollLine> = [
    ...lineColumns(names).filter(
      (c) =>
        c.key !== 'kind' &&
        !['villageCode', 'fundSource'].includes(String((c as { dataIndex?: unknown }).dataIndex)),
    ),
    {
      title: '银行退回原因',
      key: 'failure',
      width: 160,
      render: (_: unknown, l: PayrollLine) => (
        <span data-testid={`failure-reason-${l.id}`}>{l.failureReason ?? '—'}</span>
      ),
    },
    {
      title: '处理说明',
      key: 'note',
      width: 200,
      render: (_: unknown, l: PayrollLine) =>
        l.status === 'held' && l.reason ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {l.reason}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    ...(canAct
      ? [
          {
            title: '操作',
            key: 'ops',
            width: 190,
            fixed: 'right' as const,
            render: (_: unknown, l: PayrollLine) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setAction({ kind: 'reissue', line: l })}
                  data-testid={`reissue-${l.id}`}
                >
                  重新发放
                </Button>
                {l.status === 'failed' && (
                  <Button
                    size="small"
                    onClick={() => setAction({ kind: 'hold', line: l })}
                    data-testid={`hold-${l.id}`}
                  >
                    暂停发放
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={`发放失败与暂停${items.length ? `（${items.length} 笔）` : ''}`}
      data-testid="failed-lines"
      extra={
        <span style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
          重新发放按该户现登记的银行账户，列入本名册下一次代发文件
        </span>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<PayrollLine>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有发放失败或暂停发放的明细' }}
        data-testid="failed-lines-table"
      />
      {action && (
        <Modal
          open
          title={`${ACTION_TEXT[action.kind].title} — ${action.line.name ?? `家庭 ${action.line.householdId}`}`}
          okText={ACTION_TEXT[action.kind].ok}
          onOk={() => form.submit()}
          okButtonProps={{ loading: busy }}
          onCancel={() => {
            setAction(null);
            setActionError(null);
          }}
        >
          <Form form={form} layout="vertical" onFinish={submit}>
            <Alert type="info" showIcon title={ACTION_TEXT[action.kind].hint} style={{ marginBottom: 12 }} />
            <Form.Item
              name="reason"
              label="原因"
              rules={[{ required: true, whitespace: true, message: '请填写原因' }]}
            >
              <Input.TextArea rows={3} maxLength={200} placeholder="如：账号已更正为本人新开户账号" />
            </Form.Item>
            {actionError && <Alert type="error" showIcon title={actionError} />}
          </Form>
        </Modal>
      )}
    </Card>
  );
}
