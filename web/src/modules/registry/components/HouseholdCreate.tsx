import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { HUKOU_TYPES, RELATIONS } from '../../../../../src/domain/household/person-attributes.ts';
import { ApiError, api } from '../../../api/client.ts';
import { ErrorResult } from '../../../ui/ErrorResult.tsx';
import { useMe } from '../../auth/AuthProvider.tsx';
import { can } from '../../auth/access.ts';
import { useAreas } from '../hooks/use-areas.ts';
import { applyServerErrors, asApiError, fieldPath, type NamePath } from '../utils/form-errors.ts';
import { options } from '../utils/labels.ts';
import { IdNumberField } from './IdNumberField.tsx';
import { newPersonBody, PERSON_FIELD_NAMES, PersonFields, type PersonFormValues } from './PersonFields.tsx';

export interface HouseholdFormValues {
  townCode?: string;
  villageCode?: string;
  address?: string;
  hukouType?: 'urban' | 'rural';
  phone?: string;
  bankName?: string;
  bankAccount?: string;
  bankAccountHolder?: string;
}

type CreateValues = HouseholdFormValues & { members: PersonFormValues[] };

const HOUSEHOLD_FIELDS = new Set([
  'townCode',
  'villageCode',
  'address',
  'hukouType',
  'phone',
  'bankName',
  'bankAccount',
  'bankAccountHolder',
]);

export const PHONE_RULE = { pattern: /^[0-9+\- ]{5,20}$/, message: '电话号码格式不正确' };
export const ACCOUNT_RULE = {
  validator: (_: unknown, v: string | undefined) =>
    !v || /^\d{8,30}$/.test(v.replace(/\s+/g, ''))
      ? Promise.resolve()
      : Promise.reject(new Error('银行账号应为8–30位数字')),
};

const blankToUndefined = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
const col = { xs: 24, sm: 12, lg: 8 } as const;

