import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// The calendar's month and weekday names (antd asks dayjs for the zh-cn locale by name; it must be loaded).
import 'dayjs/locale/zh-cn';
import { useState } from 'react';
import type { ActionInput } from '../../../../../src/domain/workflow/machine.ts';
import { monthAfter } from '../../../../../src/domain/workflow/months.ts';
import { type ApiError, api } from '../../../api/client.ts';
import { useAreas } from '../../registry/hooks/use-areas.ts';
import type { CaseAction, CaseDetail } from '../types.ts';
import { asApiError, isStale, reasonsOf } from '../utils/errors.ts';
import {
  ADVERSE,
  formatMonth,
  machineOf,
  OPINION_LABELS,
  reasonLabel,
  SUPPORT_MODE_LABELS,
  TERMINATION_REASON_LABELS,
  todayInChina,
} from '../utils/labels.ts';
import { SubmitError } from './SubmitError.tsx';

const DAY = 'YYYY-MM-DD';

interface Values {
  decidedOn: Dayjs;
  reasons?: string;
  opinion?: 'grant' | 'refuse';
  supportMode?: 'centralized' | 'dispersed';
  exitMonths?: number;
  deathDate?: Dayjs;
  terminationReason?: string;
  toTownCode?: string;
  noticeDays?: number;
}

interface Props {
  c: CaseDetail;
  action: CaseAction;
  onClose(): void;
  /** After the action was taken: reload the case. */
  onDone(): void;
}

