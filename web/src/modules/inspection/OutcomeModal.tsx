import {
  Alert,
  Button,
  type ButtonProps,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../../api/client.ts';
import { yuanToFen } from '../cases/utils/labels.ts';
import { OUTCOMES } from './labels.ts';
import type { Finding, Outcome, OutcomeResult } from './types.ts';

interface Values {
  outcome: Outcome;
  note: string;
  recovery?: string;
}

/**
 * 登记复核结果: the town's finding after its home visit — 维持, 退出 or 追回 (amount in 元). 退出 and 追回 open
 * the enrolment's change case, which the county decides; the case is shown once recorded.
 */
export function OutcomeModal({
  finding,
  onClose,
  onSaved,
}: {
  finding: Finding;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const outcome = Form.useWatch('outcome', form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<OutcomeResult | null>(null);

  const save = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      const r = await api.post<OutcomeResult>(`/api/v1/findings/${finding.id}/outcome`, {
        version: finding.version,
        outcome: v.outcome,
        note: v.note.trim(),
        ...(v.outcome === 'recover' ? { recoveryFen: yuanToFen(v.recovery) ?? 0 } : {}),
      });
      setSaved(r);
      onSaved();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, { message: String(e) });
      setError(err);
      form.setFields(
        err.issues
          .map((i) => ({
            name: (i.field === 'recoveryFen' ? 'recovery' : i.field) as keyof Values,
            errors: [i.message],
          }))
          .filter((f) => ['outcome', 'note', 'recovery'].includes(f.name)),
      );
    } finally {
      setSaving(false);
    }
  };

  if (saved) {
    const o = saved.outcome ? OUTCOMES[saved.outcome] : undefined;
    return (
      <Modal
        open
        title="复核结果已登记"
        onCancel={onClose}
        footer={
          <Button type="primary" onClick={onClose} data-testid="outcome-close">
            关闭
          </Button>
        }
      >
        <Result
          status="success"
          title={`复核结果：${saved.outcomeLabel ?? o?.label ?? saved.outcome}`}
          data-testid="outcome-saved"
          subTitle={
            saved.caseId ? (
              <span>
                已转入变更个案，由县级审核确认：
                <Link to={`/approval/cases/${saved.caseId}`} data-testid="outcome-case-link">
                  个案 {saved.caseId}
                </Link>
              </span>
            ) : (
              '继续保障，该问题线索已办结。'
            )
          }
        />
      </Modal>
    );
  }

  return (
    <Modal
      open
      width={640}
      title="登记复核结果"
      onCancel={onClose}
      okText="登记"
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, 'data-testid': 'outcome-save' } as ButtonProps}
      maskClosable={false}
    >
      <Typography.Paragraph>
        <Typography.Text strong>问题线索：</Typography.Text>
        {finding.summary}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ note: '' }}
        data-testid="outcome-form"
      >
        <Form.Item name="outcome" label="复核结果" rules={[{ required: true, message: '请选择复核结果' }]}>
          <Radio.Group data-testid="outcome-choice">
            <Space orientation="vertical">
              {(Object.keys(OUTCOMES) as Outcome[]).map((k) => (
                <Radio key={k} value={k} data-testid={`outcome-${k}`}>
                  <strong>{OUTCOMES[k]?.label}</strong>
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                    {OUTCOMES[k]?.hint}
                  </Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {outcome === 'recover' && (
          <Form.Item
            name="recovery"
            label="应追回金额"
            rules={[
              { required: true, message: '请填写应追回金额' },
              {
                validator: (_, v: string | undefined) =>
                  v === undefined || v === null || v === '' || (yuanToFen(v) ?? 0) > 0
                    ? Promise.resolve()
                    : Promise.reject(new Error('请填写大于0的金额，最多两位小数')),
              },
            ]}
          >
            <InputNumber<string>
              stringMode
              min="0.01"
              precision={2}
              style={{ width: 200 }}
              suffix="元"
              data-testid="outcome-recovery"
            />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label="复核情况说明"
          rules={[{ required: true, whitespace: true, message: '请填写入户复核的情况' }]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount data-testid="outcome-note" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error.message} data-testid="outcome-error" />}
      </Form>
    </Modal>
  );
}
