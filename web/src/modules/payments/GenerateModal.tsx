import {
  Alert,
  Button,
  type ButtonProps,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Modal,
  Progress,
  Result,
  Select,
  Space,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client.ts';
import { Money } from '../../ui/Money.tsx';
import { loadPayroll } from './api.ts';
import {
  formatPayMonth,
  PAYROLL_PROGRAMS,
  PAYROLL_STATUS,
  programName,
  progressPercent,
  warningText,
} from './labels.ts';
import type { PayrollDetail } from './types.ts';

/** POST /payrolls: the payroll, and whether a generation was started (false: it existed already). */
interface StartResult {
  id: number;
  status: PayrollDetail['status'];
  started: boolean;
  resumed: boolean;
}

interface Values {
  programCode: string;
  payMonth: Dayjs;
}

/**
 * 生成名册: picks the program and month, starts the generation (the server works in the background) and
 * shows its progress, asking the server every second until the payroll is generated.
 */
export function GenerateModal({
  defaultMonth,
  defaultProgram,
  onClose,
}: {
  defaultMonth?: string | undefined;
  defaultProgram?: string | undefined;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [payrollId, setPayrollId] = useState<number | null>(null);
  const [payroll, setPayroll] = useState<PayrollDetail | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  /** The payroll of that month existed already (not generated again). */
  const [existing, setExisting] = useState(false);
  const [regenerate, setRegenerate] = useState(false);

  useEffect(() => {
    if (payrollId === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const p = await loadPayroll(payrollId);
        if (cancelled) return;
        setPayroll(p);
        setPollError(null);
        if (p.status === 'generating') timer = setTimeout(poll, 1000);
      } catch (e) {
        if (cancelled) return;
        setPollError(e instanceof Error ? e.message : String(e));
        timer = setTimeout(poll, 2000);
      }
    };
    void poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [payrollId]);

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      const created = await api.post<StartResult>('/api/v1/payrolls', {
        programCode: values.programCode,
        payMonth: values.payMonth.format('YYYY-MM'),
        ...(regenerate ? { regenerate: true } : {}),
      });
      setExisting(!created.started);
      setPayrollId(created.id);
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    } finally {
      setSubmitting(false);
    }
  };

  const done = payroll !== null && payroll.status !== 'generating';

  if (payrollId !== null) {
    return (
      <Modal
        open
        title="生成发放名册"
        onCancel={onClose}
        maskClosable={false}
        footer={
          done ? (
            <Space>
              <Button onClick={onClose}>关闭</Button>
              <Button
                type="primary"
                onClick={() => navigate(`/payments/payrolls/${payrollId}`)}
                data-testid="open-generated"
              >
                查看名册
              </Button>
            </Space>
          ) : (
            <Button onClick={onClose}>后台继续生成，先关闭</Button>
          )
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }} size={16} data-testid="generate-progress">
          <div>
            {payroll
              ? `${programName(payroll.programCode, payroll.programLabel)} ${formatPayMonth(payroll.payMonth)}`
              : '正在启动…'}
          </div>
          <Progress
            percent={progressPercent(payroll)}
            status={done ? 'success' : 'active'}
            data-testid="generate-progress-bar"
          />
          {payroll?.status === 'generating' && payroll.progress && (
            <div className="tabular" data-testid="generate-progress-count">
              已处理 {payroll.progress.done.toLocaleString('zh-CN')} /{' '}
              {payroll.progress.total.toLocaleString('zh-CN')} 户
            </div>
          )}
          {existing && payroll && (
            <Alert
              type="info"
              showIcon
              data-testid="generate-existing"
              title={`该月名册已存在（${PAYROLL_STATUS[payroll.status]?.label ?? payroll.status}），未重新生成。`}
              description={
                payroll.status === 'approved'
                  ? '已审批锁定的名册不能重新生成；差额在下月名册中补发或追回。'
                  : '如需按最新核定待遇重新计算，请关闭后勾选“重新生成”再提交。'
              }
            />
          )}
          {pollError && <Alert type="warning" showIcon title={`暂时无法获取进度：${pollError}`} />}
          {done && payroll && (
            <Result
              status="success"
              title={existing ? '名册情况' : '名册已生成'}
              subTitle="请核对各乡镇金额后提交审核。"
              style={{ padding: 0 }}
              data-testid="generate-done"
            >
              <Descriptions
                size="small"
                column={1}
                items={[
                  {
                    key: 'households',
                    label: '户数',
                    children: payroll.byTown.reduce((s, t) => s + t.households, 0).toLocaleString('zh-CN'),
                  },
                  {
                    key: 'lines',
                    label: '发放明细',
                    children: `${payroll.lineCount.toLocaleString('zh-CN')} 行`,
                  },
                  {
                    key: 'total',
                    label: '金额合计',
                    children: (
                      <span data-testid="generate-total">
                        <Money fen={payroll.totalFen} />
                      </span>
                    ),
                  },
                  ...(payroll.warnings?.length
                    ? [
                        {
                          key: 'warnings',
                          label: '提示',
                          children: payroll.warnings.map((w) => (
                            <div key={w.code}>{warningText(w, new Map())}</div>
                          )),
                        },
                      ]
                    : []),
                ]}
              />
            </Result>
          )}
        </Space>
      </Modal>
    );
  }

  return (
    <Modal
      open
      title="生成发放名册"
      onCancel={onClose}
      okText="开始生成"
      okButtonProps={{ loading: submitting, 'data-testid': 'generate-submit' } as ButtonProps}
      onOk={() => form.submit()}
      maskClosable={false}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          programCode: defaultProgram ?? 'rural_dibao',
          payMonth: defaultMonth ? dayjs(`${defaultMonth}-01`) : dayjs(),
        }}
      >
        <Form.Item
          name="programCode"
          label="救助项目"
          rules={[{ required: true, message: '请选择救助项目' }]}
        >
          <Select
            options={PAYROLL_PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
            data-testid="generate-program"
          />
        </Form.Item>
        <Form.Item
          name="payMonth"
          label="发放月份"
          rules={[{ required: true, message: '请选择发放月份' }]}
          extra="按该月有效的救助标准和核定待遇计算；有补发、追回的，一并列入。"
        >
          <DatePicker
            picker="month"
            format="YYYY年MM月"
            style={{ width: '100%' }}
            data-testid="generate-month"
          />
        </Form.Item>
        <Form.Item extra="名册已生成但尚未审批的，勾选后删除原有明细并重新计算。">
          <Checkbox checked={regenerate} onChange={(e) => setRegenerate(e.target.checked)}>
            重新生成（该月名册已存在时）
          </Checkbox>
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="generate-error" />}
      </Form>
    </Modal>
  );
}