/** The form of one workflow action: only the inputs that action needs, plus the date it was decided on. */
export function ActionModal({ c, action, onClose, onDone }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ error: ApiError; reasons: string[] } | null>(null);
  const has = (f: string) => action.fields.includes(f as CaseAction['fields'][number]);
  const { areas: towns } = useAreas(has('toTownCode') ? null : '');
  const opinion = Form.useWatch('opinion', form);
  const decidedOn = Form.useWatch('decidedOn', form);
  const today = dayjs(todayInChina(), DAY);
  const enteredOn = dayjs(c.stateEnteredOn, DAY);
  const toLabel =
    (machineOf(c.procedure)?.states as Record<string, { label: string }> | undefined)?.[action.to]?.label ??
    action.to;
  // A proposed refusal needs its reasons; every other action with a 理由 box requires it (the server checks).
  const reasonsRequired = has('opinion') ? opinion === 'refuse' : true;
  const enrols = action.to === 'approved' && c.programCode !== 'temporary_aid';

  const submit = async (v: Values) => {
    setSaving(true);
    setFailure(null);
    const input: ActionInput = {};
    if (has('reasons') && v.reasons?.trim()) input.reasons = v.reasons.trim();
    if (has('opinion') && v.opinion) input.opinion = v.opinion;
    if (has('supportMode') && v.supportMode) input.supportMode = v.supportMode;
    if (has('exitMonths') && v.exitMonths !== undefined) input.exitMonths = v.exitMonths;
    if (has('deathDate') && v.deathDate) input.deathDate = v.deathDate.format(DAY);
    if (has('terminationReason') && v.terminationReason)
      input.terminationReason = v.terminationReason as ActionInput['terminationReason'];
    if (has('toTownCode') && v.toTownCode) input.toTownCode = v.toTownCode;
    if (has('noticeDays') && v.noticeDays !== undefined && v.noticeDays !== null)
      input.noticeDays = v.noticeDays;
    try {
      await api.post(`/api/v1/cases/${c.id}/actions/${action.action}`, {
        version: c.version,
        decidedOn: v.decidedOn.format(DAY),
        input,
      });
      message.success(`已办理：${action.label}`);
      onDone();
      onClose();
    } catch (e) {
      const error = asApiError(e);
      setFailure({
        error,
        reasons: reasonsOf(error, form, {
          reasons: 'reasons',
          opinion: 'opinion',
          supportMode: 'supportMode',
          exitMonths: 'exitMonths',
          deathDate: 'deathDate',
          terminationReason: 'terminationReason',
          toTownCode: 'toTownCode',
          noticeDays: 'noticeDays',
          decidedOn: 'decidedOn',
        }),
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      destroyOnHidden
      title={action.label}
      okText="确定办理"
      cancelText="取消"
      confirmLoading={saving}
      okButtonProps={{ danger: ADVERSE.has(action.action) }}
      mask={{ closable: false }}
      onOk={() => form.submit()}
      onCancel={onClose}
      data-testid="action-modal"
    >
      {failure && (
        <SubmitError
          error={failure.error}
          reasons={failure.reasons}
          onReload={() => {
            onDone();
            onClose();
          }}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        办理后本案进入“{toLabel}”。
        {enrols &&
          decidedOn &&
          `自${formatMonth(monthAfter(decidedOn.format(DAY)))}起发放（办理日期的次月）。`}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ decidedOn: today.isBefore(enteredOn) ? enteredOn : today }}
        onFinish={(v) => void submit(v)}
        disabled={failure !== null && isStale(failure.error)}
      >
        {has('opinion') && (
          <Form.Item name="opinion" label="初审意见" rules={[{ required: true, message: '请选择初审意见' }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={Object.entries(OPINION_LABELS).map(([value, label]) => ({ value, label }))}
              data-testid="field-opinion"
            />
          </Form.Item>
        )}
        {has('supportMode') && (
          <Form.Item
            name="supportMode"
            label="供养方式"
            rules={[{ required: true, message: '请选择供养方式' }]}
            extra="由本人选择；集中供养的，由供养服务机构提供照料"
          >
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={Object.entries(SUPPORT_MODE_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        )}
        {has('terminationReason') && (
          <Form.Item
            name="terminationReason"
            label="终止情形"
            rules={[{ required: true, message: '请选择终止情形' }]}
          >
            <Select
              placeholder="请选择"
              options={Object.entries(TERMINATION_REASON_LABELS)
                .filter(([value]) => value !== 'death')
                .map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        )}
        {has('deathDate') && (
          <Form.Item
            name="deathDate"
            label="死亡日期"
            rules={[{ required: true, message: '请选择死亡日期' }]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(today, 'day')} />
          </Form.Item>
        )}
        {has('exitMonths') && (
          <Form.Item
            name="exitMonths"
            label="渐退期（月）"
            rules={[{ required: true, message: '请填写渐退期' }]}
            extra="1至6个月"
          >
            <InputNumber min={1} max={6} precision={0} style={{ width: 160 }} suffix="个月" />
          </Form.Item>
        )}
        {has('toTownCode') && (
          <Form.Item
            name="toTownCode"
            label="迁入乡镇"
            rules={[{ required: true, message: '请选择迁入乡镇' }]}
          >
            <Select
              placeholder="请选择本县其他乡镇"
              showSearch={{ optionFilterProp: 'label' }}
              options={towns
                .filter((t) => t.code !== c.townCode)
                .map((t) => ({ value: t.code, label: t.name }))}
            />
          </Form.Item>
        )}
        {has('noticeDays') && (
          <Form.Item name="noticeDays" label="公示天数" extra="不填为7天；当地简化程序可缩短，最少1天">
            <InputNumber min={1} max={7} precision={0} style={{ width: 160 }} suffix="天" />
          </Form.Item>
        )}
        {has('reasons') && (
          <Form.Item
            name="reasons"
            label={
              has('opinion')
                ? `${reasonLabel(action.action, action.label)}${reasonsRequired ? '' : '（选填）'}`
                : reasonLabel(action.action, action.label)
            }
            rules={[
              {
                required: reasonsRequired,
                whitespace: true,
                message: `请填写${reasonLabel(action.action, action.label)}`,
              },
            ]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="field-reasons" />
          </Form.Item>
        )}
        <Form.Item
          name="decidedOn"
          label="办理日期"
          rules={[{ required: true, message: '请选择办理日期' }]}
          extra={`按纸质材料补录的，选择实际办理的日期（不早于进入本环节的 ${c.stateEnteredOn}）`}
        >
          <DatePicker
            style={{ width: 200 }}
            allowClear={false}
            disabledDate={(d) => d.isAfter(today, 'day') || d.isBefore(enteredOn, 'day')}
            data-testid="field-decided-on"
          />
        </Form.Item>
      </Form>
      {action.action === 'refuse' && (
        <Alert
          type="info"
          showIcon
          title="不予批准的，须在规定时限内书面告知申请人并说明理由。"
          style={{ marginTop: 4 }}
        />
      )}
    </Modal>
  );
}