/** 新建家庭: household fields and its members (exactly one 户主), ID numbers checked as they are typed. */
export function HouseholdCreate() {
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const fixedTown = me.areaCode.length === 9 ? me.areaCode : null;
  const { areas: towns } = useAreas(null);
  const town = Form.useWatch('townCode', form) ?? fixedTown ?? undefined;
  const { areas: villages, loading: villagesLoading } = useAreas(town ?? '');

  if (!can(me, 'registry.write')) {
    return (
      <ErrorResult error={new ApiError(403, { message: '您的角色不能新建家庭（需要救助对象登记权限）' })} />
    );
  }

  const known = (p: NamePath) =>
    (p.length === 1 && HOUSEHOLD_FIELDS.has(String(p[0]))) ||
    (p.length === 3 &&
      p[0] === 'members' &&
      typeof p[1] === 'number' &&
      PERSON_FIELD_NAMES.has(String(p[2])));

  const submit = async (v: CreateValues) => {
    setSaving(true);
    setErrors([]);
    try {
      const res = await api.post<{ id: number }>('/api/v1/households', {
        townCode: v.townCode,
        ...(v.villageCode ? { villageCode: v.villageCode } : {}),
        address: (v.address ?? '').trim(),
        hukouType: v.hukouType,
        ...(blankToUndefined(v.phone) ? { phone: blankToUndefined(v.phone) } : {}),
        ...(blankToUndefined(v.bankName) ? { bankName: blankToUndefined(v.bankName) } : {}),
        ...(blankToUndefined(v.bankAccount) ? { bankAccount: blankToUndefined(v.bankAccount) } : {}),
        ...(blankToUndefined(v.bankAccountHolder)
          ? { bankAccountHolder: blankToUndefined(v.bankAccountHolder) }
          : {}),
        members: v.members.map(newPersonBody),
      });
      message.success('已新建家庭');
      navigate(`/registry/households/${res.id}`);
    } catch (e) {
      const err = asApiError(e);
      const unplaced = applyServerErrors(form, err, known);
      // The server's summary names the member ("第 2 名成员（张三）：…"), useful on a long form.
      setErrors([err.message, ...unplaced.filter((m) => !err.message.includes(m))]);
      const first = err.issues.find((i) => known(fieldPath(i.field)));
      if (first) form.scrollToField(fieldPath(first.field), { block: 'center' });
      else window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<CreateValues>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      onFinishFailed={({ errorFields }) => {
        const first = errorFields[0];
        if (first) form.scrollToField(first.name, { block: 'center' });
      }}
      initialValues={{
        townCode: fixedTown ?? undefined,
        members: [{ relation: '户主', seriousIllness: false }],
      }}
      data-testid="household-create-form"
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {errors.length > 0 && (
          <Alert
            type="error"
            showIcon
            title="未能保存，请按提示修改"
            description={errors.map((e) => <div key={e}>{e}</div>)}
            data-testid="form-error"
          />
        )}
        <Card title="家庭信息">
          <Row gutter={16}>
            <Col {...col}>
              <Form.Item name="townCode" label="乡镇" rules={[{ required: true, message: '请选择乡镇' }]}>
                <Select
                  disabled={Boolean(fixedTown)}
                  placeholder="请选择乡镇"
                  options={towns.filter((t) => t.inScope).map((t) => ({ value: t.code, label: t.name }))}
                  showSearch={{ optionFilterProp: 'label' }}
                  onChange={() => form.setFieldValue('villageCode', undefined)}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="villageCode"
                label="村（居）"
                rules={[{ required: true, message: '请选择村（居）' }]}
              >
                <Select
                  placeholder={town ? '请选择村（居）' : '请先选择乡镇'}
                  disabled={!town}
                  loading={villagesLoading}
                  options={villages.map((v) => ({ value: v.code, label: v.name }))}
                  showSearch={{ optionFilterProp: 'label' }}
                  data-testid="create-village"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="hukouType"
                label="户口性质"
                rules={[{ required: true, message: '请选择户口性质' }]}
              >
                <Select placeholder="请选择" options={options(HUKOU_TYPES)} data-testid="create-hukou" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={16}>
              <Form.Item
                name="address"
                label="地址"
                rules={[
                  { required: true, whitespace: true, message: '请输入地址' },
                  { max: 200, message: '地址不能超过200字' },
                ]}
              >
                <Input placeholder="如 乳城镇云峰居委会解放路1号" data-testid="create-address" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="phone" label="联系电话" rules={[PHONE_RULE]}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="bankName" label="开户行" rules={[{ max: 60, message: '开户行不能超过60字' }]}>
                <Input placeholder="如 广东乳源农村商业银行" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="bankAccount" label="账号" rules={[ACCOUNT_RULE]}>
                <Input className="tabular" autoComplete="off" placeholder="8–30位数字" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="bankAccountHolder"
                label="账户名"
                rules={[{ max: 50, message: '账户名不能超过50字' }]}
              >
                <Input />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Form.List
          name="members"
          rules={[
            {
              validator: (_, members: PersonFormValues[] | undefined) => {
                const heads = (members ?? []).filter((m) => m?.relation === '户主').length;
                return heads === 1
                  ? Promise.resolve()
                  : Promise.reject(new Error(`每户应有且只有一名户主，当前为 ${heads} 名`));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors: listErrors }) => (
            <Card
              title={`家庭成员（${fields.length}人）`}
              extra={
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ seriousIllness: false })}
                  disabled={fields.length >= 30}
                  data-testid="add-member-row"
                >
                  添加成员
                </Button>
              }
            >
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                {fields.map((field, index) => (
                  <Card
                    key={field.key}
                    size="small"
                    type="inner"
                    title={
                      <Space>
                        <span>成员 {index + 1}</span>
                        <MemberRelationTag index={field.name} />
                      </Space>
                    }
                    extra={
                      fields.length > 1 && (
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          onClick={() => remove(field.name)}
                          data-testid={`remove-member-${index}`}
                        >
                          删除
                        </Button>
                      )
                    }
                    data-testid={`member-card-${index}`}
                  >
                    <PersonFields
                      mode="create"
                      prefix={[field.name]}
                      testId={`member-${index}`}
                      relation={{ options: RELATIONS }}
                      idSlot={
                        <IdNumberField
                          name={[field.name, 'idNumber']}
                          path={['members', field.name, 'idNumber']}
                          testId={`member-${index}-id-number`}
                        />
                      }
                    />
                  </Card>
                ))}
                <Form.ErrorList errors={listErrors} />
              </Space>
            </Card>
          )}
        </Form.List>

        <Card>
          <Row justify="end">
            <Space>
              <Button onClick={() => navigate('/registry')}>取消</Button>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="save-household">
                保存
              </Button>
            </Space>
          </Row>
        </Card>
      </Space>
    </Form>
  );
}

function MemberRelationTag({ index }: { index: number }) {
  const form = Form.useFormInstance();
  const relation = Form.useWatch(['members', index, 'relation'], form) as string | undefined;
  const name = Form.useWatch(['members', index, 'name'], form) as string | undefined;
  return (
    <>
      {relation && <Tag color={relation === '户主' ? 'blue' : undefined}>{relation}</Tag>}
      {name && <span>{name}</span>}
    </>
  );
}
