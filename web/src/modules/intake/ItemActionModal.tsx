import { Alert, App, AutoComplete, DatePicker, Form, Input, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  DEPARTMENT_SUGGESTIONS,
  ITEM_ACTIONS,
  type ItemActionCode,
} from '../../../../src/domain/intake/intake-rules.ts';
import { api } from '../../api/client.ts';
import { isStale, placeServerErrors } from './form-errors.ts';
import type { IntakeItem } from './types.ts';

interface Values {
  department?: string;
  dueOn?: Dayjs;
  reply?: string;
  repliedOn?: Dayjs;
  informedOn?: Dayjs;
  note?: string;
  reason?: string;
}

const FIELDS = ['department', 'dueOn', 'reply', 'repliedOn', 'informedOn', 'note', 'reason'] as const;
const DAY = 'YYYY-MM-DD';
const day = (d: Dayjs | undefined) => (d ? d.format(DAY) : undefined);

interface Props {
  item: IntakeItem;
  action: ItemActionCode;
  today: string;
  suggestedDue: string;
  onClose(): void;
  /** After a change (or a stale version): reload the request. */
  onChanged(): void;
}

/** The dialog of one decision on one item: 受理 / 转办 / 转介 / 不予受理 / 登记答复 / 已告知申请人. */
export function ItemActionModal({ item, action, today, suggestedDue, onClose, onChanged }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const todayDay = dayjs(today, DAY);
  const departments = DEPARTMENT_SUGGESTIONS.map((d) => ({ value: d }));

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    const body: Record<string, unknown> = { version: item.version };
    if (action === 'forward') Object.assign(body, { department: v.department?.trim(), dueOn: day(v.dueOn) });
    if (action === 'refer') {
      Object.assign(body, {
        department: v.department?.trim(),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
    }
    if (action === 'reject') Object.assign(body, { reason: v.reason?.trim() });
    if (action === 'reply') Object.assign(body, { reply: v.reply?.trim(), repliedOn: day(v.repliedOn) });
    if (action === 'inform') Object.assign(body, { informedOn: day(v.informedOn) });
    try {
      await api.post(`/api/v1/intake/items/${item.id}/${action}`, body);
      message.success(`${item.label}：${ITEM_ACTIONS[action]}已登记`);
      onChanged();
      onClose();
    } catch (e) {
      if (isStale(e)) {
        message.error('该事项已被其他人办理，已为您刷新，请查看后再操作');
        onChanged();
        onClose();
        return;
      }
      setError(placeServerErrors(form, e, FIELDS).join('；') || null);
    } finally {
      setSaving(false);
    }
  };

  const initial: Values = {
    department: item.department ?? item.defaultDepartment ?? undefined,
    dueOn: dayjs(suggestedDue, DAY),
    repliedOn: todayDay,
    informedOn: todayDay,
  };

  return (
    <Modal
      open
      destroyOnHidden
      title={`${ITEM_ACTIONS[action]}：${item.label}`}
      okText={ITEM_ACTIONS[action]}
      cancelText="取消"
      confirmLoading={saving}
      okButtonProps={{ danger: action === 'reject' }}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)}>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 12 }}
            data-testid="action-error"
          />
        )}
        {action === 'accept' && (
          <Typography.Paragraph>
            确认在本窗口受理“{item.label}”？受理后转入审核审批，请把受理情况告知申请人。
          </Typography.Paragraph>
        )}
        {(action === 'forward' || action === 'refer') && (
          <Form.Item
            name="department"
            label={action === 'forward' ? '承办部门' : '转介的部门或组织'}
            rules={[{ required: true, whitespace: true, message: '请填写部门或组织名称' }]}
          >
            <AutoComplete
              options={departments}
              placeholder="可从列表选择，也可直接输入"
              data-testid="department"
            />
          </Form.Item>
        )}
        {action === 'forward' && (
          <Form.Item
            name="dueOn"
            label="答复期限"
            rules={[{ required: true, message: '请选择答复期限' }]}
            extra="默认10个工作日（已扣除节假日），可按部门承诺调整"
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.isBefore(todayDay, 'day')}
              allowClear={false}
              data-testid="due-on"
            />
          </Form.Item>
        )}
        {action === 'refer' && (
          <Form.Item name="note" label="说明（选填）">
            <Input.TextArea
              rows={3}
              maxLength={500}
              showCount
              placeholder="如：请申请人持残疾证到县残联办理"
            />
          </Form.Item>
        )}
        {action === 'reject' && (
          <>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title="不予受理须书面告知申请人理由，并告知其可依法申请行政复议或提起行政诉讼。"
            />
            <Form.Item
              name="reason"
              label="不予受理的理由"
              rules={[{ required: true, whitespace: true, message: '请填写不予受理的理由' }]}
            >
              <Input.TextArea rows={4} maxLength={1000} showCount data-testid="reason" />
            </Form.Item>
          </>
        )}
        {action === 'reply' && (
          <>
            <Form.Item
              name="reply"
              label={`${item.department ?? '承办部门'}的答复`}
              rules={[{ required: true, whitespace: true, message: '请填写部门答复内容' }]}
            >
              <Input.TextArea rows={4} maxLength={1000} showCount data-testid="reply" />
            </Form.Item>
            <Form.Item
              name="repliedOn"
              label="答复日期"
              rules={[{ required: true, message: '请选择答复日期' }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                allowClear={false}
                disabledDate={(d) =>
                  d.isAfter(todayDay, 'day') ||
                  (item.forwardedOn ? d.isBefore(dayjs(item.forwardedOn, DAY), 'day') : false)
                }
              />
            </Form.Item>
          </>
        )}
        {action === 'inform' && (
          <>
            <Typography.Paragraph>
              {item.reply
                ? `部门答复：${item.reply}`
                : item.decision === 'rejected'
                  ? `不予受理的理由：${item.reason ?? ''}`
                  : `办理结果：${item.decisionLabel}`}
            </Typography.Paragraph>
            <Form.Item
              name="informedOn"
              label="告知日期"
              rules={[{ required: true, message: '请选择告知日期' }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                allowClear={false}
                disabledDate={(d) =>
                  d.isAfter(todayDay, 'day') ||
                  (item.repliedOn ? d.isBefore(dayjs(item.repliedOn, DAY), 'day') : false)
                }
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
