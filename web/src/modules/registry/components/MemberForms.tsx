import { EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Col, Form, Input, Modal, Row, Space, Switch, Tooltip } from 'antd';
import { useState } from 'react';
import { RELATIONS } from '../../../../../src/domain/household/person-attributes.ts';
import { api } from '../../../api/client.ts';
import type { Household, Member, PersonRecord } from '../types.ts';
import { applyServerErrors, asApiError, type NamePath } from '../utils/form-errors.ts';
import { todayInChina } from '../utils/labels.ts';
import { DerivedColumns, IdNumberField } from './IdNumberField.tsx';
import { newPersonBody, PERSON_FIELD_NAMES, PersonFields, type PersonFormValues } from './PersonFields.tsx';

const NON_HEAD = RELATIONS.filter((r) => r !== '户主');
const knownField = (path: NamePath) => path.length === 1 && PERSON_FIELD_NAMES.has(String(path[0]));

export type MemberDialog = { kind: 'edit'; personId: number } | { kind: 'new' } | null;

interface ModalProps {
  dialog: MemberDialog;
  household: Household;
  onClose: () => void;
  /** After a save: reload the household and its history. */
  onSaved: () => void;
  /** Reload the household (after a stale-version refusal) without closing. */
  onReload: () => void;
}

/** The member dialogs of the household page: edit a member (PATCH, only what changed) and add a member. */
export function MemberModal({ dialog, household, onClose, onSaved, onReload }: ModalProps) {
  const member =
    dialog?.kind === 'edit' ? household.members.find((m) => m.id === dialog.personId) : undefined;
  return (
    <Modal
      open={dialog !== null}
      title={dialog?.kind === 'new' ? '新增家庭成员' : `编辑成员：${member?.name ?? ''}`}
      onCancel={onClose}
      footer={null}
      width={880}
      style={{ top: 24 }}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="member-modal"
    >
      {dialog?.kind === 'edit' && member && (
        // A fresh version (after 重新加载) remounts the form with the fresh values.
        <MemberEditForm
          key={`${member.id}-${member.version}`}
          member={member}
          onClose={onClose}
          onSaved={onSaved}
          onReload={onReload}
        />
      )}
      {dialog?.kind === 'new' && <NewMemberForm household={household} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function initialValues(m: Member): PersonFormValues {
  return {
    name: m.name,
    relation: m.relation,
    ethnicity: m.ethnicity ?? '',
    hukouType: m.hukouType,
    disabilityCategory: m.disabilityCategory,
    disabilityGrade: m.disabilityGrade,
    labourCapacity: m.labourCapacity,
    seriousIllness: m.seriousIllness,
    selfCare: m.selfCare,
    schoolStatus: m.schoolStatus,
    employmentStatus: m.employmentStatus,
    deathDate: m.deathDate ?? '',
    phone: '',
  };
}

type EditValues = PersonFormValues & { clearPhone?: boolean };

/** Only the fields that differ from the member's current values (the phone is masked: blank = unchanged). */
function changedFields(m: Member, v: EditValues, originalId: string | null, changeId: boolean) {
  const patch: Record<string, unknown> = {};
  const name = (v.name ?? '').trim();
  if (name !== m.name) patch.name = name;
  if (v.relation && v.relation !== m.relation && m.relation !== '户主') patch.relation = v.relation;
  const ethnicity = v.ethnicity?.trim() || null;
  if (ethnicity !== m.ethnicity) patch.ethnicity = ethnicity;
  for (const key of [
    'hukouType',
    'labourCapacity',
    'selfCare',
    'schoolStatus',
    'employmentStatus',
  ] as const) {
    if (v[key] !== undefined && v[key] !== m[key]) patch[key] = v[key];
  }
  if (v.seriousIllness !== undefined && v.seriousIllness !== m.seriousIllness)
    patch.seriousIllness = v.seriousIllness;
  const category = v.disabilityCategory ?? null;
  const grade = v.disabilityGrade ?? null;
  if (category !== m.disabilityCategory) patch.disabilityCategory = category;
  if (grade !== m.disabilityGrade) patch.disabilityGrade = grade;
  const death = v.deathDate?.trim() || null;
  if (death !== m.deathDate) patch.deathDate = death;
  if (v.clearPhone) {
    if (m.phone !== null) patch.phone = null;
  } else if (v.phone?.trim()) patch.phone = v.phone.trim();
  if (changeId) {
    const id = (v.idNumber ?? '').trim().toUpperCase();
    if (id !== originalId) patch.idNumber = id;
  }
  return patch;
}

function MemberEditForm({
  member,
  onClose,
  onSaved,
  onReload,
}: {
  member: Member;
  onClose: () => void;
  onSaved: () => void;
  onReload: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const [changeId, setChangeId] = useState(false);
  const [originalId, setOriginalId] = useState<string | null>(null);
  const [loadingId, setLoadingId] = useState(false);
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const isHead = member.relation === '户主';

  const toggleId = async (on: boolean) => {
    setChangeId(on);
    if (!on) {
      form.setFieldValue('idNumber', undefined);
      return;
    }
    if (originalId !== null) {
      form.setFieldValue('idNumber', originalId);
      return;
    }
    setLoadingId(true);
    try {
      // The full number is read only now, because the clerk chose to change it (the read is audited).
      const full = await api.get<PersonRecord>(`/api/v1/persons/${member.id}?reveal=true`);
      setOriginalId(full.idNumber);
      form.setFieldValue('idNumber', full.idNumber);
    } catch (e) {
      setErrors([`无法读取完整身份证号码：${asApiError(e).message}。请直接输入新的号码。`]);
      form.setFieldValue('idNumber', '');
    } finally {
      setLoadingId(false);
    }
  };

  const submit = async () => {
    let values: EditValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the fields show what is wrong; nothing is sent
    }
    const patch = changedFields(member, values, originalId, changeId);
    if (Object.keys(patch).length === 0) {
      message.info('没有修改任何内容');
      onClose();
      return;
    }
    setSaving(true);
    setErrors([]);
    try {
      await api.patch(`/api/v1/persons/${member.id}`, { version: member.version, ...patch });
      message.success('已保存');
      onSaved();
    } catch (e) {
      const err = asApiError(e);
      if (err.code === 'STALE_VERSION') setStale(err.message);
      else {
        const unplaced = applyServerErrors(form, err, knownField);
        setErrors(unplaced.length > 0 || err.issues.length === 0 ? [err.message] : []);
      }
    } finally {
      setSaving(false);
    }
  };

  const idSlot = changeId ? (
    <IdNumberField
      name={['idNumber']}
      path={['idNumber']}
      testId="edit-id-number"
      extra="出生日期和性别将按新号码重新确定"
    />
  ) : (
    <>
      <Col xs={24} sm={24} md={12} lg={12}>
        <Form.Item label="身份证号码">
          <Input
            readOnly
            variant="filled"
            value={member.idNumber}
            className="tabular"
            data-testid="edit-id-masked"
          />
        </Form.Item>
      </Col>
      <DerivedColumns birthDate={member.birthDate} sex={member.sexLabel} testId="edit-id-number" />
    </>
  );

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={initialValues(member)}
      onFinish={() => void submit()}
      data-testid="member-edit-form"
    >
      {stale && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={stale}
          description="请点击“重新加载”取得最新信息，再重新修改。"
          data-testid="stale-alert"
          action={
            <Button icon={<ReloadOutlined />} onClick={onReload} data-testid="stale-reload">
              重新加载
            </Button>
          }
        />
      )}
      {errors.map((e) => (
        <Alert
          key={e}
          type="error"
          showIcon
          title={e}
          style={{ marginBottom: 16 }}
          data-testid="form-error"
        />
      ))}
      <Space style={{ marginBottom: 12 }}>
        <Switch
          checked={changeId}
          loading={loadingId}
          onChange={(on) => void toggleId(on)}
          data-testid="toggle-change-id"
          aria-label="修改身份证号码"
        />
        <span>修改身份证号码</span>
        <Tooltip title="修改前将读取完整号码，此次查看记入审计日志">
          <EyeOutlined style={{ color: '#8c8c8c' }} />
        </Tooltip>
      </Space>
      <PersonFields
        mode="edit"
        idSlot={idSlot}
        showDeathDate
        testId="edit"
        relation={{
          options: isHead ? ['户主'] : NON_HEAD,
          disabled: isHead,
          extra: isHead ? '变更户主请在“编辑家庭”中选择新户主' : undefined,
        }}
        phone={
          member.phone
            ? {
                placeholder: `已登记 ${member.phone}，不修改请留空`,
                extra: (
                  <Form.Item name="clearPhone" valuePropName="checked" noStyle>
                    <Checkbox>删除已登记的电话</Checkbox>
                  </Form.Item>
                ),
              }
            : undefined
        }
      />
      <Row justify="end">
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button
            type="primary"
            htmlType="submit"
            loading={saving}
            disabled={stale !== null}
            data-testid="save-member"
          >
            保存
          </Button>
        </Space>
      </Row>
    </Form>
  );
}

type NewValues = PersonFormValues & { effectiveDate?: string };

function NewMemberForm({
  household,
  onClose,
  onSaved,
}: {
  household: Household;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<NewValues>();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  const submit = async (values: NewValues) => {
    setSaving(true);
    setErrors([]);
    try {
      await api.post(`/api/v1/households/${household.id}/members`, {
        ...newPersonBody(values),
        ...(values.effectiveDate?.trim() ? { effectiveDate: values.effectiveDate.trim() } : {}),
      });
      message.success('已新增成员');
      onSaved();
    } catch (e) {
      const err = asApiError(e);
      const unplaced = applyServerErrors(
        form,
        err,
        (p) => knownField(p) || (p.length === 1 && p[0] === 'effectiveDate'),
      );
      setErrors(unplaced.length > 0 || err.issues.length === 0 ? [err.message] : []);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ seriousIllness: false }}
      onFinish={(v) => void submit(v)}
      data-testid="member-new-form"
    >
      {errors.map((e) => (
        <Alert
          key={e}
          type="error"
          showIcon
          title={e}
          style={{ marginBottom: 16 }}
          data-testid="form-error"
        />
      ))}
      <PersonFields
        mode="create"
        idSlot={<IdNumberField name={['idNumber']} path={['idNumber']} testId="new-id-number" />}
        relation={{ options: NON_HEAD }}
        testId="new"
      />
      <Row gutter={16}>
        <Col xs={24} sm={12} lg={8}>
          <Form.Item
            name="effectiveDate"
            label="加入本户日期"
            extra="不填则为今天"
            rules={[
              {
                pattern: /^\d{4}-\d{2}-\d{2}$/,
                message: '日期格式应为 YYYY-MM-DD，如 2026-01-31',
              },
            ]}
          >
            <Input placeholder={todayInChina()} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Row justify="end">
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="save-new-member">
            保存
          </Button>
        </Space>
      </Row>
    </Form>
  );
}
